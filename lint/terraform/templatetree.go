package terraform

import (
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// container_definitions written as JSON text with interpolations (a heredoc,
// a templatefile template) are read part by part: the known parts as they
// are, an unknown interpolation as an unknown token, so that the JSON still
// parses and only the fields the unknown part touches are unknown. Ranges
// point into the template's source.

// piece is one part of a template's output and where it was written.
type piece struct {
	from, to int // byte offsets in the assembled text
	// part is the template part's source range; src its text when the
	// part is literal text (the output then follows the source line by
	// line), nil for an interpolation or a directive.
	part hcl.Range
	src  []byte
	text string
}

// assembled is a template's output with unknown parts as tokens.
type assembled struct {
	text   strings.Builder
	pieces []piece
	// inString tracks whether the text so far ends inside a JSON string,
	// to tell whether an unknown part needs quotes of its own.
	inString, escaped bool
}

func (as *assembled) add(s string, p piece) {
	p.from = as.text.Len()
	as.text.WriteString(s)
	p.to = as.text.Len()
	p.text = s
	as.pieces = append(as.pieces, p)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case as.escaped:
			as.escaped = false
		case as.inString && c == '\\':
			as.escaped = true
		case c == '"':
			as.inString = !as.inString
		}
	}
}

// templateTree evaluates the parts of a template and parses the result as
// JSON. ok is false when a part cannot be turned into text at all (null,
// a list) or the result is not JSON even with its unknown parts in place.
// src is the text of the file the template was written in.
func (b *builder) templateTree(tmpl *hclsyntax.TemplateExpr, eval func(hclsyntax.Expression) cty.Value, src []byte) (*jsontree.Value, bool) {
	as := &assembled{}
	for _, part := range tmpl.Parts {
		v := eval(part)
		placeholder := isPlaceholder(v) // unknown, as in jsonencode (toTree)
		v, _ = v.UnmarkDeep()
		p := piece{part: part.Range()}
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && validRange(src, lit.SrcRange) {
			p.src = src[lit.SrcRange.Start.Byte:lit.SrcRange.End.Byte]
		}
		if !v.IsKnown() || placeholder {
			tok := b.ev.partial.unknownToken()
			if !as.inString {
				tok = `"` + tok + `"`
			}
			as.add(tok, p)
			continue
		}
		if v.IsNull() {
			return nil, false
		}
		sv, err := convert.Convert(v, cty.String)
		if err != nil || !sv.IsKnown() || sv.IsNull() {
			return nil, false
		}
		as.add(sv.AsString(), p)
	}
	text := as.text.String()
	if strings.TrimSpace(text) == "" {
		return nil, false
	}
	t, diags := jsontree.Parse(tmpl.SrcRange.Filename, []byte(text), hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	remap(t, as.pieces, src, tmpl.SrcRange.Filename)
	markUnknownTokens(t)
	return t, true
}

func validRange(src []byte, r hcl.Range) bool {
	return src != nil && 0 <= r.Start.Byte && r.Start.Byte <= r.End.Byte && r.End.Byte <= len(src)
}

// remap moves every range of t from offsets in the assembled text to the
// template's source.
func remap(t *jsontree.Value, pieces []piece, src []byte, filename string) {
	at := func(off int, end bool) hcl.Pos {
		for i := range pieces {
			p := &pieces[i]
			inside := p.from <= off && off < p.to
			if end {
				inside = p.from < off && off <= p.to
			}
			if !inside {
				continue
			}
			if p.src == nil {
				if end {
					return p.part.End
				}
				return p.part.Start
			}
			return followLines(p.src, p.part.Start, p.text[:off-p.from])
		}
		if n := len(pieces); n > 0 {
			return pieces[n-1].part.End
		}
		return hcl.InitialPos
	}
	var walk func(v *jsontree.Value)
	walk = func(v *jsontree.Value) {
		v.Range = hcl.Range{Filename: filename, Start: at(v.Range.Start.Byte, false), End: at(v.Range.End.Byte, true)}
		for i := range v.Members {
			m := &v.Members[i]
			m.KeyRange = hcl.Range{Filename: filename, Start: at(m.KeyRange.Start.Byte, false), End: at(m.KeyRange.End.Byte, true)}
			walk(m.Value)
		}
		for _, it := range v.Items {
			walk(it)
		}
	}
	walk(t)
}

// followLines finds where the output text before (a prefix of a literal
// part's value) ends in the part's source src, written from start. The
// value follows its source line by line; within a line it may have lost
// the indentation of a <<- heredoc, which the column makes up for.
func followLines(src []byte, start hcl.Pos, before string) hcl.Pos {
	nl := strings.Count(before, "\n")
	lineOff := 0 // byte offset in src of the line that holds the position
	for i := 0; i < nl; i++ {
		j := strings.IndexByte(string(src[lineOff:]), '\n')
		if j < 0 {
			break
		}
		lineOff += j + 1
	}
	tail := before[strings.LastIndexByte(before, '\n')+1:] // the value's text on that line so far
	srcLine := src[lineOff:]
	if j := strings.IndexByte(string(srcLine), '\n'); j >= 0 {
		srcLine = srcLine[:j]
	}
	// The value's line is the source's line less some leading
	// indentation, or equal to it.
	skip := len(srcLine) - len(strings.TrimLeft(string(srcLine), " \t"))
	valueIndent := len(tail) - len(strings.TrimLeft(tail, " \t"))
	skip -= min(skip, valueIndent)
	off := min(lineOff+skip+len(tail), len(src))
	pos := hcl.Pos{Line: start.Line + nl, Byte: start.Byte + off}
	if nl == 0 {
		pos.Column = start.Column + utf8.RuneCount(src[:off])
	} else {
		pos.Column = 1 + utf8.RuneCount(src[lineOff:off])
	}
	return pos
}

// markUnknownTokens turns the strings that are exactly an unknown token
// into Unknown values, and an object with a key that holds one into an
// Unknown value as a whole: the key may be any field.
func markUnknownTokens(t *jsontree.Value) {
	switch t.Kind {
	case jsontree.String:
		if tok, ok := model.ParseToken(t.Str); ok && tok.IsUnknown() {
			t.Kind, t.Str = jsontree.Unknown, ""
		}
	case jsontree.Object:
		for _, m := range t.Members {
			if model.HasToken(m.Key) {
				t.Kind, t.Members = jsontree.Unknown, nil
				return
			}
		}
		for _, m := range t.Members {
			markUnknownTokens(m.Value)
		}
	case jsontree.Array:
		for _, it := range t.Items {
			markUnknownTokens(it)
		}
	}
}

// templatefileTree reads templatefile(path, vars) part by part, with ranges
// in the template file.
func (b *builder) templatefileTree(call *hclsyntax.FunctionCallExpr, sc *scope) (*jsontree.Value, bool) {
	l := b.ev.l
	path, ok := knownString(b.ev.eval(call.Args[0], sc))
	if !ok {
		return nil, false
	}
	vars, _ := b.ev.eval(call.Args[1], sc).Unmark()
	if !vars.IsKnown() || vars.IsNull() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		return nil, false
	}
	// Read through file(), which refuses paths outside the scanned folder.
	content, err := b.ev.funcs["file"].Call([]cty.Value{cty.StringVal(path)})
	if err != nil {
		return nil, false
	}
	text, ok := knownString(content)
	if !ok {
		return nil, false
	}
	name := path
	if !filepath.IsAbs(name) {
		name = filepath.Join(l.root, name)
	}
	if d := nestingError(name, []byte(text)); d != nil {
		return nil, false
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(text), name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return nil, false
	}
	fns := make(map[string]function.Function, len(b.ev.funcs))
	for k, f := range b.ev.funcs {
		if k != "templatefile" {
			fns[k] = f
		}
	}
	ctx := &hcl.EvalContext{Variables: vars.AsValueMap(), Functions: fns}
	eval := func(e hclsyntax.Expression) cty.Value {
		v, diags := l.budget.Guard(e).Value(ctx)
		l.reportOverrun()
		if diags.HasErrors() || l.budget.Stopped() {
			return cty.DynamicVal
		}
		return v
	}
	t, ok := b.templateTree(tmpl, eval, []byte(text))
	if ok {
		l.sources[name] = []byte(text)
	}
	return t, ok
}
