package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// sarifSchemaPath is the official SARIF 2.1.0 schema, kept outside the
// repository (../shared/schemas from the repository root).
var sarifSchemaPath = filepath.Join("..", "..", "..", "shared", "schemas", "sarif-schema-2.1.0.json")

func writeSARIFBytes(t *testing.T, res *driver.Result, opts Options) []byte {
	t.Helper()
	opts.Format = "sarif"
	var b bytes.Buffer
	if err := Write(&b, res, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSARIFSchema validates SARIF output against the official schema, with
// formats (uri, uri-reference) asserted.
func TestSARIFSchema(t *testing.T) {
	data, err := os.ReadFile(sarifSchemaPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the SARIF schema is not at %s (it lives outside the repository, in ../shared/schemas): not validating", sarifSchemaPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const loc = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(loc)
	if err != nil {
		t.Fatal(err)
	}

	odd := testResult(t)
	odd.Findings = append(odd.Findings,
		// A rule the registry lacks, a range without columns, one with
		// its end before its start, and one with no file at all.
		lint.Finding{RuleID: "CP999", RuleName: "made-up", Severity: lint.Note, Message: "m",
			Range: hcl.Range{Filename: "dir with space/a#b.tf", Start: hcl.Pos{Line: 2}}},
		lint.Finding{RuleID: "CP203", Severity: lint.Error, Message: "m",
			Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 5, Column: 9, Byte: 200}, End: hcl.Pos{Line: 5, Column: 3, Byte: 194}}},
		lint.Finding{RuleID: "CP203", Severity: lint.Error, Message: "m"},
	)
	cases := map[string][]byte{
		"full":     writeSARIFBytes(t, testResult(t), testOptions("sarif")),
		"empty":    writeSARIFBytes(t, &driver.Result{}, Options{}),
		"odd":      writeSARIFBytes(t, odd, testOptions("sarif")),
		"noRules":  writeSARIFBytes(t, testResult(t), Options{BaseDir: testBase}),
		"noHelp":   writeSARIFBytes(t, testResult(t), Options{BaseDir: testBase, Rules: testRules()}),
		"rootBase": writeSARIFBytes(t, testResult(t), Options{BaseDir: "/"}),
	}
	// The validator must see a mistake: a level that SARIF lacks.
	bad := bytes.Replace(cases["full"], []byte(`"level": "warning"`), []byte(`"level": "fatal"`), 1)
	if inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad)); err != nil || schema.Validate(inst) == nil {
		t.Error("the schema accepts a result with level \"fatal\"")
	}
	for name, out := range cases {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF output is not valid against the schema:\n%v", name, err)
		}
	}
}

// sarifDoc is the part of a SARIF log that GitHub's requirements concern.
// unlink takes SARIF's embedded links out of a message: "[a\\[0\\]](2)"
// becomes "a[0]".
func unlink(s string) string {
	return sarifLink.ReplaceAllStringFunc(s, func(m string) string {
		label := sarifLink.FindStringSubmatch(m)[1]
		return strings.NewReplacer(`\[`, "[", `\]`, "]").Replace(label)
	})
}

var sarifLink = regexp.MustCompile(`\[((?:[^\]\\]|\\.)*)\]\((\d+)\)`)

type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID, Name, HelpURI    string
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		ColumnKind         string
		Results            []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct{ Text, Markdown string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
					Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
				}
			}
			RelatedLocations []struct {
				ID      int
				Message struct{ Text string }
			}
			PartialFingerprints map[string]string
			Suppressions        []struct {
				Kind, Justification string
				Location            *struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
}

func decodeSARIF(t *testing.T, out []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with one", doc.Version, len(doc.Runs))
	}
	return doc
}

