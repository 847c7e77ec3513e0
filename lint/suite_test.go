package lint_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoPackageBuiltTwiceForTests keeps the test suite from compiling
// canpull's packages more than it must. When package P has tests inside
// the package (package p, not p_test), its test binary holds a copy of P
// with those tests, and every package in that binary that imports P is
// compiled again against the copy: lint's tests did that to rules, report,
// driver, edit and baseline, about 6 s of CPU on a cold cache. go list
// names such a copy "Q [p.test]".
func TestNoPackageBuiltTwiceForTests(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the test binaries' packages with")
	}
	out, err := exec.Command(goTool, "list", "-test", "-deps", "-f", "{{.ImportPath}}", "github.com/canpull/canpull/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	variants := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, binary, ok := strings.Cut(line, " [")
		if !ok {
			continue
		}
		variants++
		tested := strings.TrimSuffix(strings.TrimSuffix(binary, "]"), ".test")
		if pkg == tested || pkg == tested+"_test" {
			continue // the package under test itself, with its tests
		}
		name := tested[strings.LastIndex(tested, "/")+1:]
		t.Errorf("%s's tests inside the package (package %s) make its test binary compile %s again: move them to package %s_test",
			tested, name, pkg, name)
	}
	if variants == 0 {
		t.Fatalf("go list printed no test variants:\n%s", out)
	}
}
