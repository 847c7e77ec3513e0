package driver

import (
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/baseline"
)

// Result is everything one run produced.
type Result struct {
	// Findings are sorted by file, line, column, then rule ID.
	Findings []lint.Finding
	// Suppressed are the findings that an ignore comment or the
	// configuration silenced, each with its Suppression, in the same order.
	// They do not count towards --fail-on.
	Suppressed []lint.Finding
	// Baselined are the findings that the baseline holds (--baseline): not
	// reported, and they do not count towards --fail-on.
	Baselined []lint.Finding
	// StaleBaseline are the baseline's entries that no finding matched:
	// fixed, or gone. Only entries this run could have matched are judged
	// (a file it read, a rule it ran).
	StaleBaseline []baseline.Entry
	// Errors are inputs that could not be read or evaluated: each names its
	// file and line. The rest of the inputs are still linted.
	Errors hcl.Diagnostics
	// Sources holds the text of every file read, by the name used in ranges,
	// for output that quotes source lines.
	Sources map[string][]byte
	Stats   Stats
	// Checked are the task definitions and services that the rules
	// checked, in the order of their configurations; CheckedOf ties a
	// finding to one of them.
	Checked []Checked
	// Unsynthesized are the AWS CDK and CDK for Terraform apps among the
	// paths whose synthesized output the run did not find to read.
	Unsynthesized []Unsynthesized

	// owners maps a finding's owner (rule, place and key) to the indexes
	// in Checked of the objects it is about, one for each configuration.
	owners map[string][]int
}

// Stats counts what a run looked at.
type Stats struct {
	Files           int // input files read
	Modules         int // root modules loaded (Terraform)
	TaskDefinitions int
	Services        int
	// Unverified counts task definitions and services that some rule could
	// not check fully because a fact was unknown:
	// UnverifiedTaskDefinitions + UnverifiedServices.
	Unverified                int
	UnverifiedTaskDefinitions int
	UnverifiedServices        int
	// UnknownFacts counts the places where a rule or the loader had to stop
	// on an unknown fact: the notes --show-unverified shows.
	UnknownFacts int
	// Suppressed counts the findings in Result.Suppressed.
	Suppressed int
	// Baselined counts the findings in Result.Baselined.
	Baselined int
}

// Merge joins the results of runs over different paths (each with its own
// configuration file) into one: findings in the order of one run, input
// errors without repeats, sources and counts together. A finding that two
// runs both report (their paths overlap) is kept once; Stats.Files counts
// the files read.
func Merge(rs ...*Result) *Result {
	out := &Result{Sources: map[string][]byte{}}
	seen := map[string]bool{}
	once := func(fs []lint.Finding) []lint.Finding {
		var kept []lint.Finding
		for _, f := range fs {
			if id := identity(f); !seen[id] {
				seen[id] = true
				kept = append(kept, f)
			}
		}
		return kept
	}
	for _, r := range rs {
		base := len(out.Checked)
		out.Checked = append(out.Checked, r.Checked...)
		for id, ks := range r.owners {
			if out.owners == nil {
				out.owners = map[string][]int{}
			}
			for _, k := range ks {
				out.owners[id] = append(out.owners[id], base+k)
			}
		}
		out.Findings = append(out.Findings, once(r.Findings)...)
		out.Suppressed = append(out.Suppressed, once(r.Suppressed)...)
		out.Baselined = append(out.Baselined, once(r.Baselined)...)
		out.StaleBaseline = append(out.StaleBaseline, r.StaleBaseline...)
		out.Errors = append(out.Errors, r.Errors...)
		for _, u := range r.Unsynthesized {
			if !slices.Contains(out.Unsynthesized, u) {
				out.Unsynthesized = append(out.Unsynthesized, u)
			}
		}
		for name, src := range r.Sources {
			out.Sources[name] = src
		}
		s := &out.Stats
		s.Modules += r.Stats.Modules
		s.TaskDefinitions += r.Stats.TaskDefinitions
		s.Services += r.Stats.Services
		s.Unverified += r.Stats.Unverified
		s.UnverifiedTaskDefinitions += r.Stats.UnverifiedTaskDefinitions
		s.UnverifiedServices += r.Stats.UnverifiedServices
		s.UnknownFacts += r.Stats.UnknownFacts
	}
	sortFindings(out.Findings)
	sortFindings(out.Suppressed)
	out.Errors = dedupeDiags(out.Errors)
	out.Stats.Files = len(out.Sources)
	out.Stats.Suppressed = len(out.Suppressed)
	out.Stats.Baselined = len(out.Baselined)
	return out
}
