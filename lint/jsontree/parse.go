package jsontree

import (
	"math"

	"github.com/hashicorp/hcl/v2"
)

// MaxDepth is how deeply arrays and objects may nest. Deeper documents are
// refused so that hostile input cannot exhaust the stack.
const MaxDepth = 512

// Parse parses src, a single JSON value, read from filename. start is the
// position of src[0] in that file: hcl.InitialPos for a whole file, or
// where the JSON begins when it is embedded in another file.
//
// On a syntax error Parse returns nil and one error diagnostic whose Subject
// is the offending token. It never panics.
func Parse(filename string, src []byte, start hcl.Pos) (*Value, hcl.Diagnostics) {
	return parse(filename, src, start, math.MaxInt)
}

// ParseShallow checks all of src as Parse does but builds only the values
// within the outer depth levels of arrays and objects: deeper arrays and
// objects come back with their Kind and Range and no Members or Items. It
// lets a caller look at the top of a large document cheaply.
func ParseShallow(filename string, src []byte, start hcl.Pos, depth int) (*Value, hcl.Diagnostics) {
	return parse(filename, src, start, depth)
}

type parser struct {
	filename string
	src      []byte
	// text is src as one string when the whole tree is built: strings
	// without escapes and numbers are slices of it, not copies.
	text     string
	off      int
	maxBuild int

	start     hcl.Pos
	line      int // the current line's number
	lineStart int // offset of the current line's first byte
	lineCol   int // column of the byte at lineStart
	colOff    int // p.col is the column of offset colOff
	col       int

	// Slabs hand out values and slices in chunks rather than one
	// allocation each.
	values  []Value
	members []Member
	ptrs    []*Value
	// Scratch stacks collect an object's members or an array's items
	// until its closing bracket tells how many there are.
	mstack []Member
	istack []*Value
	buf    []byte // unescaped string being built

	err *hcl.Diagnostic
}

var bom = []byte{0xEF, 0xBB, 0xBF}

func parse(filename string, src []byte, start hcl.Pos, maxBuild int) (*Value, hcl.Diagnostics) {
	if start.Line < 1 {
		start.Line = 1
	}
	if start.Column < 1 {
		start.Column = 1
	}
	p := &parser{filename: filename, src: src, maxBuild: maxBuild, start: start, line: start.Line, lineCol: start.Column, col: start.Column}
	if maxBuild == math.MaxInt {
		p.text = string(src)
	}
	if len(src) >= 3 && src[0] == bom[0] && src[1] == bom[1] && src[2] == bom[2] {
		// The byte order mark takes no column.
		p.off, p.lineStart, p.colOff = 3, 3, 3
	}
	p.skipSpace()
	if p.off == len(src) {
		p.fail("Empty JSON document", "The file holds no JSON value.", p.rng(p.off, p.off))
		return nil, hcl.Diagnostics{p.err}
	}
	v := p.value(0, true)
	if p.err == nil {
		p.skipSpace()
		if p.off < len(src) {
			p.fail("Extra data after JSON value",
				"A JSON document holds exactly one value, and this one has already ended. Remove what follows, or wrap the values in an array.",
				p.charRange(p.off))
		}
	}
	if p.err != nil {
		return nil, hcl.Diagnostics{p.err}
	}
	return v, nil
}

func (p *parser) skipSpace() {
	src := p.src
	for p.off < len(src) {
		switch src[p.off] {
		case ' ', '\t', '\r':
			p.off++
		case '\n':
			p.off++
			p.newline(p.off)
		default:
			return
		}
	}
}

// value parses the value at p.off, which is inside depth levels of arrays
// and objects. It returns nil when build is false or on error.
func (p *parser) value(depth int, build bool) *Value {
	p.skipSpace()
	if p.off >= len(p.src) {
		p.failEOF("a value")
		return nil
	}
	switch c := p.src[p.off]; {
	case c == '{':
		return p.object(depth+1, build)
	case c == '[':
		return p.array(depth+1, build)
	case c == '"':
		from := p.off
		s, ok := p.str(build)
		if !ok || !build {
			return nil
		}
		v := p.newValue(String, p.pos(from))
		v.Str = s
		return v
	case c == '-' || c >= '0' && c <= '9':
		from := p.off
		if !p.number() || !build {
			return nil
		}
		v := p.newValue(Number, p.pos(from))
		v.Str = p.sub(from, p.off)
		return v
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		from := p.off
		kind, b, ok := p.keyword()
		if !ok || !build {
			return nil
		}
		v := p.newValue(kind, p.pos(from))
		v.Bool = b
		return v
	default:
		p.failUnexpected("a value")
		return nil
	}
}

// newValue returns a value of the given kind that began at start and ends
// at p.off.
func (p *parser) newValue(k Kind, start hcl.Pos) *Value {
	if len(p.values) == cap(p.values) {
		p.values = make([]Value, 0, p.slabSize(len(p.values)))
	}
	p.values = p.values[:len(p.values)+1]
	v := &p.values[len(p.values)-1]
	v.Kind = k
	v.Range = hcl.Range{Filename: p.filename, Start: start, End: p.pos(p.off)}
	return v
}

