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
// calls, a default of the module's variable) is reported once per
// instance, and each finding's related locations tell its own instance's
// way: the finding about module.b never says "used here, in module.a".
func TestPassagesPerInstance(t *testing.T) {
	dir := filepath.Join(fixturesDir, "CP304", "fires-module-instances")
	res := runDriver(driver.Options{Paths: []string{dir}, Rules: All()}, inputs.Options{})
	ways := map[string]int{} // instance → findings that named its way
	for _, f := range res.Findings {
		in, _, ok := strings.Cut(f.Key, ".aws_")
		if !ok {
			t.Fatalf("finding %s at %v has key %q: not an object in a module", f.RuleID, f.Range, f.Key)
		}
		var words []string
		for _, r := range f.Related {
			words = append(words, r.Message)
			for _, m := range instanceWords.FindAllStringSubmatch(r.Message, -1) {
				if m[1] != in {
					t.Errorf("the finding about %s at %s:%d names %s: %q", in, filepath.Base(f.Range.Filename), f.Range.Start.Line, m[1], r.Message)
				}
			}
		}
		if !slices.Contains(words, "used here, in "+in) {
			t.Errorf("the finding about %s at %s:%d does not say where %s uses the value: %q", in, filepath.Base(f.Range.Filename), f.Range.Start.Line, in, words)
		}
		ways[in]++
	}
	// Each instance: its own image, the shared local, the module's default.
	if ways["module.a"] != 3 || ways["module.b"] != 3 {
		t.Errorf("findings per instance: %v, want 3 for module.a and 3 for module.b", ways)
	}
}