// TestSARIFGitHub checks what GitHub code scanning needs beyond the schema.
func TestSARIFGitHub(t *testing.T) {
	res := testResult(t)
	opts := testOptions("sarif")
	doc := decodeSARIF(t, writeSARIFBytes(t, res, opts))
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "canpull" || d.Version != "1.2.3" || d.InformationURI != "https://github.com/canpull/canpull" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	if len(d.Rules) != len(opts.Rules) {
		t.Fatalf("%d rules, want every rule of the registry (%d)", len(d.Rules), len(opts.Rules))
	}
	for i, r := range d.Rules {
		want := opts.Rules[i]
		if r.ID != want.ID || r.Name != want.Name {
			t.Errorf("rules[%d] = %s %s, want %s %s", i, r.ID, r.Name, want.ID, want.Name)
		}
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %s lacks a description or help: %+v", r.ID, r)
		}
		if r.Help.Markdown != want.Doc {
			t.Errorf("rule %s help.markdown is not its Doc", r.ID)
		}
		if strings.ContainsAny(r.Help.Text, "`#") || strings.Contains(r.Help.Text, "**") || strings.Contains(r.Help.Text, "](") {
			t.Errorf("rule %s help.text keeps Markdown: %q", r.ID, r.Help.Text)
		}
		if r.HelpURI != opts.HelpURI(want) {
			t.Errorf("rule %s helpUri = %q", r.ID, r.HelpURI)
		}
		if r.DefaultConfiguration.Level != want.Severity.String() {
			t.Errorf("rule %s level = %q, want %q", r.ID, r.DefaultConfiguration.Level, want.Severity)
		}
		if tags, _ := r.Properties["tags"].([]any); len(tags) == 0 {
			t.Errorf("rule %s has no tags", r.ID)
		}
	}

	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///work/proj/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
	all := append(append([]lint.Finding(nil), res.Findings...), res.Suppressed...)
	if len(run.Results) != len(all) {
		t.Fatalf("%d results for %d findings and %d suppressed", len(run.Results), len(res.Findings), len(res.Suppressed))
	}
	fps := map[string]bool{}
	for i, r := range run.Results {
		f := all[i]
		// A suppressed finding says by what, and why.
		switch s := f.Suppression; {
		case s == nil && len(r.Suppressions) != 0:
			t.Errorf("result %d: suppressions %+v on a finding", i, r.Suppressions)
		case s != nil && (len(r.Suppressions) != 1 || r.Suppressions[0].Kind != s.Kind ||
			r.Suppressions[0].Justification != s.Justification || r.Suppressions[0].Location == nil):
			t.Errorf("result %d: suppressions %+v, want kind %q, justification %q and a location", i, r.Suppressions, s.Kind, s.Justification)
		}
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(d.Rules) || d.Rules[*r.RuleIndex].ID != r.RuleID || r.RuleID != f.RuleID {
			t.Errorf("result %d: ruleId %s, ruleIndex %v does not match", i, r.RuleID, r.RuleIndex)
		}
		if r.Level != f.Severity.String() {
			t.Errorf("result %d: level %q, want %q", i, r.Level, f.Severity)
		}
		// The headline first, then the body and the fix, with the
		// related locations linked in.
		want := f.Message
		if f.Detail != "" {
			want += "\n\n" + f.Detail
		}
		if f.Fix != "" {
			want += "\n\nFix: " + f.Fix
		}
		if got := unlink(r.Message.Text); got != want {
			t.Errorf("result %d: message (links taken out)\n%q, want\n%q", i, got, want)
		}
		if r.Message.Markdown != r.Message.Text {
			t.Errorf("result %d: markdown %q differs from the text", i, r.Message.Markdown)
		}
		fp := r.PartialFingerprints["canpull/v1"]
		if fp == "" || fps[fp] {
			t.Errorf("result %d: partialFingerprints %v missing or repeated", i, r.PartialFingerprints)
		}
		fps[fp] = true
		if len(r.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(r.Locations))
		}
		pl := r.Locations[0].PhysicalLocation
		uri, reg := pl.ArtifactLocation.URI, pl.Region
		u, err := url.Parse(uri)
		if err != nil {
			t.Errorf("result %d: uri %q: %v", i, uri, err)
		}
		switch f.Range.Filename {
		case "/elsewhere/shared.tf":
			if uri != "file:///elsewhere/shared.tf" || pl.ArtifactLocation.URIBaseID != "" {
				t.Errorf("result %d: outside file as %q base %q", i, uri, pl.ArtifactLocation.URIBaseID)
			}
		default:
			if u.IsAbs() || strings.HasPrefix(uri, "/") || strings.Contains(uri, "\\") || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
				t.Errorf("result %d: uri %q base %q is not relative to %%SRCROOT%%", i, uri, pl.ArtifactLocation.URIBaseID)
			}
		}
		if reg.StartLine != f.Range.Start.Line || reg.EndLine != f.Range.End.Line || reg.StartColumn < 1 ||
			(reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
			t.Errorf("result %d: region %+v for range %v", i, reg, f.Range)
		}
		if len(r.RelatedLocations) != len(f.Related) {
			t.Errorf("result %d: %d related locations, want %d", i, len(r.RelatedLocations), len(f.Related))
		}
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 2 {
		t.Fatalf("invocations = %+v", inv)
	}
	if n := inv[0].ToolExecutionNotifications; n[0].Level != "error" || n[1].Level != "warning" {
		t.Errorf("notification levels %q, %q", n[0].Level, n[1].Level)
	}
}

