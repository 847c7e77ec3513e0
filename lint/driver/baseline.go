package driver

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/canpull/canpull/lint/baseline"
)

// applyBaseline moves the findings that the baseline holds out of
// res.Findings, and lists its entries that nothing matched among those the
// run could have matched: entries of rules it ran, in files it read, or in
// files under the scanned paths that are gone.
func applyBaseline(opts Options, paths []string, res *Result) {
	if opts.Baseline == nil {
		return
	}
	rel := RelPath(opts.BaseDir)
	read := map[string]bool{}
	for name := range res.Sources {
		read[rel(name)] = true
	}
	ran := map[string]bool{}
	for _, r := range opts.Rules {
		ran[r.ID] = true
	}
	base := absBase(opts.BaseDir)
	var roots []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			roots = append(roots, abs)
		}
	}
	judged := func(e baseline.Entry) bool {
		if !ran[e.Rule] {
			return false
		}
		if read[e.File] {
			return true
		}
		abs := filepath.Join(base, filepath.FromSlash(e.File))
		if _, err := os.Stat(abs); err == nil {
			return false // there, but not scanned this time
		}
		for _, r := range roots {
			if abs == r || strings.HasPrefix(abs, r+string(filepath.Separator)) {
				return true // gone from a scanned folder
			}
		}
		return false
	}
	res.Findings, res.Baselined, res.StaleBaseline = opts.Baseline.Split(res.Findings, rel, judged)
	res.Stats.Baselined = len(res.Baselined)
}

// RelPath returns the function that names a file as reports and the
// baseline do: relative to base (the repository root; "" is the working
// folder), with forward slashes; a file outside base keeps its absolute
// path.
func RelPath(base string) func(string) string {
	b := absBase(base)
	return func(name string) string {
		if name == "" {
			return ""
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return filepath.ToSlash(name)
		}
		if r, err := filepath.Rel(b, abs); err == nil && filepath.IsLocal(r) {
			return filepath.ToSlash(r)
		}
		return filepath.ToSlash(abs)
	}
}

func absBase(base string) string {
	if base == "" {
		base = "."
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		return base
	}
	return abs
}
