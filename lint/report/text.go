package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// The text format:
//
//	main.tf (1 error)
//	main.tf:12:5: error CP203 public-ip-disabled: headline
//	  12 |     assign_public_ip = false
//	     |     ^~~~~~~~~~~~~~~~~~~~~~~~
//	  the body: what AWS will print, the path followed and why, wrapped
//	  at 100 columns
//	  fix: how to fix it
//	  related: network.tf:3:1: why this place matters
//
//	canpull: 1 error in 3 files (1 root module, 1 task definition, 1 service checked)
//
// Findings and input errors ("file:line:col: error: summary: detail") are
// grouped by file under a header that counts them. A finding's headline
// stays on one line; its body is indented under the source. Quiet keeps
// only the first line of each block: no headers, no source, no body, no
// summary.

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	// ansiBoldUnderline marks a file's header.
	ansiBoldUnderline = "\x1b[1;4m"
	ansiRed           = "\x1b[1;31m"
	ansiYellow        = "\x1b[1;33m"
	ansiCyan          = "\x1b[1;36m"
)

// maxSnippetLines is how many lines of a multi-line range are quoted.
const maxSnippetLines = 3

type textWriter struct {
	*env
	b *bytes.Buffer
}

// shown is a file's name as the text report prints it: as the user named
// it, or, when canpull made it absolute (a variables file that .canpull.hcl
// names), relative to the working folder if it is in the repository
// ("../envs/prod.tfvars"), as the user would type it.
func (t *textWriter) shown(name string) string {
	if !filepath.IsAbs(name) {
		return name
	}
	if _, inside := t.path(name); !inside {
		return name
	}
	if rel, err := filepath.Rel(t.cwd, name); err == nil {
		return rel
	}
	return name
}

func writeText(b *bytes.Buffer, e *env) error {
	t := &textWriter{env: e, b: b}
	for _, g := range groupByFile(e.res) {
		if !e.opts.Quiet && g.file != "" {
			t.fileHeader(g)
		}
		for _, d := range g.errors {
			t.diagnostic(d)
		}
		for _, f := range g.findings {
			t.finding(f)
		}
	}
	if !e.opts.Quiet {
		t.summary()
	}
	return nil
}

// fileGroup is what the text format prints under one file's header.
type fileGroup struct {
	file     string
	errors   []*hcl.Diagnostic
	findings []lint.Finding
}

// groupByFile gathers input errors and findings by file: input errors
// that name no file first, then the files in name order, each with its
// input errors before its findings, both in the result's order.
func groupByFile(res *driver.Result) []*fileGroup {
	byName := map[string]*fileGroup{}
	var names []string
	group := func(name string) *fileGroup {
		g := byName[name]
		if g == nil {
			g = &fileGroup{file: name}
			byName[name] = g
			names = append(names, name)
		}
		return g
	}
	for _, d := range res.Errors {
		if d == nil {
			continue
		}
		name := ""
		if d.Subject != nil {
			name = d.Subject.Filename
		}
		g := group(name)
		g.errors = append(g.errors, d)
	}
	for _, f := range res.Findings {
		g := group(f.Range.Filename)
		g.findings = append(g.findings, f)
	}
	sort.Strings(names)
	out := make([]*fileGroup, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out
}

// fileHeader names the file and counts what is wrong in it.
func (t *textWriter) fileHeader(g *fileGroup) {
	e, w, n := counts(g.findings)
	var parts []string
	if len(g.errors) > 0 {
		parts = append(parts, plural(len(g.errors), "input error", "input errors"))
	}
	for _, c := range []struct {
		n          int
		one, other string
	}{{e, "error", "errors"}, {w, "warning", "warnings"}, {n, "note", "notes"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.one, c.other))
		}
	}
	fmt.Fprintf(t.b, "%s (%s)\n", t.paint(ansiBoldUnderline, clean(t.shown(g.file))), strings.Join(parts, ", "))
}

