package lint

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var (
	ruleA = &Rule{ID: "CP203", Name: "public-ip-disabled", Severity: Error}
	ruleB = &Rule{ID: "CP301", Name: "dockerhub-anonymous", Severity: Warning}
	ruleC = &Rule{ID: "CP101", Name: "execution-role-missing", Severity: Error}
)

func testCatalog() catalog { return catalog{ruleA, ruleB, ruleC, UnusedIgnore, UnverifiedInput} }

func at(rule *Rule, file string, line, col int) Finding {
	return Finding{RuleID: rule.ID, RuleName: rule.Name, Severity: rule.Severity, Message: "m",
		Range: hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: col + 1}}}
}

const suppressSrc = `resource "aws_ecs_service" "a" {
  assign_public_ip = false # canpull:ignore CP203 proxy
  name = "a"
}

# canpull:ignore public-ip-disabled,CP301 whole block
# (a second comment line)
resource "aws_ecs_service" "b" {
  network_configuration {
    assign_public_ip = false
  }
}

resource "aws_ecs_task_definition" "c" {
  // canpull:ignore CP301
  container_definitions = jsonencode([{
    image = "nginx"
  }])
  /* canpull:ignore CP101 */ family = "c"
}

# canpull:ignore CP101 not directly above: a blank line follows

resource "aws_ecs_task_definition" "d" {
  family = "d"
}
`

func TestSuppress(t *testing.T) {
	sources := map[string][]byte{"main.tf": []byte(suppressSrc)}
	tests := []struct {
		name       string
		f          Finding
		suppressed bool
		reason     string
	}{
		{"same line", at(ruleA, "main.tf", 2, 22), true, "proxy"},
		{"same line, other rule", at(ruleB, "main.tf", 2, 22), false, ""},
		{"line below the same-line ignore", at(ruleA, "main.tf", 3, 3), false, ""},
		{"above the block: block header", at(ruleA, "main.tf", 8, 1), true, "whole block"},
		{"above the block: nested", at(ruleA, "main.tf", 10, 24), true, "whole block"},
		{"above the block: second rule", at(ruleB, "main.tf", 9, 3), true, "whole block"},
		{"above the block: rule not named", at(ruleC, "main.tf", 10, 24), false, ""},
		{"above a multi-line argument", at(ruleB, "main.tf", 17, 13), true, ""},
		{"inline /* */ before code", at(ruleC, "main.tf", 19, 30), true, ""},
		{"blank line between", at(ruleC, "main.tf", 24, 1), false, ""},
		{"other file", at(ruleA, "other.tf", 2, 22), false, ""},
	}
	for _, tt := range tests {
		s := newSuppressor(sources, testCatalog())
		if len(s.errs) > 0 {
			t.Fatal(s.errs)
		}
		kept, sup := s.suppress([]Finding{tt.f})
		if got := len(sup) == 1; got != tt.suppressed || len(kept)+len(sup) != 1 {
			t.Errorf("%s: suppressed = %v, want %v", tt.name, got, tt.suppressed)
			continue
		}
		if tt.suppressed {
			if s := sup[0].Suppression; s.Kind != SuppressedInSource || s.Justification != tt.reason || s.Range.Filename != "main.tf" {
				t.Errorf("%s: suppression %+v, want reason %q", tt.name, s, tt.reason)
			}
		}
	}
}