// slabSize grows slabs from small (small documents stay small) to 1024.
func (p *parser) slabSize(prev int) int {
	return min(max(2*prev, 16), 1024)
}

func (p *parser) object(depth int, build bool) *Value {
	open := p.off
	if depth > MaxDepth {
		p.failDepth(open)
		return nil
	}
	var start hcl.Pos
	if build {
		start = p.pos(open)
	}
	childBuild := build && depth <= p.maxBuild
	base := len(p.mstack)
	p.off++
	p.skipSpace()
	if p.off < len(p.src) && p.src[p.off] == '}' {
		p.off++
	} else {
		for {
			p.skipSpace()
			if p.off >= len(p.src) {
				p.failUnclosed("object", open, "a key")
				return nil
			}
			if p.src[p.off] != '"' {
				p.failKey()
				return nil
			}
			keyFrom := p.off
			key, ok := p.str(childBuild)
			if !ok {
				return nil
			}
			var keyRange hcl.Range
			if childBuild {
				keyRange = p.rng(keyFrom, p.off)
			}
			p.skipSpace()
			if p.off >= len(p.src) {
				p.failUnclosed("object", open, `":"`)
				return nil
			}
			if p.src[p.off] != ':' {
				p.failExpected("Missing colon", `":" after the object key`)
				return nil
			}
			p.off++
			v := p.value(depth, childBuild)
			if p.err != nil {
				return nil
			}
			if childBuild {
				p.mstack = append(p.mstack, Member{Key: key, KeyRange: keyRange, Value: v})
			}
			closed, ok := p.afterElement(open, '}', "object")
			if !ok {
				return nil
			}
			if closed {
				break
			}
		}
	}
	if !build {
		return nil
	}
	v := p.newValue(Object, start)
	if n := len(p.mstack) - base; n > 0 {
		v.Members = p.takeMembers(base, n)
	}
	return v
}

func (p *parser) array(depth int, build bool) *Value {
	open := p.off
	if depth > MaxDepth {
		p.failDepth(open)
		return nil
	}
	var start hcl.Pos
	if build {
		start = p.pos(open)
	}
	childBuild := build && depth <= p.maxBuild
	base := len(p.istack)
	p.off++
	p.skipSpace()
	if p.off < len(p.src) && p.src[p.off] == ']' {
		p.off++
	} else {
		for {
			v := p.value(depth, childBuild)
			if p.err != nil {
				return nil
			}
			if childBuild {
				p.istack = append(p.istack, v)
			}
			closed, ok := p.afterElement(open, ']', "array")
			if !ok {
				return nil
			}
			if closed {
				break
			}
		}
	}
	if !build {
		return nil
	}
	v := p.newValue(Array, start)
	if n := len(p.istack) - base; n > 0 {
		v.Items = p.takeItems(base, n)
	}
	return v
}

// afterElement consumes the comma or closing bracket after an element of
// the array or object that opened at offset open. A comma must be followed
// by another element: JSON has no trailing commas. closed reports the
// closing bracket; ok is false on error.
func (p *parser) afterElement(open int, close byte, what string) (closed, ok bool) {
	p.skipSpace()
	if p.off >= len(p.src) {
		p.failUnclosed(what, open, `"`+string(close)+`"`)
		return false, false
	}
	switch p.src[p.off] {
	case close:
		p.off++
		return true, true
	case ',':
		comma := p.off
		p.off++
		p.skipSpace()
		if p.off < len(p.src) && (p.src[p.off] == ']' || p.src[p.off] == '}') {
			p.fail("Trailing comma",
				"JSON allows no comma after the last element of an "+what+". Remove this comma.",
				p.rng(comma, comma+1))
			return false, false
		}
		return false, true
	}
	p.failExpected("Missing comma", `"," or "`+string(close)+`" after the `+what+` element`)
	return false, false
}

// takeMembers moves the top n members of the scratch stack into a slice of
// their own, carved from a slab.
func (p *parser) takeMembers(base, n int) []Member {
	if cap(p.members)-len(p.members) < n {
		p.members = make([]Member, 0, max(n, p.slabSize(cap(p.members))))
	}
	l := len(p.members)
	out := p.members[l : l+n : l+n]
	p.members = p.members[:l+n]
	copy(out, p.mstack[base:])
	clear(p.mstack[base:])
	p.mstack = p.mstack[:base]
	return out
}

func (p *parser) takeItems(base, n int) []*Value {
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*Value, 0, max(n, p.slabSize(cap(p.ptrs))))
	}
	l := len(p.ptrs)
	out := p.ptrs[l : l+n : l+n]
	p.ptrs = p.ptrs[:l+n]
	copy(out, p.istack[base:])
	clear(p.istack[base:])
	p.istack = p.istack[:base]
	return out
}

// sub returns src[from:to] as a string, sharing p.text when there is one.
func (p *parser) sub(from, to int) string {
	if p.text != "" {
		return p.text[from:to]
	}
	return string(p.src[from:to])
}
