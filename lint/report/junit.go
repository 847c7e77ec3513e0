package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint"
)

// The junit format: JUnit XML, as GitLab (artifacts: reports: junit:) and
// Jenkins (the JUnit plugin) read it. Each task definition and service
// that was checked is a test case, so that those that pass show too; a
// finding about it at or above warning is the <failure> of its case (one
// failure a case: a second finding joins the first), and notes are listed
// in its system-out and fail nothing. A finding about neither
// (a repository policy, a loader's note) is a case of its own, and so is
// each input that could not be read, as an <error>. Cases are grouped in
// one test suite per file; a case's classname is its file, which GitLab
// shows as the suite, and its name says what it checked, unique in its
// file as GitLab requires. Elements and attributes are those of Jenkins'
// published schema (junit-10.xsd), whose <testsuites> has no skipped.
//
//	<testsuites name="canpull" tests="3" failures="1" errors="0" time="0">
//	  <testsuite name="infra/app.tf" tests="2" failures="1" errors="0" skipped="0" time="0">
//	    <testcase name="service aws_ecs_service.app" classname="infra/app.tf" file="infra/app.tf" line="20" time="0">
//	      <failure message="CP203 public-ip-disabled: …" type="CP203">…</failure>
//	    </testcase>
//	  </testsuite>
//	</testsuites>

type junitReport struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	File      string         `xml:"file,attr,omitempty"`
	Line      int            `xml:"line,attr,omitempty"`
	Time      string         `xml:"time,attr"`
	Failure   *junitProblem  `xml:"failure"`
	Errors    []junitProblem `xml:"error"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
	more    int    // findings joined after the first
}

// junitTime is every duration: canpull does not time its checks, and a
// fixed value keeps the report the same from run to run.
const junitTime = "0"

func writeJUnit(b *bytes.Buffer, e *env) error {
	type pending struct {
		file string
		c    junitCase
	}
	var cases []*pending
	byChecked := map[int]*pending{}
	for k, c := range e.res.Checked {
		file, _ := e.path(c.Range.Filename)
		addr := c.Addr
		if rest, ok := strings.CutPrefix(addr, c.Range.Filename); ok && c.Range.Filename != "" {
			addr = file + rest // an ECS JSON document's address is its file
		}
		p := &pending{file: file, c: junitCase{Name: c.Kind + " " + addr, Classname: file, File: file, Line: c.Range.Start.Line, Time: junitTime}}
		byChecked[k] = p
		cases = append(cases, p)
	}
	for _, f := range e.res.Findings {
		// A finding merged from several module instances fails each
		// instance's case.
		var ps []*pending
		for _, k := range e.res.CheckedOf(f) {
			ps = append(ps, byChecked[k])
		}
		if len(ps) == 0 {
			file, _ := e.path(f.Range.Filename)
			name := f.RuleID + " " + f.RuleName
			if f.Key != "" {
				name += " " + lint.StableKey(f, file)
			}
			p := &pending{file: file, c: junitCase{Name: name, Classname: file, File: file, Line: f.Range.Start.Line, Time: junitTime}}
			cases = append(cases, p)
			ps = append(ps, p)
		}
		for _, p := range ps {
			e.junitFinding(&p.c, f)
		}
	}
	for _, d := range e.res.Errors {
		if d == nil || diagSeverity(d) != "error" {
			continue
		}
		file, line := "", 0
		if d.Subject != nil {
			file, _ = e.path(d.Subject.Filename)
			line = d.Subject.Start.Line
		}
		p := &pending{file: file, c: junitCase{Name: fmt.Sprintf("input line %d", line), Classname: file, File: file, Line: line, Time: junitTime}}
		p.c.Errors = append(p.c.Errors, junitProblem{Message: d.Summary, Type: "input", Text: diagText(d)})
		cases = append(cases, p)
	}

	// One suite per file, in file order; cases in line order, their names
	// made unique within the file.
	sort.SliceStable(cases, func(i, j int) bool {
		if cases[i].file != cases[j].file {
			return cases[i].file < cases[j].file
		}
		return cases[i].c.Line < cases[j].c.Line
	})
	doc := junitReport{Name: "canpull", Time: junitTime, Suites: []junitSuite{}}
	seen := map[string]int{}
	for _, p := range cases {
		key := p.file + "\x00" + p.c.Name
		if seen[key]++; seen[key] > 1 {
			p.c.Name += fmt.Sprintf(" (%d)", seen[key])
		}
		if n := len(doc.Suites); n == 0 || doc.Suites[n-1].Name != p.file {
			doc.Suites = append(doc.Suites, junitSuite{Name: p.file, Time: junitTime})
		}
		s := &doc.Suites[len(doc.Suites)-1]
		s.Cases = append(s.Cases, p.c)
		s.Tests++
		switch {
		case len(p.c.Errors) > 0:
			s.Errors++
		case p.c.Failure != nil:
			s.Failures++
		}
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	return writeXML(b, doc)
}

// junitFinding adds a finding to its case: a failure, or for a note a
// paragraph of its system-out.
func (e *env) junitFinding(c *junitCase, f lint.Finding) {
	where := position(f.Range)
	if p, ok := e.path(f.Range.Filename); ok {
		where = fmt.Sprintf("%s:%d:%d", p, f.Range.Start.Line, f.Range.Start.Column)
	}
	text := where + ": " + f.Severity.String() + " " + findingText(f)
	if f.Severity < lint.Warning {
		c.SystemOut = strings.TrimSpace(c.SystemOut + "\n\n" + text)
		return
	}
	if c.Failure == nil {
		c.Failure = &junitProblem{Message: f.RuleID + " " + f.RuleName + ": " + f.Message, Type: f.RuleID, Text: text}
		return
	}
	// One failure a case, as every JUnit reader expects: the others join it.
	c.Failure.Text += "\n\n" + text
	c.Failure.Message = strings.TrimSuffix(c.Failure.Message, moreSuffix(c.Failure.more)) + moreSuffix(c.Failure.more+1)
	c.Failure.more++
}

// moreSuffix ends the message of a failure that holds more findings.
func moreSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %d more)", n)
}
