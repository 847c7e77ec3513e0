package driver

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// instanceFinding is CP301's finding at a variable's default in a module,
// as instance in (of root) reports it: its text and way name in.
func instanceFinding(in, root, image string) lint.Finding {
	f := at(ruleB, "modules/app/variables.tf", 7, 13)
	f.Module, f.Roots = in, []string{root}
	f.Key = in + ".aws_ecs_task_definition.this/app"
	f.Message = "container app pulls " + image + " from Docker Hub without credentials"
	f.Detail = "Container app of " + in + ".aws_ecs_task_definition.this pulls " + image + " from Docker Hub anonymously."
	f.Fix = "store Docker Hub credentials in Secrets Manager"
	f.Related = []lint.Related{
		{Range: hcl.Range{Filename: "modules/app/main.tf", Start: hcl.Pos{Line: 13, Column: 29}}, Message: "used here, in " + in},
		{Range: hcl.Range{Filename: "modules/app/main.tf", Start: hcl.Pos{Line: 2, Column: 1}}, Message: "the task definition"},
	}
	return f
}

func TestMergeInstances(t *testing.T) {
	otherImage := instanceFinding("module.d", "envs/a", "redis:7")
	otherFix := instanceFinding("module.e", "envs/a", "nginx:1")
	otherFix.Fix = "pull through a cache rule"
	otherEnd := instanceFinding("module.f", "envs/a", "nginx:1")
	otherEnd.Range.End.Column++
	otherSeverity := instanceFinding("module.g", "envs/a", "nginx:1")
	otherSeverity.Severity = lint.Error
	// Text that names another module whose name starts with the
	// instance's: not the instance, so module.h and module.i differ.
	longer := func(in string) lint.Finding {
		f := instanceFinding(in, "envs/a", "nginx:1")
		f.Detail += " Its role is " + in + "_iam.aws_iam_role.exec."
		return f
	}
	fs := []lint.Finding{
		instanceFinding("module.b", "envs/a", "nginx:1"),
		instanceFinding("module.a", "envs/a", "nginx:1"),
		instanceFinding("module.c", "envs/b", "nginx:1"),
		instanceFinding("module.a", "envs/b", "nginx:1"), // another root: the same text
		otherImage, otherFix, otherEnd, otherSeverity,
		longer("module.h"), longer("module.i"),
	}
	res := &Result{Sources: map[string][]byte{}}
	finish(fs, map[string]string{}, nil, Options{Rules: []*lint.Rule{ruleB}}, res)

	if len(res.Findings) != 7 {
		for _, f := range res.Findings {
			t.Logf("%s %v %s", f.Module, f.Range, f.Detail)
		}
		t.Fatalf("%d findings, want 7: the three instances of module.a, b and c merged, the near misses apart", len(res.Findings))
	}
	var merged *lint.Finding
	for i, f := range res.Findings {
		if len(f.Merged) > 0 {
			if merged != nil {
				t.Fatalf("two merged findings: %+v and %+v", *merged, f)
			}
			merged = &res.Findings[i]
		}
	}
	if merged == nil {
		t.Fatal("no finding merged")
	}
	f := *merged
	if f.Module != "module.a" || !strings.HasPrefix(f.Detail, "Container app of module.a.aws_ecs_task_definition.this pulls nginx:1") {
		t.Errorf("the finding kept is %s's, want the first by address (module.a):\n%s", f.Module, f.Detail)
	}
	if want := []lint.Instance{
		{Module: "module.b", Key: "module.b.aws_ecs_task_definition.this/app"},
		{Module: "module.c", Key: "module.c.aws_ecs_task_definition.this/app"},
	}; !slices.Equal(f.Merged, want) {
		t.Errorf("merged: %v, want %v", f.Merged, want)
	}
	if !strings.Contains(f.Detail, "\nIt holds as well for 2 other module instances that run this code: module.b and module.c.\n"+
		"It holds for each of the 2 root modules (or stacks) that use this code: envs/a and envs/b.") {
		t.Errorf("the body does not end with the instances and the roots:\n%s", f.Detail)
	}
	var related []string
	for _, r := range f.Related {
		related = append(related, r.Message)
	}
	if want := []string{"used here, in module.a", "the task definition", "used here, in module.b", "used here, in module.c"}; !slices.Equal(related, want) {
		t.Errorf("related: %q, want %q", related, want)
	}
	if res.Stats.Suppressed != 0 {
		t.Errorf("stats: %+v", res.Stats)
	}
}

