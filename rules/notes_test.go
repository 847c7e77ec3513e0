package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// A could-not-verify note says how to supply what is missing when there is
// a way: never "nothing to supply" for a value a variable, a module or
// another folder would give.
func TestNoteSaysHowToSupply(t *testing.T) {
	for _, tc := range []struct{ fixture, rule, fix string }{
		{"CP204/quiet-public-rules-unknown-note", "CP204", "give the variables they depend on values"},
		{"CP210/quiet-acl-unknown-count", "CP210", "run terraform init, or scan the folder that defines the network ACLs too"},
		{"CP210/quiet-unknown-acl-rules", "CP210", "give the variables they depend on values"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			dir := filepath.Join("..", "fixtures", filepath.FromSlash(tc.fixture))
			res := runDriver(driver.Options{Paths: []string{dir}, Rules: append(All(), lint.UnverifiedInput), ShowUnverified: true}, inputs.Options{})
			found := false
			for _, f := range res.Findings {
				if f.StoppedRule != tc.rule {
					continue
				}
				found = true
				if !strings.Contains(f.Fix, tc.fix) || strings.Contains(f.Fix, "nothing to supply") {
					t.Errorf("%s note %q: fix %q, want one that says %q", tc.rule, f.Message, f.Fix, tc.fix)
				}
			}
			if !found {
				t.Errorf("no %s note", tc.rule)
			}
		})
	}
}
