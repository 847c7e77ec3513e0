package terraform

import (
	"bytes"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// data "template_file" of the hashicorp/template provider, which older
// configurations render container definitions and user data with. The
// provider (template/datasource_template_file.go) parses its template
// argument as an HCL template, evaluates it with only the vars as
// variables, each a string (Terraform converts the map to map(string), so
// that numbers and bools become their text and anything else is an error),
// and the functions of the Terraform it was built with (0.12). canpull
// renders it the same way where every input is known; anything it cannot
// read (an unknown var, the deprecated filename argument, a function
// outside templateFileFuncs, a name that vars lacks) leaves rendered
// unknown, as it was before.

// isTemplateFile reports whether a data source is hashicorp/template's
// template_file: a data source of that type name from another provider
// (required_providers gives the local name another source) is not.
func isTemplateFile(in *modInst, r *resource) bool {
	return r.mode == "data" && r.typ == "template_file" && in.mod.providerSource(r) == "hashicorp/template"
}

// templateFileFuncs are the functions that the provider's templates may
// call and canpull evaluates: the pure functions of Terraform 0.12.0,
// which the provider embeds. The file functions are left out (the provider
// resolves their paths against the folder terraform runs in), and so are
// the functions that later versions of Terraform added.
var templateFileFuncs = map[string]bool{
	"abs": true, "ceil": true, "floor": true, "log": true, "max": true, "min": true, "pow": true, "signum": true,
	"chomp": true, "format": true, "formatlist": true, "indent": true, "join": true, "lower": true, "upper": true,
	"replace": true, "split": true, "strrev": true, "substr": true, "title": true, "trimspace": true,
	"chunklist": true, "coalesce": true, "coalescelist": true, "compact": true, "concat": true, "contains": true,
	"distinct": true, "element": true, "flatten": true, "index": true, "keys": true, "length": true, "lookup": true,
	"matchkeys": true, "merge": true, "range": true, "reverse": true, "setintersection": true, "setproduct": true,
	"setunion": true, "slice": true, "sort": true, "transpose": true, "values": true, "zipmap": true,
	"base64encode": true, "base64decode": true, "csvdecode": true, "jsonencode": true, "jsondecode": true,
	"urlencode": true, "base64sha256": true, "base64sha512": true, "md5": true, "sha1": true, "sha256": true, "sha512": true,
	"cidrhost": true, "cidrnetmask": true, "cidrsubnet": true,
	"tobool": true, "tolist": true, "tomap": true, "tonumber": true, "toset": true, "tostring": true,
}

// renderedTemplate marks the value of a template_file's rendered: the
// template and its variables, so that container definitions written in
// the template are read part by part (templateFileTree) with ranges in
// the template.
type renderedTemplate struct {
	tmpl  *hclsyntax.TemplateExpr
	vars  map[string]cty.Value // strings, with the marks of where they were written; unknown strings
	funcs map[string]function.Function
	text  []byte // the template's text
	// at maps a byte of text (and its end) to where it is written, when
	// the template is written inline (a heredoc in the data block); nil when
	// tmpl's ranges are the template file's own. src is the text of the
	// file it is written in.
	at  []hcl.Pos
	src []byte
	// placed is true when the template's ranges (moved by at) are where
	// it is written.
	placed bool
	// addr is the data source's address; given, where each variable's
	// value is written in vars.
	addr      string
	given     map[string]hcl.Range
	givenExpr map[string]hcl.Expression
	sc        *scope // where vars is evaluated
	// rendered is the result, unmarked: unknown when a variable is.
	rendered cty.Value
}

// templateFileData is the value of a template_file data source.
func (ev *evaluator) templateFileData(ri *resInst) cty.Value {
	rendered := ev.renderTemplateFile(ri)
	return cty.ObjectVal(map[string]cty.Value{
		"rendered": rendered,
		"id":       cty.UnknownVal(cty.String),
	})
}

func (ev *evaluator) renderTemplateFile(ri *resInst) cty.Value {
	unknown := cty.UnknownVal(cty.String)
	eb := ri.block
	ta := eb.attrs["template"]
	if ta == nil || eb.attrs["filename"] != nil {
		return unknown
	}
	text, ok := knownString(ta.val)
	if !ok {
		return unknown
	}
	vars, ok := templateFileVars(eb.attrs["vars"])
	if !ok {
		return unknown
	}
	rt := &renderedTemplate{vars: vars, text: []byte(text), addr: ri.addr, given: map[string]hcl.Range{}, givenExpr: map[string]hcl.Expression{}}
	if va := eb.attrs["vars"]; va != nil {
		rt.sc = va.sc
		if oc, ok := va.expr.(*hclsyntax.ObjectConsExpr); ok {
			for _, it := range oc.Items {
				if k, ok := objectKey(it.KeyExpr); ok {
					rt.given[k] = it.ValueExpr.Range()
					rt.givenExpr[k] = it.ValueExpr
				}
			}
		}
	}
	name := ta.rng.Filename
	if path, ok := ev.templateFilePath(ta); ok {
		name = path
	}
	if d := nestingError(name, rt.text); d != nil {
		ev.l.diags = append(ev.l.diags, d)
		return unknown
	}
	// An inline template's ranges keep offsets in its text (inlinePositions
	// maps them), on lines near where it is written, for errors.
	start := hcl.InitialPos
	if name == ta.rng.Filename {
		start.Line = ta.rng.Start.Line
		if te, ok := ta.expr.(*hclsyntax.TemplateExpr); ok && len(te.Parts) > 0 {
			start.Line = te.Parts[0].Range().Start.Line
		}
	}
	expr, diags := hclsyntax.ParseTemplate(rt.text, name, start)
	if diags.HasErrors() {
		return unknown
	}
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return unknown
	}
	rt.tmpl = tmpl
	for _, tr := range expr.Variables() {
		if _, ok := vars[tr.RootName()]; !ok {
			return unknown // the provider fails: vars lacks the name
		}
	}
	if !callsOnly(tmpl, templateFileFuncs) {
		return unknown
	}
	rt.funcs = make(map[string]function.Function, len(templateFileFuncs))
	for k := range templateFileFuncs {
		if f, ok := ev.funcs[k]; ok {
			rt.funcs[k] = f
		}
	}
	if name == ta.rng.Filename {
		// Written inline: where each byte of the text is in the file.
		rt.src = ev.l.sources[name]
		rt.at = inlinePositions(ta.expr, rt.text, rt.src)
		rt.placed = rt.at != nil
	} else if src, err := os.ReadFile(name); err == nil && bytes.Equal(src, rt.text) {
		rt.src, rt.placed = src, true
	}
	v, diags := ev.l.budget.Guard(tmpl).Value(rt.context())
	ev.l.reportOverrun()
	if diags.HasErrors() || ev.l.budget.Stopped() {
		return unknown
	}
	v, _ = v.UnmarkDeep()
	if v.IsKnown() && !v.IsNull() {
		if s, err := convert.Convert(v, cty.String); err == nil {
			v = s
		} else {
			return unknown
		}
	} else if v.IsKnown() {
		return unknown
	} else {
		v = unknown
	}
	rt.rendered = v
	return v.Mark(rt)
}

