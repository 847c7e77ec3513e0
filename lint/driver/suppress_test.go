package driver

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/terraform"
)

var (
	ruleA = &lint.Rule{ID: "CP203", Name: "public-ip-disabled", Severity: lint.Error}
	ruleB = &lint.Rule{ID: "CP301", Name: "dockerhub-anonymous", Severity: lint.Warning}
	ruleC = &lint.Rule{ID: "CP101", Name: "execution-role-missing", Severity: lint.Error}
)

func testCatalog() catalog {
	return catalog{ruleA, ruleB, ruleC, lint.UnusedIgnore, lint.UnverifiedInput}
}

func at(rule *lint.Rule, file string, line, col int) lint.Finding {
	return lint.Finding{RuleID: rule.ID, RuleName: rule.Name, Severity: rule.Severity, Message: "m",
		Range: hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: col + 1}}}
}

// hclSuppressor reads the ignore comments of HCL sources as the Terraform
// input does, and hands them to the driver's suppressor: the whole way
// from a comment to a silenced finding. Its errs hold both sides' errors.
func hclSuppressor(sources map[string][]byte, rules catalog) *suppressor {
	ignores, diags := terraform.Ignores(sources)
	s := newSuppressor(ignores, rules)
	s.errs = append(diags, s.errs...)
	return s
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
		f          lint.Finding
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
		s := hclSuppressor(sources, testCatalog())
		if len(s.errs) > 0 {
			t.Fatal(s.errs)
		}
		kept, sup := s.suppress([]lint.Finding{tt.f})
		if got := len(sup) == 1; got != tt.suppressed || len(kept)+len(sup) != 1 {
			t.Errorf("%s: suppressed = %v, want %v", tt.name, got, tt.suppressed)
			continue
		}
		if tt.suppressed {
			if s := sup[0].Suppression; s.Kind != lint.SuppressedInSource || s.Justification != tt.reason || s.Range.Filename != "main.tf" {
				t.Errorf("%s: suppression %+v, want reason %q", tt.name, s, tt.reason)
			}
		}
	}
}

func TestUnusedIgnores(t *testing.T) {
	sources := map[string][]byte{"main.tf": []byte(suppressSrc)}
	s := hclSuppressor(sources, testCatalog())
	// Only the same-line ignore and CP203 of the block ignore are used.
	s.suppress([]lint.Finding{at(ruleA, "main.tf", 2, 22), at(ruleA, "main.tf", 10, 24)})
	ran := map[string]bool{"CP203": true, "CP301": true, "CP101": true}
	var got []string
	for _, f := range s.unused(ran) {
		if f.RuleID != lint.UnusedIgnore.ID || f.Severity != lint.Note {
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
		s := hclSuppressor(map[string][]byte{"x.tf": []byte(tt.src)}, testCatalog())
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
		if s := hclSuppressor(map[string][]byte{name: []byte(src)}, testCatalog()); len(s.errs) != 0 || len(s.files) != 0 {
			t.Errorf("%s: %v", name, s.errs)
		}
	}
}

// ignore-file covers the whole file, for the rules it names or all.
func TestIgnoreFile(t *testing.T) {
	src := "resource \"x\" \"y\" {\n  a = 1\n}\n/* canpull:ignore-file CP301 generated */\n"
	s := hclSuppressor(map[string][]byte{"g.tf": []byte(src), "all.tf": []byte("# canpull:ignore-file\n" + src)}, testCatalog())
	kept, sup := s.suppress([]lint.Finding{at(ruleB, "g.tf", 2, 3), at(ruleA, "g.tf", 2, 3), at(ruleA, "all.tf", 3, 3)})
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
		s := hclSuppressor(map[string][]byte{"f.tf": []byte(src)}, testCatalog())
		for _, e := range s.errs {
			if e.Subject == nil || e.Subject.Filename != "f.tf" {
				t.Fatalf("error without a place: %v", e)
			}
		}
		s.suppress([]lint.Finding{at(ruleA, "f.tf", line, col), at(ruleB, "f.tf", line, col)})
		s.unused(map[string]bool{"CP203": true, "CP301": true})
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// An input that has its own way to ignore (a template's Metadata) fills in
// an Ignore: what it covers, and the words of the note when it silences
// nothing.
func TestIgnoreOfOtherForms(t *testing.T) {
	block := hcl.Range{Filename: "t.yaml", Start: hcl.Pos{Line: 3, Column: 3}, End: hcl.Pos{Line: 9, Column: 1}}
	ignores := []input.Ignore{{
		Range: hcl.Range{Filename: "t.yaml", Start: hcl.Pos{Line: 5, Column: 9}, End: hcl.Pos{Line: 5, Column: 20}},
		Form:  "Metadata canpull ignore", Rules: []string{"CP203", "dockerhub-anonymous"}, Reason: "proxy",
		Covers: []hcl.Range{block},
		Where:  "in resource Service", Fix: "delete the entry",
	}}
	s := newSuppressor(ignores, testCatalog())
	kept, sup := s.suppress([]lint.Finding{at(ruleA, "t.yaml", 4, 7), at(ruleA, "t.yaml", 9, 1), at(ruleA, "u.yaml", 4, 7)})
	if len(sup) != 1 || sup[0].Range.Start.Line != 4 || sup[0].Suppression.Justification != "proxy" || len(kept) != 2 {
		t.Errorf("kept %v, suppressed %v", kept, sup)
	}
	notes := s.unused(map[string]bool{"CP203": true, "CP301": true})
	if len(notes) != 1 || notes[0].Message != "Metadata canpull ignore CP301 suppresses nothing: no CP301 dockerhub-anonymous finding is where it applies" ||
		!strings.HasPrefix(notes[0].Detail, "No CP301 dockerhub-anonymous finding was reported in resource Service:") ||
		notes[0].Fix != "delete the entry" || notes[0].Range.Start.Line != 5 {
		t.Errorf("notes: %+v", notes)
	}
	// A rule that does not exist is an error at the ignore, which then
	// silences nothing.
	s = newSuppressor([]input.Ignore{{Range: ignores[0].Range, Rules: []string{"CP2O3"}, Covers: []hcl.Range{block}}}, testCatalog())
	if len(s.errs) != 1 || !strings.Contains(s.errs[0].Detail, `did you mean "CP203"?`) || s.errs[0].Subject.Start.Line != 5 {
		t.Errorf("errors: %v", s.errs)
	}
	if _, sup := s.suppress([]lint.Finding{at(ruleA, "t.yaml", 4, 7)}); len(sup) != 0 {
		t.Errorf("an ignore with an unknown rule suppressed %v", sup)
	}
}
