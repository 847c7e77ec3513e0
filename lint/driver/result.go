package driver

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// Result is everything one run produced.
type Result struct {
	// Findings are sorted by file, line, column, then rule ID.
	Findings []lint.Finding
	// Suppressed are the findings that an ignore comment or the
	// configuration silenced, each with its Suppression, in the same order.
	// They do not count towards --fail-on.
	Suppressed []lint.Finding
	// Errors are inputs that could not be read or evaluated: each names its
	// file and line. The rest of the inputs are still linted.
	Errors hcl.Diagnostics
	// Sources holds the text of every file read, by the name used in ranges,
	// for output that quotes source lines.
	Sources map[string][]byte
	Stats   Stats
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
}
