package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/report"
	"github.com/canpull/canpull/rules"
)

// The CI formats (junit, gitlab, checkstyle), written for real runs over
// fixtures of every input, and checked against what their readers accept.

// ciFixtures are fixture folders of every input, with findings of every
// severity, passes, and input errors.
var ciFixtures = []string{
	"CP203/fires-false", "CP203/quiet-enabled", "CP203/cfn-public-ip-disabled", "CP203/cfn-json-public-ip-disabled",
	"CP304/fires-terraform", "CP304/fires-json", "CP401/fires-json-service", "CP401/fires-heredoc",
	"CP401/error-wrong-shape-json", "CP202/mutation-endpoints-private-dns-off",
}

// ciResults keeps each fixture's run: three tests read them.
var ciResults = map[string]*driver.Result{}

func ciRun(t *testing.T, dir string) (*driver.Result, report.Options) {
	t.Helper()
	base, _ := filepath.Abs(filepath.Join("..", ".."))
	opts := report.Options{BaseDir: base, Rules: rules.All(), HelpURI: rules.HelpURI}
	if res, ok := ciResults[dir]; ok {
		return res, opts
	}
	// Absolute: the package's tests pretend to run in another folder.
	path, _ := filepath.Abs(filepath.Join("..", "..", "fixtures", filepath.FromSlash(dir)))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("fixture %s: %v", dir, err)
	}
	res := driver.Run(context.Background(), driver.Options{
		Paths: []string{path}, Rules: append(rules.All(), lint.UnverifiedInput), ShowUnverified: true,
		Inputs: inputs.All(inputs.Options{}),
	})
	ciResults[dir] = res
	return res, opts
}