func (rt *renderedTemplate) context() *hcl.EvalContext {
	return &hcl.EvalContext{Variables: rt.vars, Functions: rt.funcs}
}

// templateFileVars converts vars as Terraform does for the provider's
// map(string): numbers and bools become strings; null, a collection or a
// structure is not read. An unknown element is an unknown string.
func templateFileVars(a *evalAttr) (map[string]cty.Value, bool) {
	out := map[string]cty.Value{}
	if a == nil {
		return out, true
	}
	v, _ := a.marked.Unmark()
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		k, el := it.Element()
		el, marks := el.Unmark()
		switch {
		case !el.IsKnown() && (el.Type().IsPrimitiveType() || el.Type().Equals(cty.DynamicPseudoType)):
			out[k.AsString()] = cty.UnknownVal(cty.String).WithMarks(marks)
		case !el.Type().IsPrimitiveType() || el.IsNull():
			return nil, false
		default:
			s, err := convert.Convert(el, cty.String)
			if err != nil {
				return nil, false
			}
			out[k.AsString()] = s.WithMarks(marks)
		}
	}
	return out, true
}

// templateFilePath is the file the template argument reads with
// file("…"), as the loader names it.
func (ev *evaluator) templateFilePath(ta *evalAttr) (string, bool) {
	call, ok := ta.expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "file" || len(call.Args) != 1 || ta.sc == nil {
		return "", false
	}
	p, ok := knownString(ev.eval(call.Args[0], ta.sc))
	if !ok {
		return "", false
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(ev.l.root, p)
	}
	return filepath.Clean(p), true
}

