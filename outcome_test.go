package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/input"
)

// TestOutcome: canpull's own failure (3) is told apart from bad input (2)
// and from findings (1), and asks for a report in one line.
func TestOutcome(t *testing.T) {
	warning := lint.Finding{RuleID: "CP301", Severity: lint.Warning}
	bad := input.FileError("main.tf", "Cannot read file", "no such file")
	boom := input.Panic("running rule CP998", "index out of range")
	for _, c := range []struct {
		name   string
		res    driver.Result
		code   int
		stderr string
	}{
		{"clean", driver.Result{}, exitClean, ""},
		{"findings", driver.Result{Findings: []lint.Finding{warning}}, exitFindings, ""},
		{"bad input", driver.Result{Findings: []lint.Finding{warning}, Errors: hcl.Diagnostics{bad}}, exitTrouble, ""},
		{"internal", driver.Result{Findings: []lint.Finding{warning}, Errors: hcl.Diagnostics{bad, boom}}, exitInternal,
			"canpull: internal error, please report: failed while running rule CP998: index out of range\n"},
		{"two internal", driver.Result{Errors: hcl.Diagnostics{boom, boom}}, exitInternal,
			"canpull: internal error, please report: failed while running rule CP998: index out of range (and 1 more in the report)\n"},
	} {
		var stderr bytes.Buffer
		failing := false
		for _, f := range c.res.Findings {
			failing = failing || f.Severity >= lint.Warning
		}
		err := outcome(&c.res, failing, false, &stderr)
		code := exitClean
		var ec exitCode
		if errors.As(err, &ec) {
			code = int(ec)
		}
		if code != c.code || stderr.String() != c.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", c.name, code, stderr.String(), c.code, c.stderr)
		}
	}
}
