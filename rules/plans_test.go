package rules

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/terraform"
)

// planCases is the list scripts/gen-plans makes the plan fixtures from.
const planCases = "../scripts/plans/cases"

// TestPlansMatchTheirSource lints each plan fixture and the Terraform
// configuration it was made from, and compares the rules that fire at
// warning or error: one deployment gives one answer, whether canpull reads
// its source or its plan. Where the plan knows less than the source (a
// value computed only at apply, a sensitive one), a file named "differs" in
// the plan's case says why, and the answers must then differ.
func TestPlansMatchTheirSource(t *testing.T) {
	src, err := os.ReadFile(planCases)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(src), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		dest, source, options := fields[0], fields[1], fields[2:]
		n++
		t.Run(dest, func(t *testing.T) {
			t.Parallel()
			planDir := filepath.Join(fixturesDir, dest)
			if _, err := os.Stat(filepath.Join(planDir, "plan.json")); err != nil {
				t.Fatalf("no plan for this case: run scripts/gen-plans %s (%v)", dest, err)
			}
			sourceDir := filepath.Join(fixturesDir, source)
			if _, err := os.Stat(sourceDir); err != nil {
				sourceDir = filepath.Join("../scripts/plans/src", source)
			}
			var srcIn inputs.Options
			srcOpts := driver.Options{Paths: []string{sourceDir}, Rules: All()}
			readFlags(t, sourceDir, &srcOpts, &srcIn)
			for _, o := range options {
				if strings.Contains(o, "=") {
					srcIn.Terraform.Vars = append(srcIn.Terraform.Vars, terraform.VarArg{Assignment: o})
				}
			}
			var planIn inputs.Options
			planOpts := driver.Options{Paths: []string{planDir}, Rules: All()}
			readFlags(t, planDir, &planOpts, &planIn)

			fromSource := firing(runDriver(srcOpts, srcIn))
			fromPlan := firing(runDriver(planOpts, planIn))
			why, err := os.ReadFile(filepath.Join(planDir, "differs"))
			differs := err == nil
			switch {
			case !differs && fromSource != fromPlan:
				t.Errorf("the source gives [%s], its plan [%s]; if the plan cannot know what the source says, write why in %s/differs",
					fromSource, fromPlan, planDir)
			case differs && fromSource == fromPlan:
				t.Errorf("%s/differs says the plan knows less (%s), but source and plan both give [%s]",
					planDir, strings.TrimSpace(string(why)), fromSource)
			}
		})
	}
	if n == 0 {
		t.Fatalf("%s lists no cases", planCases)
	}
}

// firing lists the rules that fire at warning or error, with repeats,
// sorted.
func firing(res *driver.Result) string {
	var ids []string
	for _, f := range res.Findings {
		if f.Severity >= lint.Warning {
			ids = append(ids, f.RuleID)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, " ")
}