// callsOnly reports whether every function a template calls is in names.
func callsOnly(tmpl hclsyntax.Expression, names map[string]bool) bool {
	ok := true
	_ = hclsyntax.VisitAll(tmpl, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, is := n.(*hclsyntax.FunctionCallExpr); is && !names[call.Name] {
			ok = false
		}
		return nil
	})
	return ok
}

// inlinePositions maps each byte of text, the value of a template argument
// written inline (a heredoc, a quoted string), to where it is written in
// src, walking the two in step: the source may hold $${ and %%{ where the
// value has ${ and %{, the escapes of a quoted string, and the indentation
// that a <<- heredoc strips. nil when they do not match (the argument is
// not a literal).
func inlinePositions(expr hcl.Expression, text, src []byte) []hcl.Pos {
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || len(tmpl.Parts) == 0 || !validRange(src, tmpl.SrcRange) {
		return nil
	}
	for _, p := range tmpl.Parts {
		if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
			return nil
		}
	}
	first, last := tmpl.Parts[0].Range(), tmpl.Parts[len(tmpl.Parts)-1].Range()
	if !validRange(src, first) || !validRange(src, last) {
		return nil
	}
	from, to := first.Start.Byte, last.End.Byte
	s := src[from:to]
	at := make([]hcl.Pos, len(text)+1)
	pos := first.Start
	advance := func(n int) {
		for k := 0; k < n; k++ {
			if s[0] == '\n' {
				pos.Line++
				pos.Column = 1
			} else if utf8.RuneStart(s[0]) {
				pos.Column++
			}
			pos.Byte++
			s = s[1:]
		}
	}
	for j := 0; j < len(text); {
		at[j] = pos
		switch {
		case len(s) == 0:
			return nil
		case bytes.HasPrefix(s, []byte("$${")) && bytes.HasPrefix(text[j:], []byte("${")),
			bytes.HasPrefix(s, []byte("%%{")) && bytes.HasPrefix(text[j:], []byte("%{")):
			advance(2)
			at[j+1] = pos
			advance(1)
			j += 2
		case s[0] == text[j]:
			advance(1)
			j++
		case s[0] == '\\' && len(s) > 1 && escaped(s[1]) == text[j]:
			advance(2)
			j++
		case s[0] == ' ' || s[0] == '\t':
			advance(1) // indentation that <<- strips
		default:
			return nil
		}
	}
	at[len(text)] = pos
	return at
}

// escaped is the byte a quoted string's escape \c stands for, or 0.
func escaped(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '"', '\\':
		return c
	}
	return 0
}

// templateFileTree reads container definitions that a template_file
// rendered, part by part, with ranges where the template is written.
func (b *builder) templateFileTree(a *evalAttr) (*jsontree.Value, bool) {
	rt := renderedOf(a)
	if rt == nil {
		return nil, false
	}
	l := b.ev.l
	eval := func(e hclsyntax.Expression) cty.Value {
		v, diags := l.budget.Guard(e).Value(rt.context())
		l.reportOverrun()
		if diags.HasErrors() || l.budget.Stopped() {
			return cty.DynamicVal
		}
		return v
	}
	t, ok := b.templateTree(rt.tmpl, eval, rt.text)
	if !ok {
		return nil, false
	}
	if !rt.placed {
		// A template canpull cannot place: the argument that uses it.
		setRange(t, a.rng)
		return t, true
	}
	move := func(p hcl.Pos) hcl.Pos {
		if rt.at != nil && 0 <= p.Byte && p.Byte < len(rt.at) {
			return rt.at[p.Byte]
		}
		return p
	}
	if rt.at != nil {
		moveRanges(t, move)
	} else {
		l.sources[rt.tmpl.SrcRange.Filename] = rt.src
	}
	b.passVars(t, rt, move, a.inst())
	return t, true
}