func write(t *testing.T, res *driver.Result, opts report.Options, format string) []byte {
	t.Helper()
	opts.Format = format
	var b bytes.Buffer
	if err := report.Write(&b, res, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGitLabSchema validates the Code Quality reports against the schema
// written from GitLab's documented fields (testdata), and checks what the
// schema cannot: fingerprints unique, and the same as SARIF's.
func TestGitLabSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "gitlab-codequality.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("gitlab-codequality.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("gitlab-codequality.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(out []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			return err
		}
		return schema.Validate(inst)
	}
	if validate([]byte(`[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "high", "location": {"path": "a", "lines": {"begin": 1}}}]`)) == nil {
		t.Fatal("the schema accepts the severity \"high\"")
	}
	issues := 0
	for _, dir := range ciFixtures {
		res, opts := ciRun(t, dir)
		out := write(t, res, opts, "gitlab")
		if err := validate(out); err != nil {
			t.Errorf("%s: not valid:\n%v\n%s", dir, err, out)
			continue
		}
		var got []struct {
			Fingerprint string `json:"fingerprint"`
			CheckName   string `json:"check_name"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		var sarif struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(write(t, res, opts, "sarif"), &sarif); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		k := 0
		for _, is := range got {
			if seen[is.Fingerprint] {
				t.Errorf("%s: fingerprint %s twice", dir, is.Fingerprint)
			}
			seen[is.Fingerprint] = true
			if is.CheckName == "canpull-input" {
				continue
			}
			if want := sarif.Runs[0].Results[k].PartialFingerprints[report.FingerprintKey]; is.Fingerprint != want {
				t.Errorf("%s: issue %d has fingerprint %s, SARIF %s", dir, k, is.Fingerprint, want)
			}
			k++
		}
		if k != len(res.Findings) {
			t.Errorf("%s: %d issues for %d findings", dir, k, len(res.Findings))
		}
		issues += len(got)
	}
	if issues < 10 {
		t.Errorf("only %d issues over the fixtures: the test checks too little", issues)
	}
}

// junitSchema is what a JUnit reader accepts, element by element: the
// attributes each may have (required ones marked with "!") and the
// children it may hold. It is the subset of Jenkins' published schema
// (testdata/junit-10.xsd, of jenkinsci/xunit-plugin; TestJUnitXSD
// validates against the schema itself where xmllint is installed) that
// GitLab parses too (https://docs.gitlab.com/ci/testing/unit_test_reports/):
// <testsuites> has no skipped attribute there, though <testsuite> has.
var junitSchema = map[string]struct {
	attrs    []string
	children []string
	text     bool
}{
	"testsuites": {attrs: []string{"name", "tests", "failures", "errors", "disabled", "time"}, children: []string{"testsuite"}},
	"testsuite": {attrs: []string{"!name", "!tests", "failures", "errors", "skipped", "disabled", "time", "timestamp", "hostname", "id", "package", "file"},
		children: []string{"properties", "testcase", "system-out", "system-err"}},
	"testcase":   {attrs: []string{"!name", "classname", "assertions", "time", "status", "file", "line"}, children: []string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure":    {attrs: []string{"message", "type"}, text: true},
	"error":      {attrs: []string{"message", "type"}, text: true},
	"system-out": {text: true},
}

// TestJUnitValid checks the junit reports element by element against
// junitSchema, the counts of every suite against its cases, and that each
// task definition and service checked is a case: passes show.
func TestJUnitValid(t *testing.T) {
	cases, failures := 0, 0
	for _, dir := range ciFixtures {
		res, opts := ciRun(t, dir)
		out := write(t, res, opts, "junit")
		if err := checkXML(out, "testsuites", junitSchema); err != nil {
			t.Errorf("%s: %v\n%s", dir, err, out)
			continue
		}
		var doc struct {
			Suites []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Name      string `xml:"name,attr"`
					Classname string `xml:"classname,attr"`
					Failure   *struct {
						Message string `xml:"message,attr"`
					} `xml:"failure"`
					Errors []struct{} `xml:"error"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		counts, err := junitCounts(out)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		total, fails := 0, 0
		for i, s := range doc.Suites {
			f := 0
			for _, c := range s.Cases {
				if names[c.Classname+"\x00"+c.Name] {
					t.Errorf("%s: case %q of %s twice (GitLab keeps only the first)", dir, c.Name, c.Classname)
				}
				names[c.Classname+"\x00"+c.Name] = true
				if c.Failure != nil {
					f++
				}
			}
			if counts[i] != [3]int{len(s.Cases), f, counts[i][2]} {
				t.Errorf("%s: suite %s says tests/failures %v, holds %d cases, %d failing", dir, s.Name, counts[i], len(s.Cases), f)
			}
			total += len(s.Cases)
			fails += f
		}
		for _, c := range res.Checked {
			found := false
			for n := range names {
				if strings.HasSuffix(n, " "+c.Addr) || strings.Contains(n, "\x00"+c.Kind+" ") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s %s checked but no test case", dir, c.Kind, c.Addr)
			}
		}
		cases += total
		failures += fails
	}
	if cases < 10 || failures < 5 || failures == cases {
		t.Errorf("%d cases, %d failing: the fixtures should give passes and failures", cases, failures)
	}
}

// TestJUnitXSD validates the junit reports of the fixtures, and the golden
// files, against Jenkins' published schema for JUnit reports
// (testdata/junit-10.xsd, with its source) with xmllint, where it is
// installed (Debian: libxml2-utils; .ci/run installs it). Go has no XML
// Schema validator; TestJUnitValid checks the same elements without one.
func TestJUnitXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils): the junit reports are not validated against testdata/junit-10.xsd")
	}
	schema := filepath.Join("testdata", "junit-10.xsd")
	dir := t.TempDir()
	files := []string{filepath.Join("testdata", "junit.golden"), filepath.Join("testdata", "junit-empty.golden")}
	for i, fixture := range ciFixtures {
		res, opts := ciRun(t, fixture)
		name := filepath.Join(dir, fmt.Sprintf("%d.xml", i))
		if err := os.WriteFile(name, write(t, res, opts, "junit"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	out, err := exec.Command(xmllint, append([]string{"--noout", "--schema", schema}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("the junit reports are not valid against %s (the fixtures in order: %q):\n%s", schema, ciFixtures, out)
	}
	// The schema must be able to refuse: a report with an element it does
	// not know.
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, []byte(`<testsuites><testsuite tests="1"><testcase/></testsuite></testsuites>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", schema, bad).Run(); err == nil {
		t.Error("xmllint accepts a test case without a name: the schema checks nothing")
	}
}

// junitCounts reads each suite's tests, failures and errors attributes.
func junitCounts(out []byte) ([][3]int, error) {
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	var out3 [][3]int
	for _, s := range doc.Suites {
		out3 = append(out3, [3]int{s.Tests, s.Failures, s.Errors})
	}
	return out3, nil
}

// checkstyleSchema is the Checkstyle XML format as reviewdog
// (-f=checkstyle) and Jenkins' Warnings plugin read it.
var checkstyleSchema = map[string]struct {
	attrs    []string
	children []string
	text     bool
}{
	"checkstyle": {attrs: []string{"version"}, children: []string{"file"}},
	"file":       {attrs: []string{"!name"}, children: []string{"error"}},
	"error":      {attrs: []string{"!line", "column", "!severity", "!message", "source"}},
}

func TestCheckstyleValid(t *testing.T) {
	errs := 0
	for _, dir := range ciFixtures {
		res, opts := ciRun(t, dir)
		out := write(t, res, opts, "checkstyle")
		if err := checkXML(out, "checkstyle", checkstyleSchema); err != nil {
			t.Errorf("%s: %v\n%s", dir, err, out)
		}
		var doc struct {
			Files []struct {
				Name   string `xml:"name,attr"`
				Errors []struct {
					Line     int    `xml:"line,attr"`
					Severity string `xml:"severity,attr"`
					Source   string `xml:"source,attr"`
				} `xml:"error"`
			} `xml:"file"`
		}
		if err := xml.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range doc.Files {
			if strings.HasPrefix(f.Name, "/") || strings.HasPrefix(f.Name, "..") {
				t.Errorf("%s: file %s is not relative to the repository root", dir, f.Name)
			}
			for _, e := range f.Errors {
				if e.Line < 1 || !strings.HasPrefix(e.Source, "canpull.") || (e.Severity != "error" && e.Severity != "warning" && e.Severity != "info") {
					t.Errorf("%s: %+v", dir, e)
				}
				if e.Source != "canpull.input" {
					n++
				}
			}
		}
		if n != len(res.Findings) {
			t.Errorf("%s: %d errors for %d findings", dir, n, len(res.Findings))
		}
		errs += n
	}
	if errs < 10 {
		t.Errorf("only %d errors over the fixtures", errs)
	}
}

// checkXML walks an XML document and checks every element against schema:
// known elements only, in the right parents, with known attributes and the
// required ones, and text only where allowed.
func checkXML(doc []byte, root string, schema map[string]struct {
	attrs    []string
	children []string
	text     bool
}) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			spec, ok := schema[name]
			switch {
			case !ok:
				return fmt.Errorf("unknown element <%s>", name)
			case len(stack) == 0 && name != root:
				return fmt.Errorf("root <%s>, want <%s>", name, root)
			case len(stack) > 0 && !contains(schema[stack[len(stack)-1]].children, name):
				return fmt.Errorf("<%s> inside <%s>", name, stack[len(stack)-1])
			}
			have := map[string]bool{}
			for _, a := range tok.Attr {
				if !contains(spec.attrs, a.Name.Local) && !contains(spec.attrs, "!"+a.Name.Local) {
					return fmt.Errorf("<%s> has an unknown attribute %s", name, a.Name.Local)
				}
				if strings.HasSuffix(a.Name.Local, "s") || a.Name.Local == "line" {
					if _, err := strconv.Atoi(a.Value); err != nil && isCount(a.Name.Local) {
						return fmt.Errorf("<%s %s=%q>: not a number", name, a.Name.Local, a.Value)
					}
				}
				have[a.Name.Local] = true
			}
			for _, a := range spec.attrs {
				if r, ok := strings.CutPrefix(a, "!"); ok && !have[r] {
					return fmt.Errorf("<%s> lacks %s", name, r)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && !schema[stack[len(stack)-1]].text && len(bytes.TrimSpace(tok)) > 0 {
				return fmt.Errorf("text inside <%s>", stack[len(stack)-1])
			}
		}
	}
	return nil
}

func isCount(attr string) bool {
	switch attr {
	case "tests", "failures", "errors", "skipped", "disabled", "line", "assertions":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
