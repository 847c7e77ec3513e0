package lint

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

func TestFinish(t *testing.T) {
	note := func(rule *Rule, file string, line int, key string) Finding {
		f := at(rule, file, line, 1)
		f.Severity, f.Key, f.Unverified, f.Message = Note, key, true, "could not verify: "+key
		return f
	}
	cfg := &model.Config{
		Services:        []*model.Service{{Meta: model.Meta{Addr: "aws_ecs_service.web"}}},
		TaskDefinitions: []*model.TaskDefinition{{Meta: model.Meta{Addr: "aws_ecs_task_definition.web"}}},
	}
	fs := []Finding{
		at(ruleA, "main.tf", 2, 22), // suppressed in source
		at(ruleB, "main.tf", 5, 3),  // severity raised to error
		at(ruleB, "main.tf", 5, 3),  // a duplicate
		at(ruleC, "legacy/task.json", 1, 1),
		at(ruleC, "skipped/x.tf", 1, 1),
		note(ruleA, "main.tf", 7, "aws_ecs_service.web|no route"),
		note(ruleB, "main.tf", 9, "aws_ecs_task_definition.web/app"),
		note(ruleB, "main.tf", 9, "aws_ecs_task_definition.web/app"), // a duplicate
		note(ruleC, "main.tf", 11, "aws_iam_role.exec"),              // not a service or task definition
	}
	attribute(fs, 0, cfg)
	res := &Result{Sources: map[string][]byte{"main.tf": []byte("\n  assign_public_ip = false # canpull:ignore CP203 proxy\n")}}
	opts := Options{
		Rules:    []*Rule{ruleA, ruleB, ruleC, UnusedIgnore},
		Severity: map[string]Severity{"CP301": Error},
		Exclude:  func(p string) bool { return p == "skipped/x.tf" },
		Ignores:  []Ignore{{Rules: []string{"CP101"}, Files: func(p string) bool { return p == "legacy/task.json" }, Reason: "legacy"}},
	}
	finish(fs, opts, res)

	if len(res.Findings) != 1 || res.Findings[0].RuleID != "CP301" || res.Findings[0].Severity != Error {
		t.Errorf("findings: %+v", res.Findings)
	}
	if len(res.Suppressed) != 2 || res.Suppressed[0].Suppression.Kind != SuppressedExternal ||
		res.Suppressed[1].Suppression.Kind != SuppressedInSource || res.Suppressed[0].Suppression.Justification != "legacy" {
		t.Errorf("suppressed: %+v", res.Suppressed)
	}
	st := res.Stats
	if st.Suppressed != 2 || st.UnverifiedServices != 1 || st.UnverifiedTaskDefinitions != 1 || st.Unverified != 2 || st.UnknownFacts != 3 {
		t.Errorf("stats: %+v", st)
	}

	// With --show-unverified the notes stay, as notes whatever the override.
	res = &Result{Sources: map[string][]byte{}}
	opts.ShowUnverified = true
	finish(fs, opts, res)
	notes := 0
	for _, f := range res.Findings {
		if f.Unverified {
			notes++
			if f.Severity != Note {
				t.Errorf("a could-not-verify note became %s", f.Severity)
			}
		}
	}
	if notes != 3 {
		t.Errorf("%d notes, want 3", notes)
	}
}

func TestExcludeInputs(t *testing.T) {
	in := &inputs{
		modules:   []rootModule{{dir: "a"}, {dir: "examples/b"}},
		jsonFiles: []string{"ecs/x.json", "examples/y.json"},
	}
	out := excludeInputs(in, func(p string) bool { return p == "examples" || p == "examples/b" })
	if len(out.modules) != 1 || out.modules[0].dir != "a" || len(out.jsonFiles) != 1 || out.jsonFiles[0] != "ecs/x.json" {
		t.Errorf("%+v", out)
	}
}
