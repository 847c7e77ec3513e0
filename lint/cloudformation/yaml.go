package cloudformation

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/canpull/canpull/lint/jsontree"
)

// A YAML template is read into the same tree as a JSON template
// (jsontree.Value), so that one evaluator serves both. The YAML is walked as
// yaml.v3's node tree, never decoded into Go values: decoding would drop the
// short-form tags (!Ref, !Sub, …) and read an unquoted
// AWSTemplateFormatVersion: 2010-09-09 as a timestamp. Each short form
// becomes its long form ({"Fn::Sub": …}) with the tag's range as the key's.

// maxNesting bounds how deeply a template's values may nest, so that
// hostile input cannot exhaust the stack.
const maxNesting = 512

// yamlReader converts one YAML document.
type yamlReader struct {
	name  string
	src   []byte
	lines []int // byte offset of the start of each line
	diags hcl.Diagnostics
	// aliasAt is the first alias met: CloudFormation does not support
	// them, so the value is unknown.
	aliasAt *hcl.Range
	// scalars are the byte ranges of scalars and keys, for telling a
	// comment from a # inside a value.
	scalars [][2]int
	spans   []Span
	// marks are, for each long line, its characters counted at every
	// markEvery bytes or so, so that a position on it costs at most that
	// much: counting from the line's start made a 1 MB flow sequence on one
	// line take hours to read.
	marks map[int][]mark
}

// mark is a byte offset on a line and the characters before it on the line.
type mark struct{ off, chars int }

// markEvery is how many bytes of a line a position may have to count.
const markEvery = 256

// Span is a mapping entry or sequence item of a YAML template: an ignore
// comment on the line above it covers all of it.
type Span struct {
	Line  int
	Range hcl.Range
}

// Comment is a YAML comment that mentions canpull.
type Comment struct {
	Range hcl.Range
	Text  string // without the #
}

// yamlDoc is a YAML template read into a tree.
type yamlDoc struct {
	tree     *jsontree.Value
	spans    []Span
	comments []Comment
	// code marks the lines that hold something besides comments.
	code  map[int]bool
	alias *hcl.Range
}

var yamlErrLine = regexp.MustCompile(`line (\d+)`)

// parseYAML reads src. On a syntax error it returns one diagnostic at the
// line the YAML parser names.
func parseYAML(name string, src []byte) (doc *yamlDoc, diags hcl.Diagnostics) {
	defer func() {
		// yaml.v3 has panicked on malformed input before: a file that
		// breaks the parser is an error, never a crash.
		if p := recover(); p != nil {
			doc, diags = nil, hcl.Diagnostics{fileDiag(name, "Cannot read YAML", fmt.Sprintf("The YAML parser failed on %s: %v.", name, p))}
		}
	}()
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		line := 1
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
				line = n
			}
		}
		r := &yamlReader{name: name, src: src, lines: lineStarts(src)}
		p := r.pos(line, 1)
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid YAML",
			Detail:   strings.TrimPrefix(err.Error(), "yaml: ") + ". CloudFormation would refuse the template.",
			Subject:  &hcl.Range{Filename: name, Start: p, End: p},
		}}
	}
	r := &yamlReader{name: name, src: src, lines: lineStarts(src)}
	n := &root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return &yamlDoc{}, nil
		}
		n = n.Content[0]
	}
	tree := r.value(n, false, 0)
	doc = &yamlDoc{tree: tree, spans: r.spans, alias: r.aliasAt}
	doc.comments, doc.code = r.comments()
	return doc, r.diags
}

// lineStarts lists the byte offset at which each line starts. YAML ends a
// line at \n, \r\n or a lone \r.
func lineStarts(src []byte) []int {
	out := []int{0}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			out = append(out, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			out = append(out, i+1)
		}
	}
	return out
}

// offset is the byte offset of a yaml.v3 line and column (columns count
// characters), clamped to the source.
func (r *yamlReader) offset(line, col int) int {
	if line < 1 {
		line = 1
	}
	if line > len(r.lines) {
		return len(r.src)
	}
	off, c := r.lines[line-1], 1
	if ms := r.lineMarks(line - 1); len(ms) > 0 {
		i := sort.Search(len(ms), func(i int) bool { return ms[i].chars >= col-1 })
		if i > 0 {
			off, c = ms[i-1].off, 1+ms[i-1].chars
		}
	}
	for ; c < col && off < len(r.src); c++ {
		if r.src[off] == '\n' || r.src[off] == '\r' {
			break
		}
		_, n := utf8.DecodeRune(r.src[off:])
		off += n
	}
	return off
}