// More instances than the body names: the first few, then how many more.
// Notes merge as findings do; the count of unknown facts is of the notes
// shown, that of unverified task definitions of every instance's.
func TestMergeInstancesCapAndCounts(t *testing.T) {
	cfg := &model.Config{}
	var fs []lint.Finding
	for _, in := range []string{"module.x[5]", "module.x[4]", "module.x[3]", "module.x[2]", "module.x[1]", "module.x[0]"} {
		cfg.TaskDefinitions = append(cfg.TaskDefinitions, &model.TaskDefinition{Meta: model.Meta{Addr: in + ".aws_ecs_task_definition.this"}})
		f := instanceFinding(in, "envs/a", "nginx:1")
		f.RuleID, f.RuleName, f.Severity, f.Unverified, f.StoppedRule = lint.UnverifiedInput.ID, lint.UnverifiedInput.Name, lint.Note, true, ruleB.ID
		fs = append(fs, f)
	}
	objects := map[string]string{}
	attribute(fs, 0, cfg, objects)
	res := &Result{Sources: map[string][]byte{}}
	finish(fs, objects, nil, Options{Rules: []*lint.Rule{ruleB, lint.UnverifiedInput}, ShowUnverified: true}, res)
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(res.Findings))
	}
	f := res.Findings[0]
	if want := "\nIt holds as well for 5 other module instances that run this code: module.x[1], module.x[2], module.x[3] and 2 more."; !strings.HasSuffix(f.Detail, want) {
		t.Errorf("body:\n%s\nwant it to end with %q", f.Detail, want)
	}
	if st := res.Stats; st.UnknownFacts != 1 || st.UnverifiedTaskDefinitions != 6 {
		t.Errorf("stats: %d unknown facts (want 1), %d unverified task definitions (want 6)", st.UnknownFacts, st.UnverifiedTaskDefinitions)
	}
}

func TestWithoutModule(t *testing.T) {
	for _, c := range []struct{ s, addr, want string }{
		{"module.a.aws_x.y of module.a", "module.a", "\x00.aws_x.y of \x00"},
		{"module.a_b.aws_x.y", "module.a", "module.a_b.aws_x.y"},
		{"module.x.module.a.aws_x.y", "module.a", "module.x.module.a.aws_x.y"},
		{"module.a[0].aws_x.y", "module.a", "module.a[0].aws_x.y"},
		{`in module.a["k"]: x`, `module.a["k"]`, "in \x00: x"},
		{"module.a", "", "module.a"},
	} {
		if got := withoutModule(c.s, c.addr); got != c.want {
			t.Errorf("withoutModule(%q, %q) = %q, want %q", c.s, c.addr, got, c.want)
		}
	}
}

// The merge is a map pass: it must cost next to nothing beside the rules.
func BenchmarkMergeInstances(b *testing.B) {
	var fs []lint.Finding
	for i := range 2000 {
		fs = append(fs, instanceFinding(fmt.Sprintf("module.m%d", i%50), "envs/a", fmt.Sprintf("nginx:%d", i/50)))
	}
	for b.Loop() {
		mergeInstances(slices.Clone(fs))
	}
}

// A finding of a module that many roots use names ten of them, then says
// how many more; the finding keeps them all (the JSON report's roots).
func TestSayRootsCap(t *testing.T) {
	var roots []string
	for i := range 12 {
		roots = append(roots, fmt.Sprintf("envs/e%02d", i))
	}
	few := lint.Finding{Detail: "Body.", Roots: roots[:3]}
	many := lint.Finding{Detail: "Body.", Roots: slices.Clone(roots)}
	fs := []lint.Finding{few, many}
	sayRoots(fs)
	if want := "Body.\nIt holds for each of the 3 root modules (or stacks) that use this code: envs/e00, envs/e01 and envs/e02."; fs[0].Detail != want {
		t.Errorf("three roots:\n%q, want\n%q", fs[0].Detail, want)
	}
	want := "Body.\nIt holds for each of the 12 root modules (or stacks) that use this code: " +
		"envs/e00, envs/e01, envs/e02, envs/e03, envs/e04, envs/e05, envs/e06, envs/e07, envs/e08, envs/e09 and 2 more (the JSON report lists them all)."
	if fs[1].Detail != want {
		t.Errorf("twelve roots:\n%q, want\n%q", fs[1].Detail, want)
	}
	if len(fs[1].Roots) != 12 {
		t.Errorf("the finding keeps %d roots, want 12", len(fs[1].Roots))
	}
}
