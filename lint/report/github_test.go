package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		in, data, prop string
	}{
		{"plain text", "plain text", "plain text"},
		{"100%", "100%25", "100%25"},
		{"%0A is not a newline", "%250A is not a newline", "%250A is not a newline"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"CP203: x, y", "CP203: x, y", "CP203%3A x%2C y"},
		{"::error::injected", "::error::injected", "%3A%3Aerror%3A%3Ainjected"},
		{"dir,x/a:b.tf", "dir,x/a:b.tf", "dir%2Cx/a%3Ab.tf"},
		{"日本 = é", "日本 = é", "日本 = é"},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

// TestGitHubCommands checks whole commands: levels, properties and their
// order, escaping, and one line per command even when messages have line
// breaks.
func TestGitHubCommands(t *testing.T) {
	f := func(sev lint.Severity, file string, start, end hcl.Pos, msg, fix string) lint.Finding {
		return lint.Finding{RuleID: "CP203", RuleName: "public-ip-disabled", Severity: sev, Message: msg, Fix: fix,
			Range: hcl.Range{Filename: file, Start: start, End: end}}
	}
	p := func(line, col int) hcl.Pos { return hcl.Pos{Line: line, Column: col} }
	tests := []struct {
		name string
		f    lint.Finding
		want string
	}{
		{"error", f(lint.Error, "main.tf", p(5, 5), p(5, 29), "m", "x"),
			"::error file=main.tf,line=5,col=5,endLine=5,endColumn=29,title=CP203 public-ip-disabled::m%0AFix: x"},
		{"warning", f(lint.Warning, "main.tf", p(5, 5), p(5, 29), "m", ""),
			"::warning file=main.tf,line=5,col=5,endLine=5,endColumn=29,title=CP203 public-ip-disabled::m"},
		{"note", f(lint.Note, "main.tf", p(5, 5), p(5, 29), "m", ""),
			"::notice file=main.tf,line=5,col=5,endLine=5,endColumn=29,title=CP203 public-ip-disabled::m"},
		{"zero width", f(lint.Error, "main.tf", p(5, 5), p(5, 5), "m", ""),
			"::error file=main.tf,line=5,col=5,endLine=5,endColumn=5,title=CP203 public-ip-disabled::m"},
		{"multi-line", f(lint.Error, "main.tf", p(5, 5), p(9, 2), "m", ""),
			"::error file=main.tf,line=5,endLine=9,title=CP203 public-ip-disabled::m"},
		{"ends at a line start", f(lint.Error, "main.tf", p(5, 5), p(9, 1), "m", ""),
			"::error file=main.tf,line=5,endLine=8,title=CP203 public-ip-disabled::m"},
		{"ends with its line", f(lint.Error, "main.tf", p(5, 5), p(6, 1), "m", ""),
			"::error file=main.tf,line=5,col=5,endLine=5,title=CP203 public-ip-disabled::m"},
		{"escaped", f(lint.Error, "a,b:c.tf", p(1, 1), p(1, 2), "50% of\ntasks\r\nfail: yes, really", "do x: y"),
			"::error file=a%2Cb%3Ac.tf,line=1,col=1,endLine=1,endColumn=2,title=CP203 public-ip-disabled::50%25 of%0Atasks%0D%0Afail: yes, really%0AFix: do x: y"},
		{"headline and body", func() lint.Finding {
			f := f(lint.Error, "main.tf", p(5, 5), p(5, 29), "headline", "x")
			f.Detail = "body one\nbody two"
			return f
		}(), "::error file=main.tf,line=5,col=5,endLine=5,endColumn=29,title=CP203 public-ip-disabled::headline%0Abody one%0Abody two%0AFix: x"},
		{"outside", f(lint.Error, "/elsewhere/x.tf", p(1, 1), p(1, 2), "m", ""),
			"::error file=/elsewhere/x.tf,line=1,col=1,endLine=1,endColumn=2,title=CP203 public-ip-disabled::m"},
		{"inside, absolute", f(lint.Error, testBase+"/net/x.tf", p(1, 1), p(1, 2), "m", ""),
			"::error file=net/x.tf,line=1,col=1,endLine=1,endColumn=2,title=CP203 public-ip-disabled::m"},
		{"no position", f(lint.Error, "main.tf", hcl.Pos{}, hcl.Pos{}, "m", ""),
			"::error file=main.tf,title=CP203 public-ip-disabled::m"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := Write(&b, &driver.Result{Findings: []lint.Finding{tt.f}}, testOptions("github")); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(b.String(), "\n"); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestGitHubOneLineEach(t *testing.T) {
	var b bytes.Buffer
	res := testResult(t)
	if err := Write(&b, res, testOptions("github")); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if want := len(res.Findings) + len(res.Errors); len(lines) != want {
		t.Fatalf("%d lines, want %d", len(lines), want)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("not a workflow command: %s", l)
		}
		if strings.Contains(l, "\r") {
			t.Errorf("carriage return in %q", l)
		}
	}
}
