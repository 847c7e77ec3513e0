package baseline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

func at(file string, line int) hcl.Range {
	return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 5}}
}

// rel is how reports name files: here canpull runs in infra/, and the
// repository root is its parent.
func rel(name string) string { return "infra/" + strings.TrimPrefix(name, "./") }

func TestMakeAndSplit(t *testing.T) {
	fs := []lint.Finding{
		{RuleID: "CP304", Range: at("main.tf", 30), Key: "aws_ecs_task_definition.app/web"},
		{RuleID: "CP203", Range: at("main.tf", 40), Key: "aws_ecs_service.app|no public IP"},
		{RuleID: "CP401", Range: at("./ecs/svc.json", 3), Key: "./ecs/svc.json:services[1]/desiredcount"},
		{RuleID: "CP001", Range: at("main.tf", 9), Key: "x", Unverified: true}, // never in a baseline
	}
	b := Make(fs, rel)
	want := `{
  "version": 1,
  "findings": [
    {"rule":"CP401","file":"infra/ecs/svc.json","object":"services[1]","fingerprint":"` + lint.Fingerprints(fs, rel)[2] + `"},
    {"rule":"CP203","file":"infra/main.tf","object":"aws_ecs_service.app","fingerprint":"` + lint.Fingerprints(fs, rel)[1] + `"},
    {"rule":"CP304","file":"infra/main.tf","object":"aws_ecs_task_definition.app","fingerprint":"` + lint.Fingerprints(fs, rel)[0] + `"}
  ]
}
`
	if got := string(b.Bytes()); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	back, err := Parse("b.json", b.Bytes())
	if err != nil || string(back.Bytes()) != want {
		t.Fatalf("read back: %v\n%s", err, back.Bytes())
	}

	// The same findings, moved down by ten lines, one fixed, one new, and
	// the JSON file named from another folder: its fingerprint holds.
	later := []lint.Finding{
		{RuleID: "CP304", Range: at("main.tf", 40), Key: "aws_ecs_task_definition.app/web"},
		{RuleID: "CP304", Range: at("main.tf", 41), Key: "aws_ecs_task_definition.app/worker"},
		{RuleID: "CP401", Range: at("ecs/svc.json", 13), Key: "ecs/svc.json:services[1]/desiredcount"},
		{RuleID: "CP001", Range: at("main.tf", 9), Key: "x", Unverified: true},
	}
	fresh, known, stale := back.Split(later, rel, func(Entry) bool { return true })
	if len(known) != 2 || known[0].Key != "aws_ecs_task_definition.app/web" || known[1].RuleID != "CP401" {
		t.Errorf("known: %+v", known)
	}
	if len(fresh) != 2 || fresh[0].Key != "aws_ecs_task_definition.app/worker" || !fresh[1].Unverified {
		t.Errorf("fresh: %+v", fresh)
	}
	if len(stale) != 1 || stale[0].Rule != "CP203" || stale[0].Object != "aws_ecs_service.app" {
		t.Errorf("stale: %+v", stale)
	}
	// Entries the run could not judge are not stale.
	if _, _, stale := back.Split(later, rel, func(Entry) bool { return false }); len(stale) != 0 {
		t.Errorf("stale without judging: %+v", stale)
	}
}

// Two findings of one fingerprint take two entries: a third is new.
func TestSplitCountsDuplicates(t *testing.T) {
	f := lint.Finding{RuleID: "CP304", Range: at("main.tf", 1), Message: "same"}
	b := Make([]lint.Finding{f, f}, rel)
	fresh, known, _ := b.Split([]lint.Finding{f, f, f}, rel, func(Entry) bool { return true })
	if len(known) != 2 || len(fresh) != 1 {
		t.Errorf("known %d, fresh %d", len(known), len(fresh))
	}
}