// passVars gives each value of the tree that a variable of vars wrote the
// vars entry as a passage: where the value came from.
func (b *builder) passVars(t *jsontree.Value, rt *renderedTemplate, move func(hcl.Pos) hcl.Pos, in *modInst) {
	type use struct {
		name string
		at   hcl.Range
	}
	var uses []use
	for _, part := range rt.tmpl.Parts {
		st, ok := part.(*hclsyntax.ScopeTraversalExpr)
		if !ok {
			continue
		}
		name := st.Traversal.RootName()
		if _, ok := rt.given[name]; ok {
			r := st.SrcRange
			uses = append(uses, use{name, hcl.Range{Filename: r.Filename, Start: move(r.Start), End: move(r.End)}})
		}
	}
	if len(uses) == 0 {
		return
	}
	addr := ""
	if in != nil {
		addr = in.addr
	}
	var walk func(v *jsontree.Value, depth int)
	walk = func(v *jsontree.Value, depth int) {
		if depth > maxTreeDepth {
			return
		}
		switch v.Kind {
		case jsontree.Object:
			for _, m := range v.Members {
				walk(m.Value, depth+1)
			}
			return
		case jsontree.Array:
			for _, it := range v.Items {
				walk(it, depth+1)
			}
			return
		}
		for _, u := range uses {
			if u.at.Filename != v.Range.Filename || u.at.Start.Byte < v.Range.Start.Byte || v.Range.End.Byte < u.at.End.Byte {
				continue
			}
			b.cfg.AddPassages(v.Range, addr, model.Passage{Range: rt.given[u.name], Message: u.name + " is given here, in the vars of " + rt.addr})
			// Why the value is unknown: what the vars entry names.
			ev := b.ev
			if e := rt.givenExpr[u.name]; e != nil && rt.sc != nil && !rt.vars[u.name].IsWhollyKnown() && len(ev.unknownAttrs) < maxUnknownAttrs {
				at := v.Range
				ev.unknownAttrs = append(ev.unknownAttrs, unknownAttr{expr: e, sc: rt.sc, marked: rt.vars[u.name], at: &at})
			}
		}
	}
	walk(t, 0)
}

// renderedOf returns how the value of an argument was rendered, when it is
// the rendered of a template_file: its marks say so, and the value is that
// template's result (the same text, or unknown from a reference to it).
func renderedOf(a *evalAttr) *renderedTemplate {
	_, marks := a.marked.Unmark()
	var rt *renderedTemplate
	for m := range marks {
		if r, ok := m.(*renderedTemplate); ok {
			if rt != nil {
				return nil
			}
			rt = r
		}
	}
	if rt == nil {
		return nil
	}
	if a.val.IsKnown() {
		if !rt.rendered.IsKnown() || !a.val.RawEquals(rt.rendered) {
			return nil
		}
		return rt
	}
	if rt.rendered.IsKnown() || !endsWithRendered(a.expr) {
		return nil
	}
	return rt
}

// endsWithRendered reports whether expr is a reference whose last step is
// .rendered.
func endsWithRendered(expr hcl.Expression) bool {
	var tr hcl.Traversal
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		tr = e.Traversal
	case *hclsyntax.RelativeTraversalExpr:
		tr = e.Traversal
	default:
		return false
	}
	if len(tr) == 0 {
		return false
	}
	at, ok := tr[len(tr)-1].(hcl.TraverseAttr)
	return ok && at.Name == "rendered"
}

// moveRanges moves every position of a tree.
func moveRanges(t *jsontree.Value, move func(hcl.Pos) hcl.Pos) {
	t.Range.Start, t.Range.End = move(t.Range.Start), move(t.Range.End)
	for i := range t.Members {
		m := &t.Members[i]
		m.KeyRange.Start, m.KeyRange.End = move(m.KeyRange.Start), move(m.KeyRange.End)
		moveRanges(m.Value, move)
	}
	for _, it := range t.Items {
		moveRanges(it, move)
	}
}
