package rules

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// instanceWords finds the module instance a related location's words name:
// "passed to module.b as sidecar", "used here, in module.b".
var instanceWords = regexp.MustCompile(`(?:passed to|in) (module\.[^ ;]+)`)

// A value that feeds two instances of one module (a local passed to both
// calls, a default of the module's variable) is found once per instance,
// and the two findings at that place are reported as one that stands for
// both (Finding.Merged). Its related locations tell the way of each
// instance it stands for and of no other: a finding about module.b alone
// never says "used here, in module.a".
func TestPassagesPerInstance(t *testing.T) {
	dir := filepath.Join(fixturesDir, "CP304", "fires-module-instances")
	res := runDriver(driver.Options{Paths: []string{dir}, Rules: All()}, inputs.Options{})
	ways := map[string]int{} // instance → findings that named its way
	for _, f := range res.Findings {
		ins := []string{f.Module}
		for _, m := range f.Merged {
			ins = append(ins, m.Module)
		}
		var words []string
		for _, r := range f.Related {
			words = append(words, r.Message)
			for _, m := range instanceWords.FindAllStringSubmatch(r.Message, -1) {
				if !slices.Contains(ins, m[1]) {
					t.Errorf("the finding about %v at %s:%d names %s: %q", ins, filepath.Base(f.Range.Filename), f.Range.Start.Line, m[1], r.Message)
				}
			}
		}
		for _, in := range ins {
			if !strings.HasPrefix(in, "module.") {
				t.Fatalf("finding %s at %v is about %q: not an object in a module", f.RuleID, f.Range, in)
			}
			if !slices.Contains(words, "used here, in "+in) {
				t.Errorf("the finding about %s at %s:%d does not say where %s uses the value: %q", in, filepath.Base(f.Range.Filename), f.Range.Start.Line, in, words)
			}
			ways[in]++
		}
	}
	// Each instance: its own image, the shared local, the module's default;
	// the last two merged, so four findings in all.
	if ways["module.a"] != 3 || ways["module.b"] != 3 || len(res.Findings) != 4 {
		t.Errorf("findings per instance: %v in %d findings, want 3 for module.a and 3 for module.b in 4", ways, len(res.Findings))
	}
}
