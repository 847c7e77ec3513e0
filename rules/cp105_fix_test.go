package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// CP105's fix adds the missing awslogs options in the words of the place
// it points at: HCL in a jsonencode argument, JSON in a heredoc of JSON
// (where HCL's `=` would break the document).
func TestCP105FixSpeaksTheSource(t *testing.T) {
	for _, tc := range []struct{ fixture, want string }{
		{"fires-missing-options", "`{ \"awslogs-stream-prefix\" = "},
		{"fires-missing-options-name-unknown-part", "`{\"awslogs-stream-prefix\": "},
	} {
		dir := filepath.Join(fixturesDir, "CP105", tc.fixture)
		res := runDriver(driver.Options{Paths: []string{dir}, Rules: All()}, inputs.Options{})
		found := false
		for _, f := range res.Findings {
			if f.RuleID != "CP105" {
				continue
			}
			found = true
			if !strings.Contains(f.Fix, tc.want) {
				t.Errorf("%s: the fix %q does not show %s", tc.fixture, f.Fix, tc.want)
			}
		}
		if !found {
			t.Errorf("%s: no CP105 finding", tc.fixture)
		}
	}
}