func (r *yamlReader) pos(line, col int) hcl.Pos { return r.posAt(r.offset(line, col)) }

// posAt is the position of a byte offset.
func (r *yamlReader) posAt(off int) hcl.Pos {
	if off > len(r.src) {
		off = len(r.src)
	}
	i := sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	from, chars := r.lines[i], 0
	if ms := r.lineMarks(i); len(ms) > 0 {
		if j := sort.Search(len(ms), func(j int) bool { return ms[j].off > off }); j > 0 {
			from, chars = ms[j-1].off, ms[j-1].chars
		}
	}
	return hcl.Pos{Line: i + 1, Column: 1 + chars + utf8.RuneCount(r.src[from:off]), Byte: off}
}

// lineMarks are the marks of line i (from 0), made the first time a
// position on it is asked for; a short line has none.
func (r *yamlReader) lineMarks(i int) []mark {
	start, end := r.lines[i], len(r.src)
	if i+1 < len(r.lines) {
		end = r.lines[i+1]
	}
	if end-start <= markEvery {
		return nil
	}
	if ms, ok := r.marks[i]; ok {
		return ms
	}
	var ms []mark
	chars, last := 0, start
	for off := start; off < end && r.src[off] != '\n' && r.src[off] != '\r'; chars++ {
		if off-last >= markEvery {
			ms = append(ms, mark{off: off, chars: chars})
			last = off
		}
		_, n := utf8.DecodeRune(r.src[off:])
		off += n
	}
	if r.marks == nil {
		r.marks = map[int][]mark{}
	}
	r.marks[i] = ms
	return ms
}

func (r *yamlReader) rng(from, to int) hcl.Range {
	if to < from {
		to = from
	}
	return hcl.Range{Filename: r.name, Start: r.posAt(from), End: r.posAt(to)}
}

// lineEnd is the offset of the end of the line holding off, without its
// line break, trailing blanks and comment.
func (r *yamlReader) lineEnd(off int) int {
	end := off
	for end < len(r.src) && r.src[end] != '\n' && r.src[end] != '\r' {
		end++
	}
	line := r.src[off:end]
	if i := bytes.Index(line, []byte(" #")); i >= 0 {
		line = line[:i]
	}
	return off + len(bytes.TrimRight(line, " \t"))
}

// intrinsicName is the long form of a short-form tag: !Ref is Ref,
// !Condition is Condition, !Sub is Fn::Sub.
func intrinsicName(tag string) string {
	name := strings.TrimPrefix(tag, "!")
	switch name {
	case "Ref", "Condition":
		return name
	}
	return "Fn::" + name
}

// value converts n. flow says whether n is inside a flow collection.
func (r *yamlReader) value(n *yaml.Node, flow bool, depth int) *jsontree.Value {
	start := r.offset(n.Line, n.Column)
	if depth > maxNesting {
		if depth == maxNesting+1 {
			r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Template nested too deeply",
				Detail:  fmt.Sprintf("Values are nested more than %d levels deep here; canpull does not read further.", maxNesting),
				Subject: r.rng(start, start).Ptr()})
		}
		return &jsontree.Value{Kind: jsontree.Unknown, Range: r.rng(start, start)}
	}
	if n.Kind == yaml.AliasNode {
		rg := r.rng(start, r.lineEnd(start))
		if r.aliasAt == nil {
			r.aliasAt = &rg
		}
		return &jsontree.Value{Kind: jsontree.Unknown, Range: rg}
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return r.tagged(n, start, flow, depth)
	}
	return r.plain(n, start, flow, depth)
}

// tagged converts a short-form intrinsic: the tag and the value after it.
func (r *yamlReader) tagged(n *yaml.Node, start int, flow bool, depth int) *jsontree.Value {
	tagEnd := start
	if n.Anchor != "" && tagEnd < len(r.src) && r.src[tagEnd] == '&' {
		tagEnd = r.skipToken(tagEnd)
		tagEnd = r.skipBlanks(tagEnd)
	}
	tagStart := tagEnd
	if tagEnd < len(r.src) && r.src[tagEnd] == '!' {
		tagEnd = r.skipToken(tagEnd)
	}
	inner := *n
	inner.Tag = ""
	inner.Style &^= yaml.TaggedStyle
	if n.Kind == yaml.ScalarNode {
		inner.Tag = "!!str"
	}
	valStart := r.skipBlanks(tagEnd)
	var v *jsontree.Value
	if n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		// "!GetAZs" alone, or "!Ref" with nothing after it: an empty string.
		v = &jsontree.Value{Kind: jsontree.String, Range: r.rng(tagEnd, tagEnd)}
	} else {
		v = r.plainAt(&inner, valStart, flow, depth+1)
	}
	name := intrinsicName(n.Tag)
	obj := &jsontree.Value{
		Kind:    jsontree.Object,
		Members: []jsontree.Member{{Key: name, KeyRange: r.rng(tagStart, tagEnd), Value: v}},
		Range:   hcl.Range{Filename: r.name, Start: r.posAt(tagStart), End: v.Range.End},
	}
	return obj
}

