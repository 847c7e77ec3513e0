package report

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// The markdown format: a report for a GitHub Actions job summary
// ($GITHUB_STEP_SUMMARY) or a pull-request comment. It starts with one
// machine-readable line,
//
//	<!-- canpull findings=2 errors=1 warnings=1 notes=0 suppressed=0 input-errors=0 -->
//
// which the Action reads its outputs from, then a heading with the verdict,
// what was checked, a table of input errors, a table of findings (errors
// first), a Mermaid diagram of the pull path of each service that a network
// finding names, with the broken link marked, and the suppressed findings
// folded away. Everything that comes from the input is escaped, so a
// resource name cannot inject Markdown or HTML.

const (
	// maxTableRows bounds each table: a summary must stay readable, and
	// GitHub caps a step's summary at 1 MiB.
	maxTableRows = 100
	// maxDiagrams bounds the pull-path diagrams.
	maxDiagrams = 20
)

func writeMarkdown(b *bytes.Buffer, e *env) error {
	res := e.res
	ne, nw, nn := counts(res.Findings)
	inErr, inWarn := inputCounts(res)
	fmt.Fprintf(b, "<!-- canpull findings=%d errors=%d warnings=%d notes=%d suppressed=%d input-errors=%d -->\n",
		len(res.Findings), ne, nw, nn, len(res.Suppressed), inErr)
	b.WriteString("## " + markdownVerdict(ne, nw, nn, inErr, inWarn) + "\n\n")
	b.WriteString(markdownChecked(res) + "\n\n")
	e.markdownErrors(b)
	e.markdownFindings(b)
	e.markdownPaths(b)
	e.markdownSuppressed(b)
	return nil
}

func markdownVerdict(errs, warns, notes, inErr, inWarn int) string {
	var parts []string
	for _, c := range []struct {
		n          int
		one, other string
	}{{errs, "error", "errors"}, {warns, "warning", "warnings"}, {notes, "note", "notes"},
		{inErr, "input error", "input errors"}, {inWarn, "input warning", "input warnings"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.one, c.other))
		}
	}
	switch {
	case errs > 0 || inErr > 0:
		return "❌ canpull: " + strings.Join(parts, ", ")
	case warns > 0 || inWarn > 0:
		return "⚠️ canpull: " + strings.Join(parts, ", ")
	case notes > 0:
		return "✅ canpull: no problems (" + strings.Join(parts, ", ") + ")"
	}
	return "✅ canpull: no problems"
}