func TestUnusedIgnores(t *testing.T) {
	sources := map[string][]byte{"main.tf": []byte(suppressSrc)}
	s := newSuppressor(sources, testCatalog())
	// Only the same-line ignore and CP203 of the block ignore are used.
	s.suppress([]Finding{at(ruleA, "main.tf", 2, 22), at(ruleA, "main.tf", 10, 24)})
	ran := map[string]bool{"CP203": true, "CP301": true, "CP101": true}
	var got []string
	for _, f := range s.unused(ran) {
		if f.RuleID != UnusedIgnore.ID || f.Severity != Note {
			t.Errorf("unused note %+v", f)
		}
		got = append(got, f.Key+"@"+itoa(f.Range.Start.Line))
	}
	want := "canpull:ignore CP301@6 canpull:ignore CP301@15 canpull:ignore CP101@19 canpull:ignore CP101@22"
	if strings.Join(got, " ") != want {
		t.Errorf("unused:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	// Rules that did not run are not held against an ignore.
	if n := len(s.unused(map[string]bool{"CP203": true})); n != 0 {
		t.Errorf("%d unused notes for rules that did not run", n)
	}
}

func TestDirectiveErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# canpull:ignore CP999 x\n", `"CP999" is not a rule`},
		{"# canpull:ignore public-ip-disable\n", `did you mean "public-ip-disabled"?`},
		{"# canpull:ignore\n", "canpull:ignore needs the rules it ignores"},
		{"# canpull:ignroe CP203\n", "did you mean canpull:ignore?"},
		{"# canpull:ignore-fiel\n", "did you mean canpull:ignore-file?"},
		{"# canpull:ignore-file sandbox\n", "After canpull:ignore-file come the rules"},
	}
	for _, tt := range tests {
		s := newSuppressor(map[string][]byte{"x.tf": []byte(tt.src)}, testCatalog())
		if len(s.errs) != 1 || !strings.Contains(s.errs[0].Detail, tt.want) {
			t.Errorf("%q: errors %v, want one with %q", tt.src, s.errs, tt.want)
			continue
		}
		if r := s.errs[0].Subject; r == nil || r.Filename != "x.tf" || r.Start.Line != 1 {
			t.Errorf("%q: error at %v", tt.src, r)
		}
	}
	// Prose that mentions canpull is not a directive; neither is JSON.
	for name, src := range map[string]string{
		"x.tf":      "# see canpull:ignore in the README\n# canpull: checked\n# canpull:\n",
		"x.tf.json": `{"//": "canpull:ignore CP999"}`,
		"x.json":    `{"a": "# canpull:ignore CP999"}`,
	} {
		if s := newSuppressor(map[string][]byte{name: []byte(src)}, testCatalog()); len(s.errs) != 0 || len(s.files) != 0 {
			t.Errorf("%s: %v", name, s.errs)
		}
	}
}

// ignore-file covers the whole file, for the rules it names or all.
func TestIgnoreFile(t *testing.T) {
	src := "resource \"x\" \"y\" {\n  a = 1\n}\n/* canpull:ignore-file CP301 generated */\n"
	s := newSuppressor(map[string][]byte{"g.tf": []byte(src), "all.tf": []byte("# canpull:ignore-file\n" + src)}, testCatalog())
	kept, sup := s.suppress([]Finding{at(ruleB, "g.tf", 2, 3), at(ruleA, "g.tf", 2, 3), at(ruleA, "all.tf", 3, 3)})
	if len(kept) != 1 || kept[0].RuleID != "CP203" || kept[0].Range.Filename != "g.tf" || len(sup) != 2 {
		t.Errorf("kept %v, suppressed %v", kept, sup)
	}
	if sup[0].Suppression.Justification != "generated" {
		t.Errorf("reason %q", sup[0].Suppression.Justification)
	}
}

// FuzzSuppress reads ignore comments from arbitrary files: no panic, and
// every error has a place.
func FuzzSuppress(f *testing.F) {
	f.Add(suppressSrc, 2, 22)
	f.Add("# canpull:ignore-file\n", 1, 1)
	f.Add("/* canpull:ignore CP203\n reason */ x = 1", 2, 12)
	f.Add("x = <<EOT\n# canpull:ignore CP203\nEOT\n", 2, 1)
	f.Fuzz(func(t *testing.T, src string, line, col int) {
		s := newSuppressor(map[string][]byte{"f.tf": []byte(src)}, testCatalog())
		for _, e := range s.errs {
			if e.Subject == nil || e.Subject.Filename != "f.tf" {
				t.Fatalf("error without a place: %v", e)
			}
		}
		s.suppress([]Finding{at(ruleA, "f.tf", line, col), at(ruleB, "f.tf", line, col)})
		s.unused(map[string]bool{"CP203": true, "CP301": true})
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
