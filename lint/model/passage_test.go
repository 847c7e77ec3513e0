package model

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func lineOf(file string, line int) hcl.Range {
	return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 2}}
}

// A place that feeds several module instances keeps each instance's way,
// and a finding gets the way to the instance that holds its object.
func TestPassagesPerInstance(t *testing.T) {
	at := lineOf("main.tf", 2)
	use := lineOf("modules/svc/main.tf", 9)
	cfg := &Config{}
	cfg.AddPassages(at, "module.a", Passage{lineOf("main.tf", 5), "passed to module.a as image"}, Passage{use, "used here, in module.a"})
	cfg.AddPassages(at, "module.ab", Passage{lineOf("main.tf", 8), "passed to module.ab as image"}, Passage{use, "used here, in module.ab"})
	cfg.AddPassages(at, "module.a.module.inner", Passage{lineOf("main.tf", 5), "passed to module.a as image"}, Passage{use, "used here, in module.a.module.inner"})
	// Recorded again (another scalar of the same value): kept once.
	cfg.AddPassages(at, "module.a", Passage{use, "used here, in module.a"})

	words := func(ps []Passage) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Message)
		}
		return out
	}
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"module.a.aws_ecs_task_definition.this/app", []string{"passed to module.a as image", "used here, in module.a"}},
		{"module.ab.aws_ecs_task_definition.this", []string{"passed to module.ab as image", "used here, in module.ab"}},
		{"module.a.module.inner.aws_ecs_service.s", []string{"passed to module.a as image", "used here, in module.a.module.inner"}},
		// An object the ways do not lead to: every way, each place once.
		{"aws_ecs_service.root", []string{
			"passed to module.a as image",
			"used here, in module.a; used here, in module.ab; used here, in module.a.module.inner",
			"passed to module.ab as image",
		}},
	} {
		got := words(cfg.Passages(at, c.key))
		if len(got) != len(c.want) {
			t.Errorf("%s: %q, want %q", c.key, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %q, want %q", c.key, got, c.want)
				break
			}
		}
	}
	if got := words(cfg.PassagesIn(at, "module.ab")); len(got) != 2 || got[1] != "used here, in module.ab" {
		t.Errorf("PassagesIn module.ab: %q", got)
	}

	// One instance only: its way, whatever the key.
	one := lineOf("main.tf", 20)
	cfg.AddPassages(one, "module.a", Passage{use, "used here, in module.a"})
	if got := words(cfg.Passages(one, "")); len(got) != 1 || got[0] != "used here, in module.a" {
		t.Errorf("one instance: %q", got)
	}
	// The root module's own way, for a root object.
	cfg.AddPassages(one, "", Passage{lineOf("main.tf", 30), "used here"})
	if got := words(cfg.Passages(one, "aws_ecs_task_definition.t/app")); len(got) != 1 || got[0] != "used here" {
		t.Errorf("root: %q", got)
	}
	if got := words(cfg.Passages(one, "module.a.aws_ecs_task_definition.this")); len(got) != 1 || got[0] != "used here, in module.a" {
		t.Errorf("module.a beside the root: %q", got)
	}
	if (*Config)(nil).Passages(at, "x") != nil || cfg.Passages(lineOf("other.tf", 1), "x") != nil {
		t.Error("passages where none were recorded")
	}
}
