package inputs

import (
	"os"
	"testing"

	"github.com/canpull/canpull/lint/input"
)

// TestClaimOrder checks that each kind of file goes to its own input when
// several would take it: a plan that holds a CloudFormation template in a
// string is the plan input's.
func TestClaimOrder(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"../../fixtures/CP101/plan-quiet-unknown-role/plan.json", "terraform-plan"},
		{"../../fixtures/CP203/plan-fires-false/plan.json", "terraform-plan"},
	} {
		src, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, in := range All(Options{}) {
			if in.Claim(tc.file, func() []byte { return src[:min(len(src), input.HeadSize)] }) {
				got = in.Name()
				break
			}
		}
		if got != tc.want {
			t.Errorf("%s goes to %q, want %q", tc.file, got, tc.want)
		}
	}
}