func (t *textWriter) paint(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func severityColor(sev string) string {
	switch sev {
	case "error":
		return ansiRed
	case "warning":
		return ansiYellow
	}
	return ansiCyan
}

func diagSeverity(d *hcl.Diagnostic) string {
	if d.Severity == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

func (t *textWriter) diagnostic(d *hcl.Diagnostic) {
	sev := diagSeverity(d)
	msg := clean(d.Summary)
	if d.Detail != "" {
		msg += ": " + clean(d.Detail)
	}
	if d.Subject != nil {
		fmt.Fprintf(t.b, "%s: ", t.position(*d.Subject))
	}
	fmt.Fprintf(t.b, "%s: %s\n", t.paint(severityColor(sev), sev), msg)
	if t.opts.Quiet {
		return
	}
	if d.Subject != nil {
		t.snippet(*d.Subject, sev)
	}
	t.b.WriteByte('\n')
}

func (t *textWriter) finding(f lint.Finding) {
	sev := f.Severity.String()
	head := t.paint(severityColor(sev), sev) + " " + t.paint(ansiBold, clean(f.RuleID))
	if f.RuleName != "" {
		head += " " + clean(f.RuleName)
	}
	fmt.Fprintf(t.b, "%s: %s: %s\n", t.position(f.Range), head, clean(f.Message))
	if t.opts.Quiet {
		return
	}
	t.snippet(f.Range, sev)
	for _, line := range bodyLines(f.Detail, bodyWidth) {
		t.b.WriteString("  " + line + "\n")
	}
	if f.Fix != "" {
		fmt.Fprintf(t.b, "  fix: %s\n", clean(f.Fix))
	}
	for _, r := range f.Related {
		line := "  related: " + t.position(r.Range)
		if r.Message != "" {
			line += ": " + clean(r.Message)
		}
		t.b.WriteString(line + "\n")
	}
	t.b.WriteByte('\n')
}

// bodyWidth is the width that a finding's body is wrapped to, its indent
// included.
const bodyWidth = 100

// bodyLines lays out a finding's Detail for the text format: each line of
// it a paragraph, cleaned of control characters and wrapped at spaces to
// fit width with the body's indent of two. Code in backquotes (AWS's
// error texts, HCL) is never broken, so a long one has a line of its own.
func bodyLines(detail string, width int) []string {
	var out []string
	for _, para := range strings.Split(detail, "\n") {
		var line strings.Builder
		n := 0 // characters in line
		for _, w := range words(clean(para)) {
			wn := utf8.RuneCountInString(w)
			if n > 0 && 2+n+1+wn > width {
				out = append(out, line.String())
				line.Reset()
				n = 0
			}
			if n > 0 {
				line.WriteByte(' ')
				n++
			}
			line.WriteString(w)
			n += wn
		}
		if n > 0 {
			out = append(out, line.String())
		}
	}
	return out
}

// words splits text at spaces outside backquotes; a code span stays one
// word with whatever clings to it ("`…`," or "(`…`)").
func words(text string) []string {
	var out []string
	var w strings.Builder
	code := false
	for _, r := range text {
		switch {
		case r == '`':
			code = !code
		case r == ' ' && !code:
			if w.Len() > 0 {
				out = append(out, w.String())
				w.Reset()
			}
			continue
		}
		w.WriteRune(r)
	}
	if w.Len() > 0 {
		out = append(out, w.String())
	}
	return out
}

// position is the range's position with the file's name as shown.
func (t *textWriter) position(r hcl.Range) string {
	r.Filename = t.shown(r.Filename)
	return position(r)
}

// position is "file:line:col", shortened when the range lacks a part.
func position(r hcl.Range) string {
	name := clean(r.Filename)
	if name == "" {
		name = "<unknown>"
	}
	switch {
	case r.Start.Line < 1:
		return name
	case r.Start.Column < 1:
		return fmt.Sprintf("%s:%d", name, r.Start.Line)
	}
	return fmt.Sprintf("%s:%d:%d", name, r.Start.Line, r.Start.Column)
}

// snippet quotes the lines of r and marks the range under them: "^" where
// it starts and "~" over the rest. A range of more than maxSnippetLines
// lines shows its first lines and says how many more there are. Nothing is
// printed when the file's text is not in the result.
func (t *textWriter) snippet(r hcl.Range, sev string) {
	src := t.source(r.Filename)
	if src == nil {
		return
	}
	startOff, ok := src.offset(r.Start)
	if !ok {
		return
	}
	startLine := r.Start.Line
	endLine := r.End.Line
	endOff, ok := src.offset(r.End)
	switch {
	case !ok && endLine > src.numLines():
		endLine = max(src.numLines(), startLine)
		_, endOff, _ = src.lineBounds(endLine)
	case !ok || endLine < startLine || endOff < startOff:
		endLine, endOff = startLine, startOff
	}
	// A range that ends at the very start of a line ends on the line before.
	if endLine > startLine {
		if ls, _, _ := src.lineBounds(endLine); endOff == ls {
			endLine--
			_, endOff, _ = src.lineBounds(endLine)
		}
	}
	last := min(endLine, startLine+maxSnippetLines-1)
	width := len(strconv.Itoa(last))
	for n := startLine; n <= last; n++ {
		ls, le, _ := src.lineBounds(n)
		line := string(src.text[ls:le])
		from, to := 0, len(line)
		if n == startLine {
			from = min(startOff-ls, len(line))
		} else {
			from = len(line) - len(strings.TrimLeft(line, " \t"))
		}
		if n == endLine {
			to = min(max(endOff-ls, from), len(line))
		}
		line, from, to = window(line, from, to)
		shown, fc, tc := display(line, from, to)
		fmt.Fprintf(t.b, "  %*d | %s", width, n, strings.TrimRight(shown, " "))
		t.b.WriteByte('\n')
		mark := strings.Repeat("~", tc-fc)
		if n == startLine {
			mark = "^" + strings.Repeat("~", max(tc-fc-1, 0))
		}
		if mark != "" {
			fmt.Fprintf(t.b, "  %*s | %s%s\n", width, "", strings.Repeat(" ", fc), t.paint(severityColor(sev), mark))
		}
	}
	if more := endLine - last; more > 0 {
		fmt.Fprintf(t.b, "  %*s | ... %s\n", width, "", plural(more, "more line", "more lines"))
	}
}

func (t *textWriter) summary() {
	s := t.res.Stats
	e, w, n := counts(t.res.Findings)
	var problems []string
	for _, c := range []struct {
		n          int
		one, other string
	}{{e, "error", "errors"}, {w, "warning", "warnings"}, {n, "note", "notes"}} {
		if c.n > 0 {
			problems = append(problems, plural(c.n, c.one, c.other))
		}
	}
	head := "no problems"
	if len(t.res.Errors) > 0 {
		head = "no findings" // the input errors are problems of their own
	}
	if len(problems) > 0 {
		head = strings.Join(problems, ", ")
	}
	// "2 warnings in 1 of 3 files": the files that hold them, of those read.
	files := plural(s.Files, "file", "files")
	if n := filesWithFindings(t.res); len(problems) > 0 && n > 0 && n < s.Files {
		files = fmt.Sprintf("%d of %s", n, files)
	}
	line := fmt.Sprintf("canpull: %s in %s", head, files)
	checked := checkedCounts(s)
	if len(checked) > 0 {
		line += " (" + strings.Join(checked, ", ") + " checked)"
	}
	line += unverifiedSummary(t.res)
	if s.Suppressed > 0 {
		line += "; " + strconv.Itoa(s.Suppressed) + " suppressed"
	}
	if n := fixable(t.res.Findings); n > 0 {
		line += "; " + strconv.Itoa(n) + " fixable with --fix"
	}
	if s.Baselined > 0 {
		line += "; " + strconv.Itoa(s.Baselined) + " in the baseline"
	}
	if n := len(t.res.StaleBaseline); n > 0 {
		line += "; " + plural(n, "baseline entry", "baseline entries") + " no longer found"
	}
	inErr, inWarn := inputCounts(t.res)
	if inErr > 0 {
		line += "; " + plural(inErr, "input error", "input errors")
	}
	if inWarn > 0 {
		line += "; " + plural(inWarn, "input warning", "input warnings")
	}
	t.b.WriteString(line + "\n")
}

// fixable counts the findings whose rule offers an edit that --fix applies.
func fixable(fs []lint.Finding) int {
	n := 0
	for _, f := range fs {
		if len(f.Edits) > 0 {
			n++
		}
	}
	return n
}

// unverifiedSummary is the part of the summary line that says what could
// not be verified: the services and task definitions when rules named them,
// else the number of unknown facts; and where to read why.
func unverifiedSummary(res *driver.Result) string {
	s := res.Stats
	var what string
	switch {
	case s.UnverifiedServices > 0 || s.UnverifiedTaskDefinitions > 0:
		var objs []string
		if s.UnverifiedTaskDefinitions > 0 {
			objs = append(objs, plural(s.UnverifiedTaskDefinitions, "task definition", "task definitions"))
		}
		if s.UnverifiedServices > 0 {
			objs = append(objs, plural(s.UnverifiedServices, "service", "services"))
		}
		what = strings.Join(objs, " and ") + " not fully verified"
	case s.Unverified > 0:
		what = strconv.Itoa(s.Unverified) + " not fully verified"
	case s.UnknownFacts > 0:
		what = plural(s.UnknownFacts, "fact", "facts") + " could not be established"
	default:
		return ""
	}
	shown := false
	for _, f := range res.Findings {
		shown = shown || f.Unverified
	}
	if !shown {
		what += " (--show-unverified says why)"
	}
	return "; " + what
}

// filesWithFindings counts the files that hold a finding. Input errors
// are counted apart ("; 1 input error"), so that "2 warnings in 1 of 3
// files" names the files that hold the two warnings.
func filesWithFindings(res *driver.Result) int {
	files := map[string]bool{}
	for _, f := range res.Findings {
		if f.Range.Filename != "" {
			files[f.Range.Filename] = true
		}
	}
	return len(files)
}

// inputCounts counts the input errors and warnings.
func inputCounts(res *driver.Result) (errs, warns int) {
	for _, d := range res.Errors {
		switch {
		case d == nil:
		case d.Severity == hcl.DiagWarning:
			warns++
		default:
			errs++
		}
	}
	return errs, warns
}

func plural(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// clean puts a message on one line and makes it safe for a terminal: line
// breaks become a space, and control characters and bidirectional
// overrides become a visible <U+XXXX>.
func clean(s string) string {
	dirty := false
	for _, r := range s {
		if r != '\t' && unsafeRune(r) {
			dirty = true
			break
		}
	}
	if !dirty {
		return s
	}
	var b strings.Builder
	last := rune(-1)
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if last != -1 && last != ' ' {
				b.WriteByte(' ')
				last = ' '
			}
			continue
		case r == '\t':
			b.WriteRune(r)
		case unsafeRune(r):
			b.WriteString(hexRune(r))
		default:
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}
