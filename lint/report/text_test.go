package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

func textOut(t *testing.T, res *driver.Result, mod func(*Options)) string {
	t.Helper()
	opts := testOptions("text")
	if mod != nil {
		mod(&opts)
	}
	var b bytes.Buffer
	if err := Write(&b, res, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextColor(t *testing.T) {
	plain := textOut(t, testResult(t), nil)
	if strings.Contains(plain, "\x1b") {
		t.Error("ANSI escape without Color")
	}
	colored := textOut(t, testResult(t), func(o *Options) { o.Color = true })
	for _, want := range []string{ansiRed + "error" + ansiReset, ansiYellow + "warning" + ansiReset,
		ansiCyan + "note" + ansiReset, ansiBold + "CP203" + ansiReset, ansiRed + "^~~~"} {
		if !strings.Contains(colored, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
	// Without the escapes, colour changes nothing.
	stripped := colored
	for _, code := range []string{ansiReset, ansiBoldUnderline, ansiBold, ansiRed, ansiYellow, ansiCyan} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if stripped != plain {
		t.Error("coloured output differs from plain output beyond its escapes")
	}
}

func TestTextQuiet(t *testing.T) {
	res := testResult(t)
	out := textOut(t, res, func(o *Options) { o.Quiet = true })
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := len(res.Findings) + len(res.Errors); len(lines) != want {
		t.Errorf("quiet: %d lines, want %d:\n%s", len(lines), want, out)
	}
	for _, bad := range []string{"canpull:", "fix:", "related:", " | "} {
		if strings.Contains(out, bad) {
			t.Errorf("quiet output has %q", bad)
		}
	}
}

// TestTextFindingLine checks that every finding's first line is greppable:
// file:line:col: severity ID name: message.
func TestTextFindingLine(t *testing.T) {
	res := testResult(t)
	out := textOut(t, res, nil)
	tw := &textWriter{env: newEnv(res, testOptions("text"))} // names files as the report does
	for _, f := range res.Findings {
		want := tw.position(f.Range) + ": " + f.Severity.String() + " " + f.RuleID + " " + f.RuleName + ": " + f.Message + "\n"
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestTextSnippet(t *testing.T) {
	src := "a = 1\n\tb = \"日本\" # é\nc = {\n  d = 2\n}\n"
	file := "s.tf"
	res := func(r hcl.Range) *driver.Result {
		return &driver.Result{
			Findings: []lint.Finding{{RuleID: "CP1", RuleName: "n", Severity: lint.Error, Message: "m", Range: r}},
			Sources:  map[string][]byte{file: []byte(src)},
		}
	}
	tests := []struct {
		name string
		r    hcl.Range
		want string
	}{
		{"single", rangeOf(t, file, src, "1", 1), "  1 | a = 1\n    |     ^\n"},
		{"zero width at line end", pointAt(t, file, src, "\n", 1), "  1 | a = 1\n    |      ^\n"},
		{"tab and wide characters", rangeOf(t, file, src, "# é", 1),
			"  2 |     b = \"日本\" # é\n    |                ^~~\n"},
		{"multi-line", rangeOf(t, file, src, "{\n  d = 2\n}", 1),
			"  3 | c = {\n    |     ^\n  4 |   d = 2\n    |   ~~~~~\n  5 | }\n    | ~\n"},
		{"ends at a line start", rangeOf(t, file, src, "c = {\n", 1), "  3 | c = {\n    | ^~~~~\n"},
		{"past the end", hcl.Range{Filename: file, Start: hcl.Pos{Line: 5, Column: 1, Byte: 30}, End: hcl.Pos{Line: 40, Column: 1, Byte: 900}},
			"  5 | }\n    | ^\n"},
		{"line not in file", hcl.Range{Filename: file, Start: hcl.Pos{Line: 70, Column: 1}, End: hcl.Pos{Line: 70, Column: 2}}, ""},
	}
	for _, tt := range tests {
		out := textOut(t, res(tt.r), func(o *Options) {})
		// The lines between the finding's first line (after the file's
		// header) and the blank line.
		var snippet string
		for _, l := range strings.Split(out, "\n")[2:] {
			if l == "" {
				break
			}
			snippet += l + "\n"
		}
		if snippet != tt.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tt.name, snippet, tt.want)
		}
	}
}

func TestTextSummary(t *testing.T) {
	tests := []struct {
		name string
		res  *driver.Result
		want string
	}{
		{"nothing", &driver.Result{}, "canpull: no problems in 0 files\n"},
		{"clean", &driver.Result{Stats: driver.Stats{Files: 1, TaskDefinitions: 1}},
			"canpull: no problems in 1 file (1 task definition checked)\n"},
		{"unverified hint", &driver.Result{Stats: driver.Stats{Files: 2, Modules: 2, Services: 3, Unverified: 2}},
			"canpull: no problems in 2 files (2 root modules, 3 services checked); 2 not fully verified (--show-unverified says why)\n"},
		{"counts", &driver.Result{
			Findings: []lint.Finding{{Severity: lint.Error}, {Severity: lint.Error}, {Severity: lint.Note}},
			Errors:   hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "x"}, {Severity: hcl.DiagError, Summary: "y"}},
			Stats:    driver.Stats{Files: 1}},
			"canpull: 2 errors, 1 note in 1 file; 2 input errors\n"},
		// Findings in one file of three: the count says so, rather than
		// "in 3 files".
		{"files with findings", &driver.Result{
			Findings: []lint.Finding{{Severity: lint.Warning, Range: hcl.Range{Filename: "modules/svc/main.tf"}},
				{Severity: lint.Warning, Range: hcl.Range{Filename: "modules/svc/main.tf"}}},
			Stats: driver.Stats{Files: 3, Modules: 2, TaskDefinitions: 2}},
			"canpull: 2 warnings in 1 of 3 files (2 root modules, 2 task definitions checked)\n"},
	}
	for _, tt := range tests {
		out := textOut(t, tt.res, nil)
		lines := strings.SplitAfter(out, "\n")
		if got := lines[len(lines)-2]; got != tt.want {
			t.Errorf("%s: summary %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTextClean checks that text from the inputs cannot break the output:
// line breaks, terminal escapes and bidirectional overrides.
func TestTextClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"two\nlines", "two lines"},
		{"para\n\npara\r\n", "para para "},
		{"\x1b[31mred", "<U+001B>[31mred"},
		{"a\u202eb", "a<U+202E>b"},
		{"tab\tkept", "tab\tkept"},
		{"日本 é", "日本 é"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	src := "x = \"\x1b]0;pwned\x07\"\n"
	res := &driver.Result{
		Findings: []lint.Finding{{RuleID: "CP1", Severity: lint.Error, Message: "bad \x1b[2J",
			Range: rangeOf(t, "e.tf", src, "\"", 1)}},
		Sources: map[string][]byte{"e.tf": []byte(src)},
	}
	out := textOut(t, res, nil)
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
}
