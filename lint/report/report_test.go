package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden writes the test result in every format and compares the output
// with testdata/*.golden; -update rewrites them.
func TestGolden(t *testing.T) {
	empty := func(testing.TB) *driver.Result {
		return &driver.Result{Stats: driver.Stats{Files: 3, Modules: 1, TaskDefinitions: 1, Services: 1}}
	}
	tests := []struct {
		golden string
		result func(testing.TB) *driver.Result
		opts   func(*Options)
	}{
		{"text.golden", testResult, func(o *Options) { o.Format = "text" }},
		{"text-color.golden", testResult, func(o *Options) { o.Format = "text"; o.Color = true }},
		{"text-quiet.golden", testResult, func(o *Options) { o.Format = "text"; o.Quiet = true }},
		{"text-empty.golden", empty, func(o *Options) { o.Format = "text" }},
		{"json.golden", testResult, func(o *Options) { o.Format = "json" }},
		{"json-empty.golden", empty, func(o *Options) { o.Format = "json" }},
		{"sarif.golden", testResult, func(o *Options) { o.Format = "sarif" }},
		{"sarif-empty.golden", empty, func(o *Options) { o.Format = "sarif" }},
		{"github.golden", testResult, func(o *Options) { o.Format = "github" }},
		{"markdown.golden", testResult, func(o *Options) { o.Format = "markdown" }},
		{"markdown-empty.golden", empty, func(o *Options) { o.Format = "markdown" }},
		{"junit.golden", testResult, func(o *Options) { o.Format = "junit" }},
		{"junit-empty.golden", empty, func(o *Options) { o.Format = "junit" }},
		{"gitlab.golden", testResult, func(o *Options) { o.Format = "gitlab" }},
		{"gitlab-empty.golden", empty, func(o *Options) { o.Format = "gitlab" }},
		{"checkstyle.golden", testResult, func(o *Options) { o.Format = "checkstyle" }},
		{"checkstyle-empty.golden", empty, func(o *Options) { o.Format = "checkstyle" }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			opts := testOptions("")
			tt.opts(&opts)
			var b bytes.Buffer
			if err := Write(&b, tt.result(t), opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	tests := []struct {
		format string
		want   []string
	}{
		{"xml", []string{`unknown format "xml"`, "text, json, sarif, github"}},
		{"JSON", []string{`did you mean "json"?`, "text, json, sarif, github"}},
		{"sarf", []string{`did you mean "sarif"?`}},
		{"gihub", []string{`did you mean "github"?`}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := Write(&b, testResult(t), testOptions(tt.format))
		if err == nil {
			t.Fatalf("Write(format %q) = nil error", tt.format)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Write(format %q) error %q lacks %q", tt.format, err, w)
			}
		}
		if b.Len() != 0 {
			t.Errorf("Write(format %q) wrote %d bytes", tt.format, b.Len())
		}
	}
}

func TestWriteEveryFormat(t *testing.T) {
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, nil, testOptions(f)); err != nil {
			t.Errorf("Write(nil result, %s): %v", f, err)
		}
	}
	// The empty format is text.
	var a, b bytes.Buffer
	if err := Write(&a, testResult(t), testOptions("")); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, testResult(t), testOptions("text")); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error(`format "" differs from "text"`)
	}
}

func TestPath(t *testing.T) {
	e := newEnv(&driver.Result{}, Options{BaseDir: testBase + "/sub"})
	tests := []struct {
		name, want string
		inside     bool
	}{
		{"sub/a.tf", "a.tf", true},
		{"./sub/x/../b.tf", "b.tf", true},
		{testBase + "/sub/c/d.tf", "c/d.tf", true},
		{"main.tf", testBase + "/main.tf", false},
		{"/elsewhere/e.tf", "/elsewhere/e.tf", false},
		{testBase + "/subway/f.tf", testBase + "/subway/f.tf", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, inside := e.path(tt.name)
		if got != tt.want || inside != tt.inside {
			t.Errorf("path(%q) = %q, %v; want %q, %v", tt.name, got, inside, tt.want, tt.inside)
		}
	}
	// No BaseDir: the current folder.
	e = newEnv(&driver.Result{}, Options{})
	if got, inside := e.path("x/y.tf"); got != "x/y.tf" || !inside {
		t.Errorf("path without BaseDir = %q, %v", got, inside)
	}
}

// TestFingerprintsIgnoreLines checks that moving findings to other lines
// keeps their fingerprints, and that the file, the rule and the key each
// change them.
func TestFingerprintsIgnoreLines(t *testing.T) {
	res := testResult(t)
	before := newEnv(res, testOptions("json")).fingerprints
	moved := testResult(t)
	for i := range moved.Findings {
		r := &moved.Findings[i].Range
		r.Start.Line += 10
		r.End.Line += 10
		r.Start.Byte += 100
		r.End.Byte += 100
	}
	after := newEnv(moved, testOptions("json")).fingerprints
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("fingerprints changed when lines moved:\n%s", diff)
	}
	seen := map[string]bool{}
	for _, fp := range before {
		if seen[fp] {
			t.Errorf("fingerprint %s repeats", fp)
		}
		seen[fp] = true
	}

	base := lint.Finding{RuleID: "CP203", Key: "aws_ecs_service.web", Message: "m"}
	base.Range.Filename = "main.tf"
	fp := func(f lint.Finding) string {
		return newEnv(&driver.Result{Findings: []lint.Finding{f}}, testOptions("json")).fingerprints[0]
	}
	variants := map[string]func(*lint.Finding){
		"rule": func(f *lint.Finding) { f.RuleID = "CP201" },
		"key":  func(f *lint.Finding) { f.Key = "aws_ecs_service.api" },
		"file": func(f *lint.Finding) { f.Range.Filename = "other.tf" },
	}
	for name, change := range variants {
		f := base
		change(&f)
		if fp(f) == fp(base) {
			t.Errorf("changing the %s keeps the fingerprint", name)
		}
	}
	f := base
	f.Message = "another message"
	if fp(f) != fp(base) {
		t.Error("the message changes the fingerprint of a finding with a key")
	}
	// The same file named two ways has one fingerprint.
	f = base
	f.Range.Filename = testBase + "/main.tf"
	if fp(f) != fp(base) {
		t.Error("an absolute path changes the fingerprint")
	}
	// Two findings that would share a fingerprint are told apart.
	two := newEnv(&driver.Result{Findings: []lint.Finding{base, base}}, testOptions("json")).fingerprints
	if two[0] == two[1] || two[1] != two[0]+":2" {
		t.Errorf("duplicate fingerprints = %q", two)
	}
}
