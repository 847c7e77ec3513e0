package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/canpull/canpull/lint"
)

// The gitlab format: a GitLab Code Quality report, the subset of the Code
// Climate issue format that GitLab reads (artifacts: reports: codequality:).
// A JSON array of issues, one per finding:
//
//	[{"description": "CP203 public-ip-disabled: …", "check_name": "CP203",
//	  "fingerprint": "…", "severity": "critical",
//	  "location": {"path": "infra/app.tf", "lines": {"begin": 29}}}]
//
// The fingerprint is the finding's (SARIF's partialFingerprints, the
// baseline's), unique within the report as GitLab requires. Input errors
// are issues too, of check "canpull-input", so that a file that could not
// be read does not pass in silence.

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

func writeGitLab(b *bytes.Buffer, e *env) error {
	issues := []gitlabIssue{}
	for _, d := range e.res.Errors {
		if d == nil {
			continue
		}
		is := gitlabIssue{Description: diagText(d), CheckName: "canpull-input", Severity: "blocker"}
		if diagSeverity(d) == "warning" {
			is.Severity = "minor"
		}
		is.Location.Lines.Begin = 1
		if d.Subject != nil {
			is.Location.Path, _ = e.path(d.Subject.Filename)
			is.Location.Lines.Begin = max(d.Subject.Start.Line, 1)
		}
		is.Fingerprint = fingerprintOf("input", is.Location.Path, strconv.Itoa(is.Location.Lines.Begin), is.Description)
		issues = append(issues, is)
	}
	for i, f := range e.res.Findings {
		is := gitlabIssue{
			Description: gitlabDescription(f),
			CheckName:   f.RuleID,
			Fingerprint: e.fingerprints[i],
			Severity:    gitlabSeverity(f.Severity),
		}
		is.Location.Path, _ = e.path(f.Range.Filename)
		is.Location.Lines.Begin = max(f.Range.Start.Line, 1)
		if f.Range.End.Line > is.Location.Lines.Begin {
			is.Location.Lines.End = f.Range.End.Line
		}
		issues = append(issues, is)
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}

// gitlabDescription is the finding in one line: rule, headline, body and
// fix, as the merge request widget shows one line.
func gitlabDescription(f lint.Finding) string {
	d := f.RuleID + " " + f.RuleName + ": " + oneLine(f)
	if f.Fix != "" {
		d = strings.TrimSuffix(d, ".") + ". Fix: " + f.Fix
	}
	return d
}

// gitlabSeverity maps a severity onto GitLab's scale (info, minor, major,
// critical, blocker): an error stops the deployment, so it is critical; a
// warning may, so it is major.
func gitlabSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "critical"
	case lint.Warning:
		return "major"
	}
	return "info"
}

// fingerprintOf fingerprints what is not a finding (an input error).
func fingerprintOf(parts ...string) string { return lint.HashParts(parts...) }
