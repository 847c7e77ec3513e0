package report

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// The github format: one GitHub Actions workflow command per finding and
// per input error, which the runner turns into an annotation:
//
//	::error file=main.tf,line=12,col=5,endLine=12,endColumn=29,title=CP203 public-ip-disabled::headline%0Abody%0AFix: fix
//
// Errors are ::error, warnings ::warning, notes ::notice. Paths are relative
// to the base folder. Columns (hcl's, end exclusive) are given only for a
// range on one line, as GitHub accepts no columns across lines. The
// headline is the message's first line; the body, the fix and the related
// ranges follow on lines of their own.

type ghProp struct{ key, value string }

func writeGitHub(b *bytes.Buffer, e *env) error {
	for _, d := range e.res.Errors {
		if d == nil {
			continue
		}
		cmd := "error"
		if d.Severity == hcl.DiagWarning {
			cmd = "warning"
		}
		var props []ghProp
		if d.Subject != nil {
			props = e.ghLocation(*d.Subject)
		}
		props = append(props, ghProp{"title", "canpull: input " + cmd})
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		ghCommand(b, cmd, props, msg)
	}
	for _, f := range e.res.Findings {
		props := e.ghLocation(f.Range)
		title := f.RuleID
		if f.RuleName != "" {
			title += " " + f.RuleName
		}
		props = append(props, ghProp{"title", title})
		msg := f.Message
		if f.Detail != "" {
			msg += "\n" + f.Detail
		}
		if f.Fix != "" {
			msg += "\nFix: " + f.Fix
		}
		for _, r := range f.Related {
			msg += "\nrelated: " + e.ghPosition(r.Range)
			if r.Message != "" {
				msg += ": " + r.Message
			}
		}
		ghCommand(b, ghLevel(f.Severity), props, msg)
	}
	return nil
}

func ghLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// ghLocation gives the file, line and column properties of a range. A
// range that ends at the start of a line ends, for GitHub, on the line
// before; columns are left out across lines, as GitHub refuses them there.
func (e *env) ghLocation(r hcl.Range) []ghProp {
	if r.Filename == "" {
		return nil
	}
	p, _ := e.path(r.Filename)
	props := []ghProp{{"file", p}}
	if r.Start.Line < 1 {
		return props
	}
	line := strconv.Itoa(r.Start.Line)
	endLine, endCol := r.End.Line, r.End.Column
	switch {
	case endLine < r.Start.Line:
		endLine, endCol = r.Start.Line, r.Start.Column
	case endLine > r.Start.Line && endCol <= 1:
		endLine, endCol = endLine-1, 0 // the end of that line
	}
	if endLine != r.Start.Line || r.Start.Column < 1 {
		return append(props, ghProp{"line", line}, ghProp{"endLine", strconv.Itoa(endLine)})
	}
	props = append(props,
		ghProp{"line", line},
		ghProp{"col", strconv.Itoa(r.Start.Column)},
		ghProp{"endLine", line})
	if endCol > 0 {
		props = append(props, ghProp{"endColumn", strconv.Itoa(max(endCol, r.Start.Column))})
	}
	return props
}

// ghPosition is "path:line:col" for a related range in a message.
func (e *env) ghPosition(r hcl.Range) string {
	p, _ := e.path(r.Filename)
	if p == "" {
		p = "<unknown>"
	}
	switch {
	case r.Start.Line < 1:
		return p
	case r.Start.Column < 1:
		return p + ":" + strconv.Itoa(r.Start.Line)
	}
	return p + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Column)
}

// ghCommand writes "::cmd k=v,k=v::message" and a newline, escaped.
func ghCommand(b *bytes.Buffer, cmd string, props []ghProp, msg string) {
	b.WriteString("::" + cmd)
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p.key + "=" + escapeProperty(p.value))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
}

// escapeData escapes a workflow command's message: % as %25, CR as %0D and
// LF as %0A.
func escapeData(s string) string {
	return dataEscaper.Replace(s)
}

// escapeProperty escapes a workflow command's property value: as data,
// and : as %3A and , as %2C.
func escapeProperty(s string) string {
	return propertyEscaper.Replace(s)
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
