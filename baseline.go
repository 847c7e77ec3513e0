package main

import (
	"fmt"
	"io"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/baseline"
	"github.com/canpull/canpull/lint/driver"
)

// readBaseline reads --baseline (or the configuration's baseline). With
// --write-baseline no baseline is applied: every current finding is
// recorded.
func readBaseline(o *options) (*baseline.File, error) {
	if o.baseline == "" || o.writeBaseline != "" {
		return nil, nil
	}
	b, err := baseline.Read(o.baseline)
	if err != nil {
		return nil, usagef("--baseline: %v", err)
	}
	return b, nil
}

// writeBaseline is --write-baseline: it records the findings of res in the
// file, and marks them known, so that the run reports them as in the
// baseline and exits 0 (2 still when inputs could not be read).
func writeBaseline(o *options, res *driver.Result, base string, stderr io.Writer) error {
	b := baseline.Make(res.Findings, driver.RelPath(base))
	if err := b.Write(o.writeBaseline); err != nil {
		return err
	}
	var rest []lint.Finding
	for _, f := range res.Findings {
		if baseline.Counts(f) {
			res.Baselined = append(res.Baselined, f)
		} else {
			rest = append(rest, f)
		}
	}
	res.Findings, res.Stats.Baselined, res.StaleBaseline = rest, len(res.Baselined), nil
	n := len(res.Baselined) // a merged finding may hold several entries
	fmt.Fprintf(stderr, "canpull: wrote %d %s to the baseline %s\n", n, plural(n, "finding", "findings"), o.writeBaseline)
	return nil
}

// tellStale says on stderr which baseline entries no finding matched any
// longer, so that the file can shrink.
func tellStale(o *options, res *driver.Result, stderr io.Writer) {
	n := len(res.StaleBaseline)
	if n == 0 {
		return
	}
	for _, e := range res.StaleBaseline {
		fmt.Fprintf(stderr, "canpull: baseline entry no longer found (fixed, or gone): %s %s %s\n", e.Rule, e.File, e.Object)
	}
	fmt.Fprintf(stderr, "canpull: %d %s of %s no longer found; canpull --write-baseline %s drops %s\n",
		n, plural(n, "entry", "entries"), o.baseline, o.baseline, plural(n, "it", "them"))
}
