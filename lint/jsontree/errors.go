package jsontree

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Parse stops at the first error: after one syntax error the rest of a JSON
// document rarely means what its author intended.

func (p *parser) fail(summary, detail string, subject hcl.Range) {
	if p.err != nil {
		return
	}
	p.err = &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &subject}
}

// charRange is the range of the character at off, or an empty range at the
// end of the input.
func (p *parser) charRange(off int) hcl.Range {
	if off >= len(p.src) {
		return p.rng(len(p.src), len(p.src))
	}
	_, n := utf8.DecodeRune(p.src[off:])
	return p.rng(off, off+n)
}

// posAny is the position of any offset, including one on an earlier line;
// it scans from the start and is meant for error messages only.
func (p *parser) posAny(off int) hcl.Pos {
	line, col, lineStart := p.start.Line, p.start.Column, 0
	if len(p.src) >= 3 && p.src[0] == bom[0] && p.src[1] == bom[1] && p.src[2] == bom[2] {
		lineStart = 3
	}
	for i := lineStart; i < off; i++ {
		if p.src[i] == '\n' {
			line, col, lineStart = line+1, 1, i+1
		}
	}
	return hcl.Pos{Line: line, Column: col + countRunes(p.src[lineStart:off]), Byte: p.start.Byte + off}
}

// found describes what is at p.off, for "expected X, found Y".
func (p *parser) found() string {
	if p.off >= len(p.src) {
		return "the end of the file"
	}
	c := p.src[p.off]
	switch {
	case c == '"':
		return "a string"
	case c == '-' || isDigit(c):
		return "a number"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case isWordByte(c):
		i := p.off
		for i < len(p.src) && isWordByte(p.src[i]) && i-p.off < 40 {
			i++
		}
		return fmt.Sprintf("%q", p.src[p.off:i])
	}
	r, _ := utf8.DecodeRune(p.src[p.off:])
	return fmt.Sprintf("%q", r)
}

// failSpecial reports the usual non-JSON habits (comments, single quotes,
// invalid UTF-8) at p.off, and reports whether it found one.
func (p *parser) failSpecial() bool {
	src, i := p.src, p.off
	switch {
	case src[i] == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
		p.fail("Comments are not allowed in JSON",
			"JSON has no comments: remove this one.",
			p.rng(i, i+2))
	case src[i] == '\'':
		p.fail("Single quotes are not allowed in JSON",
			`JSON strings and keys are written in double quotes: "like this".`,
			p.charRange(i))
	case src[i] >= 0x80:
		if r, n := utf8.DecodeRune(src[i:]); r == utf8.RuneError && n <= 1 {
			p.failUTF8(i)
		} else {
			return false
		}
	default:
		return false
	}
	return true
}

func (p *parser) failUnexpected(what string) {
	if p.failSpecial() {
		return
	}
	switch p.src[p.off] {
	case ']', '}', ',':
		p.fail("Missing value", fmt.Sprintf("Expected %s before %s.", what, p.found()), p.charRange(p.off))
	default:
		p.fail("Invalid JSON value",
			fmt.Sprintf("Expected %s (a string, number, object, array, true, false or null), found %s.", what, p.found()),
			p.charRange(p.off))
	}
}

func (p *parser) failKey() {
	if p.failSpecial() {
		return
	}
	if isWordByte(p.src[p.off]) {
		i := p.off
		for i < len(p.src) && isWordByte(p.src[i]) {
			i++
		}
		p.fail("Object key without quotes",
			fmt.Sprintf("JSON object keys are strings in double quotes: write \"%s\".", p.src[p.off:i]),
			p.rng(p.off, i))
		return
	}
	p.fail("Invalid object key",
		fmt.Sprintf("Expected an object key (a string in double quotes), found %s.", p.found()),
		p.charRange(p.off))
}

func (p *parser) failExpected(summary, expected string) {
	if p.off < len(p.src) && p.failSpecial() {
		return
	}
	p.fail(summary, fmt.Sprintf("Expected %s, found %s.", expected, p.found()), p.charRange(p.off))
}

