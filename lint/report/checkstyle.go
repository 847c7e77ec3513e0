package report

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// The checkstyle format: the XML that Checkstyle writes, which reviewdog
// (-f=checkstyle) and Jenkins' Warnings plugin read. One <file> element per
// file with problems, paths relative to the base folder; one <error> per
// finding, whose source is "canpull.CP203" (reviewdog shows it as the
// rule), and one per input error, whose source is "canpull.input".
//
//	<checkstyle version="4.3">
//	  <file name="infra/app.tf">
//	    <error line="29" column="24" severity="error" message="…" source="canpull.CP203"></error>
//	  </file>
//	</checkstyle>

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// checkstyleVersion is the Checkstyle version whose format this follows.
const checkstyleVersion = "4.3"

func writeCheckstyle(b *bytes.Buffer, e *env) error {
	byFile := map[string][]checkstyleError{}
	add := func(r *hcl.Range, ce checkstyleError) {
		name := ""
		if r != nil {
			name, _ = e.path(r.Filename)
			ce.Line, ce.Column = max(r.Start.Line, 1), r.Start.Column
		}
		byFile[name] = append(byFile[name], ce)
	}
	for _, d := range e.res.Errors {
		if d == nil {
			continue
		}
		add(d.Subject, checkstyleError{Severity: diagSeverity(d), Message: diagText(d), Source: "canpull.input"})
	}
	for _, f := range e.res.Findings {
		add(&f.Range, checkstyleError{Severity: checkstyleSeverity(f.Severity), Message: findingText(f), Source: "canpull." + f.RuleID})
	}
	doc := checkstyleReport{Version: checkstyleVersion, Files: []checkstyleFile{}}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		doc.Files = append(doc.Files, checkstyleFile{Name: name, Errors: byFile[name]})
	}
	return writeXML(b, doc)
}

// checkstyleSeverity is Checkstyle's word: error, warning, info.
func checkstyleSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "info"
}

// findingText is a finding for a reader that shows one message: the
// headline with its rule, then the body and the fix in paragraphs.
func findingText(f lint.Finding) string {
	parts := []string{f.RuleID + " " + f.RuleName + ": " + f.Message}
	if f.Detail != "" {
		parts = append(parts, f.Detail)
	}
	if f.Fix != "" {
		parts = append(parts, "Fix: "+f.Fix)
	}
	return strings.Join(parts, "\n\n")
}

// diagText is an input error in one line: "summary: detail".
func diagText(d *hcl.Diagnostic) string {
	if d.Detail == "" {
		return d.Summary
	}
	return d.Summary + ": " + d.Detail
}

// writeXML writes the XML declaration and doc, indented, with a final
// newline. encoding/xml escapes every value, and replaces characters that
// XML 1.0 cannot hold.
func writeXML(b *bytes.Buffer, doc any) error {
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteString("\n")
	return nil
}