// TestSARIFRegions checks columns: UTF-16 from the source text, 1-based,
// end exclusive, and never an end before the start.
func TestSARIFRegions(t *testing.T) {
	res := testResult(t)
	e := newEnv(res, testOptions("sarif"))
	tests := []struct {
		name string
		r    hcl.Range
		want sarifRegion
	}{
		{"plain", rangeOf(t, "main.tf", mainTF, "assign_public_ip = false", 1), sarifRegion{5, 5, 5, 29}},
		{"zero width", pointAt(t, "main.tf", mainTF, "subnets", 1), sarifRegion{4, 5, 4, 5}},
		// "é" is e and a combining accent: one HCL column, two UTF-16
		// units; 日本 are one unit each.
		{"unicode", rangeOf(t, "main.tf", mainTF, "日本:latest", 1), sarifRegion{13, 26, 13, 35}},
		{"after unicode", rangeOf(t, "main.tf", mainTF, "latest\"", 1), sarifRegion{13, 29, 13, 36}},
		{"multi-line", rangeOf(t, "main.tf", mainTF, "{\n  name", 1), sarifRegion{1, 34, 2, 7}},
		{"no source", hcl.Range{Filename: "missing.tf", Start: hcl.Pos{Line: 3, Column: 11}, End: hcl.Pos{Line: 3, Column: 25}}, sarifRegion{3, 11, 3, 25}},
		{"end before start", hcl.Range{Filename: "missing.tf", Start: hcl.Pos{Line: 3, Column: 11}, End: hcl.Pos{Line: 3, Column: 2}}, sarifRegion{3, 11, 3, 11}},
		{"no end", hcl.Range{Filename: "missing.tf", Start: hcl.Pos{Line: 3, Column: 11}}, sarifRegion{3, 11, 3, 11}},
		{"no columns", hcl.Range{Filename: "missing.tf", Start: hcl.Pos{Line: 3}, End: hcl.Pos{Line: 4}}, sarifRegion{StartLine: 3, EndLine: 4}},
		// A wrong Byte (not on the position's line) falls back to Column.
		{"bad byte", hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 5, Column: 5, Byte: 3}, End: hcl.Pos{Line: 5, Column: 21}}, sarifRegion{5, 5, 5, 21}},
	}
	for _, tt := range tests {
		got := e.sarifRegion(tt.r)
		if got == nil || *got != tt.want {
			t.Errorf("%s: region %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := e.sarifRegion(hcl.Range{Filename: "main.tf"}); got != nil {
		t.Errorf("a range without a line has region %+v", got)
	}
}

func TestSARIFUnknownRule(t *testing.T) {
	res := &driver.Result{Findings: []lint.Finding{{RuleID: "CP999", RuleName: "made-up", Severity: lint.Warning, Message: "m",
		Range: hcl.Range{Filename: "a b/c.tf", Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 2}}}}}
	opts := testOptions("sarif")
	doc := decodeSARIF(t, writeSARIFBytes(t, res, opts))
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != len(opts.Rules)+1 || rules[len(rules)-1].ID != "CP999" || rules[len(rules)-1].Help.Text == "" {
		t.Fatalf("the unknown rule is not described last: %d rules", len(rules))
	}
	r := run.Results[0]
	if *r.RuleIndex != len(rules)-1 {
		t.Errorf("ruleIndex %d, want %d", *r.RuleIndex, len(rules)-1)
	}
	if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "a%20b/c.tf" {
		t.Errorf("uri %q, want a%%20b/c.tf", uri)
	}
	if run.Invocations[0].ExecutionSuccessful != true {
		t.Error("a run without input errors is not successful")
	}
}

func TestFileURI(t *testing.T) {
	for _, tt := range []struct {
		path string
		dir  bool
		want string
	}{
		{"/work/proj", true, "file:///work/proj/"},
		{"/work/proj/", true, "file:///work/proj/"},
		{"/", true, "file:///"},
		{"/a b/c#d.tf", false, "file:///a%20b/c%23d.tf"},
		{"C:/src/x.tf", false, "file:///C:/src/x.tf"},
		{`C:\src`, true, "file:///C:/src/"},
	} {
		if got := fileURI(tt.path, tt.dir); got != tt.want {
			t.Errorf("fileURI(%q, %v) = %q, want %q", tt.path, tt.dir, got, tt.want)
		}
	}
}

