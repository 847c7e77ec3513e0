package driver

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
)

func TestFinish(t *testing.T) {
	// A rule's could-not-verify note is CP001's, naming the rule.
	note := func(rule *lint.Rule, file string, line int, key string) lint.Finding {
		f := at(lint.UnverifiedInput, file, line, 1)
		f.Severity, f.Key, f.Unverified, f.Message, f.StoppedRule = lint.Note, key, true, rule.ID+" could not verify: "+key, rule.ID
		return f
	}
	cfg := &model.Config{
		Services:        []*model.Service{{Meta: model.Meta{Addr: "aws_ecs_service.web"}}},
		TaskDefinitions: []*model.TaskDefinition{{Meta: model.Meta{Addr: "aws_ecs_task_definition.web"}}},
	}
	fs := []lint.Finding{
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
	objects := map[string]string{}
	attribute(fs, 0, cfg, objects)
	// "  assign_public_ip = false # canpull:ignore CP203 proxy" on line 2
	ignores := []input.Ignore{{
		Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 2, Column: 28}, End: hcl.Pos{Line: 2, Column: 55}},
		Form:  "canpull:ignore", Rules: []string{"CP203"}, Reason: "proxy",
		Covers: []hcl.Range{input.LineRange("main.tf", 2)},
	}}
	res := &Result{Sources: map[string][]byte{}}
	opts := Options{
		Rules:    []*lint.Rule{ruleA, ruleB, ruleC, lint.UnusedIgnore, lint.UnverifiedInput},
		Severity: map[string]lint.Severity{"CP301": lint.Error},
		Exclude:  func(p string) bool { return p == "skipped/x.tf" },
		Ignores:  []Ignore{{Rules: []string{"CP101"}, Files: func(p string) bool { return p == "legacy/task.json" }, Reason: "legacy"}},
	}
	finish(fs, objects, ignores, opts, res)

	if len(res.Findings) != 1 || res.Findings[0].RuleID != "CP301" || res.Findings[0].Severity != lint.Error {
		t.Errorf("findings: %+v", res.Findings)
	}
	if len(res.Suppressed) != 2 || res.Suppressed[0].Suppression.Kind != lint.SuppressedExternal ||
		res.Suppressed[1].Suppression.Kind != lint.SuppressedInSource || res.Suppressed[0].Suppression.Justification != "legacy" {
		t.Errorf("suppressed: %+v", res.Suppressed)
	}
	st := res.Stats
	if st.Suppressed != 2 || st.UnverifiedServices != 1 || st.UnverifiedTaskDefinitions != 1 || st.Unverified != 2 || st.UnknownFacts != 3 {
		t.Errorf("stats: %+v", st)
	}

	// With --show-unverified the notes stay, as notes whatever the override.
	res = &Result{Sources: map[string][]byte{}}
	opts.ShowUnverified = true
	finish(fs, objects, ignores, opts, res)
	notes := 0
	for _, f := range res.Findings {
		if f.Unverified {
			notes++
			if f.Severity != lint.Note {
				t.Errorf("a could-not-verify note became %s", f.Severity)
			}
		}
	}
	if notes != 3 {
		t.Errorf("%d notes, want 3", notes)
	}

	// Turning CP001 off turns every could-not-verify note off.
	res = &Result{Sources: map[string][]byte{}}
	opts.Rules = opts.Rules[:len(opts.Rules)-1]
	finish(fs, objects, ignores, opts, res)
	for _, f := range res.Findings {
		if f.Unverified {
			t.Errorf("CP001 is off, and a note is left: %+v", f)
		}
	}
	if res.Stats.UnknownFacts != 0 {
		t.Errorf("CP001 is off, and %d unknown facts are counted", res.Stats.UnknownFacts)
	}
}
