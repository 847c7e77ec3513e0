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
	t.Parallel()
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

// TestPlanAdvice lints every plan fixture with its could-not-verify notes:
// none may tell the user to give variables values (a plan has them all),
// and some must say where to look instead.
func TestPlanAdvice(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join(fixturesDir, "*", "plan-*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no plan fixtures: %v", err)
	}
	rewritten := 0
	for _, dir := range dirs {
		opts := driver.Options{Paths: []string{dir}, Rules: append(All(), lint.Builtins()...), ShowUnverified: true}
		var in inputs.Options
		readFlags(t, dir, &opts, &in)
		for _, f := range runDriver(opts, in).Findings {
			if strings.Contains(f.Fix, "--var") || strings.Contains(f.Fix, "terraform init") || strings.Contains(f.Fix, "give the variable") {
				t.Errorf("%s: %s %s: %q", dir, f.RuleID, f.Message, f.Fix)
			}
			if strings.Contains(f.Fix, afterApply) {
				rewritten++
			}
		}
	}
	if rewritten == 0 {
		t.Error("no note of a plan fixture gave the plan's advice")
	}
}

// TestVarsAdvice: every phrasing of the advice to give variables values
// that the rules use becomes the plan's.
func TestVarsAdvice(t *testing.T) {
	for _, advice := range []string{
		"give the variable it depends on a value with --var-file or --var",
		"give the variables it depends on values (--var-file, --var), run terraform init, or scan the folder that defines the VPC endpoints too",
		"give the variables it depends on values with --var-file or --var",
		"give the variables it depends on values, or name the secret by its ARN",
		"give the variables it depends on values, or scan the folder that defines it too",
		"give the variables that its routes depend on values with --var-file or --var",
		"give the variables they depend on values with --var-file or --var",
		"give the variables they depend on values, or pass --account-id",
		"give the variables values (--var, --var-file)",
		"give the variables values (--var, --var-file) and run terraform init",
		"give the variables values (--var, --var-file), and scan the cluster's configuration too",
		"scan the folder that defines the secret together with this one, or give the variables its policy depends on values",
	} {
		got := varsAdvice.ReplaceAllString(advice, afterApply)
		if strings.Contains(got, "give the variable") || strings.Contains(got, "--var") || strings.Contains(got, "terraform init") || !strings.Contains(got, afterApply) {
			t.Errorf("%q became %q", advice, got)
		}
	}
}