// TestSARIFLinks: the first mention of what each related location is about
// links to it, as GitHub shows: "[aws_subnet.a](2)". Brackets in the link
// text are escaped; code spans, links already made and longer addresses
// that merely contain it are left alone.
func TestSARIFLinks(t *testing.T) {
	at := func(line int) hcl.Range {
		return hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 2}}
	}
	f := lint.Finding{RuleID: "CP203", RuleName: "public-ip-disabled", Severity: lint.Error, Range: at(1),
		Message: "service aws_ecs_service.app gets no public IP in subnet aws_subnet.public[0]",
		Detail:  "Its route table `aws_route_table.rt` sends 0.0.0.0/0 to module.vpc.aws_internet_gateway.gw, then aws_internet_gateway.gw.",
		Fix:     "set `assign_public_ip = true`",
		Related: []lint.Related{
			{Range: at(2), Message: "path", Path: &lint.PullPath{Service: "aws_ecs_service.app", Subnet: "aws_subnet.public[0]"}},
			{Range: at(3), Message: "route table aws_route_table.rt"},
			{Range: at(4), Message: "aws_internet_gateway.gw"},
			{Range: at(5), Message: "the default route"},
			{Range: at(6), Message: "subnet aws_subnet.public[0]"},
		},
	}
	doc := decodeSARIF(t, writeSARIFBytes(t, &driver.Result{Findings: []lint.Finding{f}}, testOptions("sarif")))
	got := doc.Runs[0].Results[0].Message.Text
	want := "service aws_ecs_service.app gets no public IP in subnet [aws_subnet.public\\[0\\]](1)\n\n" +
		"Its route table `aws_route_table.rt` sends 0.0.0.0/0 to module.vpc.aws_internet_gateway.gw, then [aws_internet_gateway.gw](3).\n\n" +
		"Fix: set `assign_public_ip = true`"
	if got != want {
		t.Errorf("message\n%s\nwant\n%s", got, want)
	}
	if ids := doc.Runs[0].Results[0].RelatedLocations; len(ids) != 5 || ids[0].ID != 1 || ids[2].ID != 3 {
		t.Errorf("related locations %+v", ids)
	}
}

// TestSARIFTruncated: GitHub takes at most 25,000 results in a run. Past
// that, the most severe are kept, suppressed ones last, and a notification
// says how many were left out.
func TestSARIFTruncated(t *testing.T) {
	defer func(n int) { maxSARIFResults = n }(maxSARIFResults)
	maxSARIFResults = 3
	mk := func(sev lint.Severity, line int) lint.Finding {
		return lint.Finding{RuleID: "CP203", RuleName: "public-ip-disabled", Severity: sev, Message: "m", Key: strconv.Itoa(line),
			Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 2}}}
	}
	sup := mk(lint.Error, 9)
	sup.Suppression = &lint.Suppression{Kind: lint.SuppressedInSource}
	res := &driver.Result{
		Findings:   []lint.Finding{mk(lint.Note, 1), mk(lint.Error, 2), mk(lint.Warning, 3), mk(lint.Note, 4), mk(lint.Error, 5)},
		Suppressed: []lint.Finding{sup},
	}
	doc := decodeSARIF(t, writeSARIFBytes(t, res, testOptions("sarif")))
	var lines []int
	for _, r := range doc.Runs[0].Results {
		lines = append(lines, r.Locations[0].PhysicalLocation.Region.StartLine)
	}
	if fmt.Sprint(lines) != "[2 3 5]" {
		t.Errorf("kept the results on lines %v, want the errors and the warning, in order: [2 3 5]", lines)
	}
	n := doc.Runs[0].Invocations[0].ToolExecutionNotifications
	if len(n) != 1 || n[0].Level != "warning" || !strings.Contains(n[0].Message.Text, "canpull found 6 results") ||
		!strings.Contains(n[0].Message.Text, "at most 3") || !strings.Contains(n[0].Message.Text, "leaves out 3") {
		t.Errorf("notifications %+v", n)
	}
	// Under the limit, nothing is left out and nothing is said.
	maxSARIFResults = 6
	doc = decodeSARIF(t, writeSARIFBytes(t, res, testOptions("sarif")))
	if len(doc.Runs[0].Results) != 6 || len(doc.Runs[0].Invocations[0].ToolExecutionNotifications) != 0 {
		t.Errorf("at the limit: %d results, notifications %+v", len(doc.Runs[0].Results), doc.Runs[0].Invocations[0].ToolExecutionNotifications)
	}
}

// TestSARIFRuleProperties: each rule says its precision and its tags, for
// code scanning's filters.
func TestSARIFRuleProperties(t *testing.T) {
	doc := decodeSARIF(t, writeSARIFBytes(t, testResult(t), testOptions("sarif")))
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		if r.Properties["precision"] != "very-high" {
			t.Errorf("rule %s: precision %v", r.ID, r.Properties["precision"])
		}
		tags := fmt.Sprint(r.Properties["tags"])
		if r.ID == "CP203" && tags != "[canpull ecs network fargate public-ip]" {
			t.Errorf("rule CP203: tags %s, want its group's and its own", tags)
		}
	}
}