// A finding that stands for several module instances (lint.Finding.Merged)
// is known by any of its instances' entries, so that a baseline written
// before the driver merged them still holds it, and uses them all, none
// left stale; written now, the baseline is the same file.
func TestMergedInstances(t *testing.T) {
	one := func(in string, line int) lint.Finding {
		return lint.Finding{RuleID: "CP301", Range: at("modules/app/variables.tf", line), Module: in, Key: in + ".aws_ecs_task_definition.this/app"}
	}
	before := []lint.Finding{one("module.a", 7), one("module.b", 7), one("module.c", 7), one("module.a", 9)}
	merged := before[0]
	merged.Merged = []lint.Instance{{Module: "module.b", Key: before[1].Key}, {Module: "module.c", Key: before[2].Key}}
	after := []lint.Finding{merged, before[3]}

	old := Make(before, rel)
	if now := Make(after, rel); string(now.Bytes()) != string(old.Bytes()) {
		t.Errorf("written after the merge:\n%s\nbefore:\n%s", now.Bytes(), old.Bytes())
	}
	if fresh, known, stale := old.Split(after, rel, func(Entry) bool { return true }); len(fresh) != 0 || len(known) != 2 || len(stale) != 0 {
		t.Errorf("full baseline: fresh %d, known %d, stale %v", len(fresh), len(known), stale)
	}
	// One instance's entry alone (module.b: not the one that speaks).
	var partial File
	for _, e := range old.Findings {
		if e.Object == "module.b.aws_ecs_task_definition.this" {
			partial.Findings = append(partial.Findings, e)
		}
	}
	if fresh, known, stale := partial.Split(after, rel, func(Entry) bool { return true }); len(partial.Findings) != 1 || len(fresh) != 1 || len(known) != 1 || known[0].Key != merged.Key || len(stale) != 0 {
		t.Errorf("one instance's entry: fresh %v, known %v, stale %v", fresh, known, stale)
	}
	// Another instance's entry does not hold it.
	unrelated := File{Findings: []Entry{{Rule: "CP301", File: "infra/modules/app/variables.tf", Object: "module.d.aws_ecs_task_definition.this",
		Fingerprint: lint.Fingerprints([]lint.Finding{one("module.d", 7)}, rel)[0]}}}
	if fresh, _, stale := unrelated.Split(after, rel, func(Entry) bool { return true }); len(fresh) != 2 || len(stale) != 1 {
		t.Errorf("module.d's entry: fresh %d (want 2), stale %d (want 1)", len(fresh), len(stale))
	}
}

func TestParseRefuses(t *testing.T) {
	for src, want := range map[string]string{
		`{"version": 1, "findings": [], "extra": 1}`:      "unknown field",
		`{"version": 2, "findings": []}`:                  "version 2",
		`{"findings": []}`:                                "no \"version\"",
		`{"version": 1, "findings": [{"rule": "CP203"}]}`: "entry 1 lacks",
		`{"version": 1, "findings": []} {}`:               "text after",
		`[]`:                                              "not a canpull baseline",
		`{"version": 1, "findings": [{"rule": 1, "file": "a", "fingerprint": "b"}]}`: "not a canpull baseline",
	} {
		if _, err := Parse("b.json", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", src, err, want)
		}
	}
}

// FuzzParse: a baseline file in a pull request is user input. Parse never
// panics, and what it accepts it writes back in a form it reads the same.
func FuzzParse(f *testing.F) {
	f.Add(`{"version": 1, "findings": [{"rule": "CP203", "file": "a.tf", "object": "x", "fingerprint": "f"}]}`)
	f.Add(`{"version": 1, "findings": []}`)
	f.Fuzz(func(t *testing.T, src string) {
		b, err := Parse("b.json", []byte(src))
		if err != nil {
			return
		}
		again, err := Parse("b.json", b.Bytes())
		if err != nil || len(again.Findings) != len(b.Findings) {
			t.Fatalf("written back, it does not read the same: %v", err)
		}
	})
}

// BenchmarkSplit: a big repository's run, 10,000 findings, against a
// baseline that holds them all.
func BenchmarkSplit(b *testing.B) {
	fs := make([]lint.Finding, 10000)
	for i := range fs {
		fs[i] = lint.Finding{RuleID: "CP304", Range: at(fmt.Sprintf("mod%d/main.tf", i%300), i), Key: fmt.Sprintf("aws_ecs_task_definition.t%d/app", i)}
	}
	base := Make(fs, rel)
	judged := func(Entry) bool { return true }
	for b.Loop() {
		if _, known, _ := base.Split(fs, rel, judged); len(known) != len(fs) {
			b.Fatal(len(known))
		}
	}
}