// skipToken moves past a tag or anchor.
func (r *yamlReader) skipToken(i int) int {
	for i < len(r.src) {
		switch r.src[i] {
		case ' ', '\t', '\n', '\r', ',', '[', ']', '{', '}':
			return i
		}
		i++
	}
	return i
}

// skipBlanks moves past spaces, line breaks and comments.
func (r *yamlReader) skipBlanks(i int) int {
	for i < len(r.src) {
		switch r.src[i] {
		case ' ', '\t', '\n', '\r':
			i++
		case '#':
			for i < len(r.src) && r.src[i] != '\n' && r.src[i] != '\r' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

func (r *yamlReader) plain(n *yaml.Node, start int, flow bool, depth int) *jsontree.Value {
	if n.Anchor != "" && start < len(r.src) && r.src[start] == '&' {
		start = r.skipBlanks(r.skipToken(start))
	}
	if n.Tag != "" && start < len(r.src) && r.src[start] == '!' {
		start = r.skipBlanks(r.skipToken(start)) // an explicit !!str
	}
	return r.plainAt(n, start, flow, depth)
}

// plainAt converts an untagged node whose text starts at byte start.
func (r *yamlReader) plainAt(n *yaml.Node, start int, flow bool, depth int) *jsontree.Value {
	switch n.Kind {
	case yaml.ScalarNode:
		end := r.scalarEnd(n, start, flow)
		r.scalars = append(r.scalars, [2]int{start, end})
		v := &jsontree.Value{Range: r.rng(start, end)}
		switch n.ShortTag() {
		case "!!null":
			v.Kind = jsontree.Null
		case "!!bool":
			v.Kind, v.Bool = jsontree.Bool, strings.EqualFold(n.Value, "true")
		case "!!int", "!!float":
			v.Kind, v.Str = jsontree.Number, n.Value
		default:
			// Strings, and the timestamps and binaries that CloudFormation
			// reads as the text written.
			v.Kind, v.Str = jsontree.String, n.Value
		}
		return v
	case yaml.MappingNode:
		inFlow := flow || n.Style&yaml.FlowStyle != 0
		v := &jsontree.Value{Kind: jsontree.Object}
		end := start
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			if kn.Tag == "!!merge" || kn.Kind == yaml.AliasNode {
				// A merge key is an alias: CloudFormation supports neither.
				rg := r.rng(r.offset(kn.Line, kn.Column), r.offset(kn.Line, kn.Column))
				if r.aliasAt == nil {
					r.aliasAt = &rg
				}
				v.Kind, v.Members = jsontree.Unknown, nil
				v.Range = r.rng(start, r.offset(kn.Line, kn.Column))
				return v
			}
			kStart := r.offset(kn.Line, kn.Column)
			kEnd := r.scalarEnd(kn, kStart, inFlow)
			r.scalars = append(r.scalars, [2]int{kStart, kEnd})
			val := r.value(vn, inFlow, depth+1)
			block := (vn.Kind == yaml.MappingNode || vn.Kind == yaml.SequenceNode) && vn.Style&yaml.FlowStyle == 0 &&
				(vn.Tag == "" || strings.HasPrefix(vn.Tag, "!!"))
			if block && !inFlow && val.Range.Start.Line > kn.Line {
				// A block collection starts on the line after its key:
				// findings about the whole value point at the key, as
				// they do in JSON, where the value opens on the key's line.
				val.Range.Start = r.posAt(kStart)
			}
			m := jsontree.Member{Key: kn.Value, KeyRange: r.rng(kStart, kEnd), Value: val}
			v.Members = append(v.Members, m)
			end = max(end, val.Range.End.Byte, kEnd)
			r.spans = append(r.spans, Span{Line: m.KeyRange.Start.Line,
				Range: hcl.Range{Filename: r.name, Start: m.KeyRange.Start, End: r.posAt(max(kEnd, val.Range.End.Byte))}})
		}
		if n.Style&yaml.FlowStyle != 0 {
			end = r.closing(start, end, '{', '}')
		}
		v.Range = r.rng(start, end)
		return v
	case yaml.SequenceNode:
		inFlow := flow || n.Style&yaml.FlowStyle != 0
		v := &jsontree.Value{Kind: jsontree.Array}
		end := start
		for _, c := range n.Content {
			it := r.value(c, inFlow, depth+1)
			v.Items = append(v.Items, it)
			end = max(end, it.Range.End.Byte)
			r.spans = append(r.spans, Span{Line: it.Range.Start.Line, Range: it.Range})
		}
		if n.Style&yaml.FlowStyle != 0 {
			end = r.closing(start, end, '[', ']')
		}
		v.Range = r.rng(start, end)
		return v
	}
	return &jsontree.Value{Kind: jsontree.Unknown, Range: r.rng(start, start)}
}

// closing finds the bracket that closes a flow collection opened at start
// whose last element ends at end.
func (r *yamlReader) closing(start, end int, open, close byte) int {
	from := end
	if from == start && from < len(r.src) && r.src[from] == open {
		from++
	}
	for i := from; i < len(r.src); i++ {
		switch r.src[i] {
		case close:
			return i + 1
		case ' ', '\t', '\n', '\r', ',':
		case '#':
			for i < len(r.src) && r.src[i] != '\n' {
				i++
			}
		default:
			return end
		}
	}
	return end
}

// scalarEnd finds where the text of a scalar that starts at start ends.
func (r *yamlReader) scalarEnd(n *yaml.Node, start int, flow bool) int {
	if start >= len(r.src) {
		return start
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && r.src[start] == '"':
		for i := start + 1; i < len(r.src); i++ {
			switch r.src[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(r.src)
	case n.Style&yaml.SingleQuotedStyle != 0 && r.src[start] == '\'':
		for i := start + 1; i < len(r.src); i++ {
			if r.src[i] == '\'' {
				if i+1 < len(r.src) && r.src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(r.src)
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return r.blockEnd(start)
	}
	if n.Value != "" && bytes.HasPrefix(r.src[start:], []byte(n.Value)) {
		return start + len(n.Value)
	}
	end := r.lineEnd(start)
	if flow {
		if i := bytes.IndexAny(r.src[start:end], ",]}"); i >= 0 {
			end = start + i
		}
	}
	return end
}

// blockEnd is the end of a block scalar whose indicator (| or >) is at
// start: its last line indented deeper than the line of the indicator.
func (r *yamlReader) blockEnd(start int) int {
	line := r.posAt(start).Line
	base := r.indent(line)
	end := r.lineEnd(start)
	for l := line + 1; l <= len(r.lines); l++ {
		from := r.lines[l-1]
		to := r.lineEnd(from)
		if strings.TrimSpace(string(r.src[from:to])) == "" {
			continue
		}
		if r.indent(l) <= base {
			break
		}
		end = to
	}
	return end
}

func (r *yamlReader) indent(line int) int {
	off := r.lines[line-1]
	n := 0
	for off+n < len(r.src) && r.src[off+n] == ' ' {
		n++
	}
	return n
}

// comments finds the comments that mention canpull, and the lines that
// hold something besides comments.
func (r *yamlReader) comments() ([]Comment, map[int]bool) {
	code := map[int]bool{}
	for _, s := range r.scalars {
		a, b := r.posAt(s[0]).Line, r.posAt(s[1]).Line
		for l := a; l <= b; l++ {
			code[l] = true
		}
	}
	var out []Comment
	if !bytes.Contains(r.src, []byte("canpull:")) {
		return out, code
	}
	for l := range r.lines {
		from := r.lines[l]
		to := from
		for to < len(r.src) && r.src[to] != '\n' && r.src[to] != '\r' {
			to++
		}
		line := r.src[from:to]
		if !bytes.Contains(line, []byte("canpull:")) {
			continue
		}
		for i := 0; i < len(line); i++ {
			if line[i] != '#' || i > 0 && line[i-1] != ' ' && line[i-1] != '\t' || r.inScalar(from+i) {
				continue
			}
			text := strings.TrimSpace(string(line[i+1:]))
			out = append(out, Comment{Range: r.rng(from+i, to), Text: text})
			break
		}
	}
	return out, code
}

func (r *yamlReader) inScalar(off int) bool {
	for _, s := range r.scalars {
		if off >= s[0] && off < s[1] {
			return true
		}
	}
	return false
}

func fileDiag(name, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail,
		Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}
}