func markdownChecked(res *driver.Result) string {
	s := res.Stats
	checked := checkedCounts(s)
	line := "Checked " + plural(s.Files, "file", "files")
	if len(checked) > 0 {
		line += ": " + strings.Join(checked, ", ")
	}
	line += "."
	if u := strings.TrimPrefix(unverifiedSummary(res), "; "); u != "" {
		line += " " + upperFirst(strings.Replace(u, "--show-unverified", "`--show-unverified`", 1)) + "."
	}
	if n := len(res.Suppressed); n > 0 {
		line += " " + plural(n, "finding", "findings") + " suppressed."
	}
	return line
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (e *env) markdownErrors(b *bytes.Buffer) {
	var rows [][]string
	for _, d := range e.res.Errors {
		if d == nil {
			continue
		}
		where := ""
		if d.Subject != nil {
			where = e.mdLocation(d.Subject.Filename, d.Subject.Start.Line)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		rows = append(rows, []string{diagSeverity(d), where, mdText(msg)})
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("### Input errors\n\nThese inputs could not be read or evaluated; the rest was still checked.\n\n")
	mdTable(b, []string{"", "Location", "Error"}, rows)
}

func (e *env) markdownFindings(b *bytes.Buffer) {
	fs := append([]lint.Finding(nil), e.res.Findings...)
	if len(fs) == 0 {
		return
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	var rows [][]string
	for _, f := range fs {
		msg := mdText(f.Message)
		if f.Fix != "" {
			msg += "<br>**Fix:** " + mdText(f.Fix)
		}
		rows = append(rows, []string{severityBadge(f.Severity), e.mdRule(f), e.mdLocation(f.Range.Filename, f.Range.Start.Line), msg})
	}
	b.WriteString("### Findings\n\n")
	mdTable(b, []string{"", "Rule", "Location", "Finding"}, rows)
}

func (e *env) markdownSuppressed(b *bytes.Buffer) {
	if len(e.res.Suppressed) == 0 {
		return
	}
	var rows [][]string
	for _, f := range e.res.Suppressed {
		why, how := "", ""
		if s := f.Suppression; s != nil {
			why = mdText(s.Justification)
			how = "ignore comment"
			if s.Kind == lint.SuppressedExternal {
				how = "configuration"
			}
			if s.Range.Filename != "" {
				how += " " + e.mdLocation(s.Range.Filename, s.Range.Start.Line)
			}
		}
		rows = append(rows, []string{e.mdRule(f), e.mdLocation(f.Range.Filename, f.Range.Start.Line), how, why})
	}
	fmt.Fprintf(b, "<details><summary>%s suppressed</summary>\n\n", plural(len(rows), "finding", "findings"))
	mdTable(b, []string{"Rule", "Location", "Suppressed by", "Reason"}, rows)
	b.WriteString("</details>\n\n")
}

func severityBadge(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "🔴 error"
	case lint.Warning:
		return "🟡 warning"
	}
	return "🔵 note"
}

// mdRule is the rule's ID, linked to its page when there is one, and its
// name.
func (e *env) mdRule(f lint.Finding) string {
	id := mdText(f.RuleID)
	if e.opts.HelpURI != nil {
		for _, r := range e.opts.Rules {
			if r != nil && r.ID == f.RuleID {
				if u := e.opts.HelpURI(r); u != "" {
					id = "[" + id + "](" + u + ")"
				}
				break
			}
		}
	}
	if f.RuleName != "" {
		id += " " + mdCode(f.RuleName)
	}
	return id
}

func (e *env) mdLocation(file string, line int) string {
	p, _ := e.path(file)
	if p == "" {
		return ""
	}
	if line > 0 {
		p += ":" + strconv.Itoa(line)
	}
	return mdCode(p)
}

// mdTable writes a table, at most maxTableRows rows of it.
func mdTable(b *bytes.Buffer, head []string, rows [][]string) {
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	b.WriteString(strings.Repeat(" --- |", len(head)) + "\n")
	for i, r := range rows {
		if i == maxTableRows {
			fmt.Fprintf(b, "\n…and %d more: see the annotations or the SARIF report.\n", len(rows)-i)
			break
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	b.WriteString("\n")
}

// mdText makes text from the input safe in a table cell: code spans stay
// code spans; elsewhere Markdown's punctuation is escaped and HTML's turned
// into entities; line breaks become spaces; | is escaped everywhere.
func mdText(s string) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '`')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(s[i+1:], '`')
		}
		if i < 0 || j < 0 {
			b.WriteString(mdEscape(s))
			break
		}
		b.WriteString(mdEscape(s[:i]))
		b.WriteString(mdCode(s[i+1 : i+1+j]))
		s = s[i+2+j:]
	}
	return b.String()
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "@", "&#64;",
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdCode is a code span around s: in a GitHub table, | must be escaped
// even there; a backtick cannot be, so it becomes a quote.
func mdCode(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "|", `\|`)
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

// The pull-path diagrams. Network findings carry, on a related location,
// each failing subnet's way out as the rule followed it (lint.PullPath):
// tasks → subnet → route table → default route target → registry. The
// diagram draws that and marks the link where the way out breaks, labelled
// with why.

// subnetPath is one failing subnet's way out.
type subnetPath struct {
	service, subnet, table string
	dest, target           string // the default route and where it goes, if any
	problem                string // why it fails there
}

// servicePaths is what one service's diagram shows.
type servicePaths struct {
	service  string
	findings []lint.Finding
	paths    []subnetPath
}

// collectPaths gathers the paths of the findings by service: the one the
// path names, else the finding's Key up to a "|".
func (e *env) collectPaths() []*servicePaths {
	var out []*servicePaths
	byService := map[string]*servicePaths{}
	for _, f := range e.res.Findings {
		if f.Severity < lint.Warning {
			continue
		}
		seen := map[string]bool{}
		for _, r := range f.Related {
			if r.Path == nil {
				continue
			}
			p := subnetPath{service: r.Path.Service, subnet: r.Path.Subnet, table: r.Path.RouteTable,
				dest: r.Path.Destination, target: r.Path.Target, problem: r.Path.Problem}
			if p.service == "" {
				p.service, _, _ = strings.Cut(f.Key, "|")
			}
			if p.service == "" {
				continue
			}
			if p.problem == "" {
				p.problem = f.RuleName
			}
			sp := byService[p.service]
			if sp == nil {
				sp = &servicePaths{service: p.service}
				byService[p.service] = sp
				out = append(out, sp)
			}
			if !seen[p.service] {
				seen[p.service] = true
				sp.findings = append(sp.findings, f)
			}
			sp.paths = append(sp.paths, p)
		}
	}
	return out
}

func (e *env) markdownPaths(b *bytes.Buffer) {
	services := e.collectPaths()
	if len(services) == 0 {
		return
	}
	b.WriteString("### Pull paths\n\nThe way each failing service's tasks take to the registry; the broken link is red and dashed.\n\n")
	for i, sp := range services {
		if i == maxDiagrams {
			fmt.Fprintf(b, "…and %d more: see the findings above.\n\n", len(services)-i)
			break
		}
		var rules []string
		for _, f := range sp.findings {
			rules = append(rules, e.mdRule(f))
		}
		fmt.Fprintf(b, "**%s**: %s\n\n", mdCode(sp.service), strings.Join(rules, ", "))
		b.WriteString("```mermaid\n")
		b.WriteString(pathDiagram(sp))
		b.WriteString("```\n\n")
	}
}

// graph builds a Mermaid flowchart with nodes named once.
type graph struct {
	b      strings.Builder
	ids    map[string]string
	edges  map[string]bool
	nEdges int
	broken []int
}

func (g *graph) node(label, open, close string) string {
	if id, ok := g.ids[label]; ok {
		return id
	}
	id := "n" + strconv.Itoa(len(g.ids))
	g.ids[label] = id
	fmt.Fprintf(&g.b, "  %s%s\"%s\"%s\n", id, open, mermaidText(label), close)
	return id
}

func (g *graph) edge(from, to, label string, broken bool) {
	k := from + "\x00" + to + "\x00" + label
	if g.edges[k] {
		return
	}
	g.edges[k] = true
	switch {
	case broken:
		fmt.Fprintf(&g.b, "  %s -. \"✗ %s\" .-> %s\n", from, mermaidText(label), to)
		g.broken = append(g.broken, g.nEdges)
	case label != "":
		fmt.Fprintf(&g.b, "  %s -- \"%s\" --> %s\n", from, mermaidText(label), to)
	default:
		fmt.Fprintf(&g.b, "  %s --> %s\n", from, to)
	}
	g.nEdges++
}

func pathDiagram(sp *servicePaths) string {
	g := &graph{ids: map[string]string{}, edges: map[string]bool{}}
	g.b.WriteString("flowchart LR\n")
	task := g.node("tasks of "+sp.service, "([", "])")
	registry := g.node("image registry", "[(", ")]")
	for _, p := range sp.paths {
		subnet := g.node("subnet "+p.subnet, "[", "]")
		table := subnet
		if p.table != "" {
			table = g.node("route table "+p.table, "[", "]")
		}
		g.edge(task, subnet, "", false)
		if table != subnet {
			g.edge(subnet, table, "", false)
		}
		if p.target == "" {
			g.edge(table, registry, p.problem, true)
			continue
		}
		target := g.node(p.target, "{{", "}}")
		g.edge(table, target, p.dest, false)
		g.edge(target, registry, p.problem, p.problem != "")
	}
	for _, i := range g.broken {
		fmt.Fprintf(&g.b, "  linkStyle %d stroke:#cf222e,stroke-width:2px,color:#cf222e\n", i)
	}
	return g.b.String()
}

// mermaidText makes a label safe inside Mermaid's quotes: quotes and the
// characters HTML would read become Mermaid's entity codes.
var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "#", "#35;", "`", "#96;")

func mermaidText(s string) string {
	return mermaidEscaper.Replace(strings.Join(strings.Fields(clean(s)), " "))
}
