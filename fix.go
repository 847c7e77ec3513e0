package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/fix"
)

// maxFixRounds bounds --fix's rounds. A round applies the edits that do
// not overlap; an edit that overlapped one of another finding (two keys
// renamed in one block that terraform fmt aligns) is made again from the
// changed text in the next round.
const maxFixRounds = 5

// fixFindings is --fix: it applies the edits that rules offer on the
// findings of res, says on stderr which findings it fixed and which it
// left and why, and returns the result to report: a new run over the
// changed files, whose findings are what is left. With --dry-run it writes
// nothing: the diff goes to stdout, and the result is res less the
// findings the edits would fix.
func fixFindings(ctx context.Context, o *options, runOpts driver.Options, res *driver.Result, base string, stdout, stderr io.Writer) (*driver.Result, error) {
	roots := runOpts.Paths
	if len(roots) == 0 {
		roots = []string{"."}
	}
	if o.dryRun {
		plan := fix.NewPlan(res.Findings, fix.Options{Roots: roots, Sources: res.Sources})
		tellLeft(stderr, res, plan, base)
		if _, err := stdout.Write(plan.Diff(base)); err != nil {
			return nil, err
		}
		n, files := len(plan.Fixed), len(plan.Files)
		fmt.Fprintf(stderr, "canpull: --dry-run: %d %s would be fixed in %d %s; nothing was written\n",
			n, plural(n, "finding", "findings"), files, plural(files, "file", "files"))
		return withoutFixed(res, plan.Fixed), nil
	}
	fixed, changed := 0, map[string]bool{}
	for round := 1; ; round++ {
		plan := fix.NewPlan(res.Findings, fix.Options{Roots: roots, Sources: res.Sources})
		if len(plan.Files) == 0 || round > maxFixRounds {
			tellLeft(stderr, res, plan, base)
			break
		}
		werr := plan.Write()
		res = driver.Run(ctx, runOpts)
		if werr != nil {
			res.Errors = append(res.Errors, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot apply the fixes", Detail: werr.Error()})
			tellLeft(stderr, res, plan, base)
			break
		}
		fixed += len(plan.Fixed)
		for _, f := range plan.Files {
			changed[f.Name] = true
		}
	}
	if fixed == 0 {
		fmt.Fprintln(stderr, "canpull: --fix: nothing to fix automatically")
		return res, nil
	}
	left := len(res.Findings)
	fmt.Fprintf(stderr, "canpull: fixed %d %s in %d %s; %d %s left\n", fixed, plural(fixed, "finding", "findings"),
		len(changed), plural(len(changed), "file", "files"), left, plural(left, "finding", "findings"))
	return res, nil
}

// tellLeft says on stderr which findings --fix leaves, and why.
func tellLeft(stderr io.Writer, res *driver.Result, plan *fix.Plan, base string) {
	for _, l := range plan.Left {
		fmt.Fprintf(stderr, "canpull: --fix leaves %s: %s\n", findingPlace(l.Finding, base), l.Reason)
	}
	for _, f := range res.Findings {
		if len(f.Edits) == 0 && f.NoEdits != "" {
			fmt.Fprintf(stderr, "canpull: --fix leaves %s: %s\n", findingPlace(f, base), f.NoEdits)
		}
	}
}

// findingPlace is "file:line CPnnn" for messages about a finding.
func findingPlace(f lint.Finding, base string) string {
	name := f.Range.Filename
	if base != "" {
		if abs, err := filepath.Abs(name); err == nil {
			if rel, err := filepath.Rel(base, abs); err == nil && filepath.IsLocal(rel) {
				name = filepath.ToSlash(rel)
			}
		}
	}
	return fmt.Sprintf("%s:%d %s", name, f.Range.Start.Line, f.RuleID)
}

// withoutFixed is res without the findings that fixes would remove.
func withoutFixed(res *driver.Result, fixed []lint.Finding) *driver.Result {
	gone := map[string]bool{}
	for _, f := range fixed {
		gone[findingID(f)] = true
	}
	out := *res
	out.Findings = nil
	for _, f := range res.Findings {
		if !gone[findingID(f)] {
			out.Findings = append(out.Findings, f)
		}
	}
	return &out
}

func findingID(f lint.Finding) string {
	return fmt.Sprintf("%s|%s|%d|%d|%s", f.RuleID, f.Range.Filename, f.Range.Start.Byte, f.Range.End.Byte, f.Message)
}
