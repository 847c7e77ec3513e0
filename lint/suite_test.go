package lint_test

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
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
	listing, err := listPackages()
	if err != nil {
		t.Skip(err)
	}
	variants := 0
	for _, p := range listing {
		if p.testBinary == "" {
			continue
		}
		variants++
		tested := strings.TrimSuffix(p.testBinary, ".test")
		if p.path == tested || p.path == tested+"_test" {
			continue // the package under test itself, with its tests
		}
		name := tested[strings.LastIndex(tested, "/")+1:]
		t.Errorf("%s's tests inside the package (package %s) make its test binary compile %s again: move them to package %s_test",
			tested, name, p.path, name)
	}
	if variants == 0 {
		t.Fatalf("go list printed no test variants among %d packages", len(listing))
	}
}

// listedPackage is a line of go list -test -deps: a package, the test
// binary it is a copy for ("" for the package itself), and its imports.
type listedPackage struct {
	path, testBinary string
	imports          []string
}

// listPackages lists canpull's packages, their dependencies and the
// copies its test binaries compile, once for the tests that read them.
var listPackages = sync.OnceValues(func() ([]listedPackage, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("no go command to list the packages with")
	}
	out, err := exec.Command(goTool, "list", "-test", "-deps", "-f", `{{.ImportPath}}|{{join .Imports " "}}`, "github.com/canpull/canpull/...").Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	var ps []listedPackage
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		id, imports, _ := strings.Cut(line, "|")
		path, binary, _ := strings.Cut(id, " [")
		ps = append(ps, listedPackage{path: path, testBinary: strings.TrimSuffix(binary, "]"), imports: strings.Fields(imports)})
	}
	return ps, nil
})