func (p *parser) failEOF(what string) {
	p.fail("Unexpected end of JSON", fmt.Sprintf("The file ends where %s was expected.", what), p.charRange(p.off))
}

func (p *parser) failUnclosed(what string, open int, expected string) {
	at := p.posAny(open)
	p.fail("Unexpected end of JSON",
		fmt.Sprintf("The file ends before the %s that opens at line %d, column %d is closed: expected %s.", what, at.Line, at.Column, expected),
		p.charRange(p.off))
}

func (p *parser) failDepth(open int) {
	p.fail(fmt.Sprintf("JSON nested more than %d levels deep", MaxDepth),
		fmt.Sprintf("This bracket opens level %d of nested arrays and objects. canpull stops at %d levels so that hostile input cannot exhaust it; no ECS document nests this deeply.", MaxDepth+1, MaxDepth),
		p.rng(open, open+1))
}

func (p *parser) failUnterminated(open, at int) {
	p.fail("Unterminated string",
		"This string has no closing double quote.",
		p.rng(open, at))
}

func (p *parser) failControl(open, at int) {
	c := p.src[at]
	if c == '\n' || c == '\r' {
		p.fail("Unterminated string",
			`This string has no closing double quote on its line. A JSON string must end on the line it starts on; write a line break inside it as \n.`,
			p.rng(open, at))
		return
	}
	p.fail("Invalid character in string",
		fmt.Sprintf(`Control character U+%04X must be escaped in a JSON string (as \u%04X).`, c, c),
		p.rng(at, at+1))
}

func (p *parser) failUTF8(at int) {
	p.fail("Invalid UTF-8",
		fmt.Sprintf("Byte 0x%02X at offset %d is not valid UTF-8. JSON files must be UTF-8; convert the file to that encoding.", p.src[at], p.start.Byte+at),
		p.rng(at, at+1))
}

func (p *parser) failEscape(at int) {
	end := min(at+2, len(p.src))
	if end > at+1 && p.src[at+1] == 'u' {
		end = at + 2
		for end < len(p.src) && end < at+6 && isHex(p.src[end]) {
			end++
		}
		if end < len(p.src) && end < at+6 && p.src[end] >= 0x80 {
			end = at + 2
		}
		p.fail("Invalid escape sequence",
			`\u must be followed by four hexadecimal digits, as in \u00e9.`,
			p.rng(at, end))
		return
	}
	if end > at+1 && p.src[at+1] >= 0x80 {
		// Keep the range on a character boundary.
		_, n := utf8.DecodeRune(p.src[at+1:])
		end = at + 1 + n
	}
	p.fail("Invalid escape sequence",
		fmt.Sprintf(`%s is not a JSON escape. JSON knows \" \\ \/ \b \f \n \r \t and \uXXXX; write a backslash itself as \\.`, p.src[at:end]),
		p.rng(at, end))
}

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (p *parser) failNumber(from int, detail string) {
	i := from
	for i < len(p.src) && (isDigit(p.src[i]) || p.src[i] == '-' || p.src[i] == '+' || p.src[i] == '.' || p.src[i] == 'e' || p.src[i] == 'E') {
		i++
	}
	p.fail("Invalid number", detail, p.rng(from, i))
}

func (p *parser) failKeyword(from, to int) {
	word := string(p.src[from:to])
	detail := fmt.Sprintf("Expected a value (a string, number, object, array, true, false or null), found %q.", word)
	switch word {
	case "True", "TRUE":
		detail = fmt.Sprintf("JSON's true is written in lower case: %q is not a value.", word)
	case "False", "FALSE":
		detail = fmt.Sprintf("JSON's false is written in lower case: %q is not a value.", word)
	case "Null", "NULL", "None", "nil", "undefined":
		detail = fmt.Sprintf("JSON writes an absent value as null; %q is not a value.", word)
	case "NaN", "Infinity":
		detail = "JSON has no NaN or Infinity; write a number or null."
	}
	if len(word) > 40 {
		to = from + 40
	}
	p.fail("Invalid JSON value", detail, p.rng(from, to))
}
