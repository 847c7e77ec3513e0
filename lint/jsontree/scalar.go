package jsontree

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// plain marks the bytes that stand for themselves inside a string: the
// string scanner skips runs of them without looking further.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans the string at p.off (its opening quote) and returns its value
// when build is true. Strings without escapes share the source text.
func (p *parser) str(build bool) (string, bool) {
	open := p.off
	src := p.src
	i := open + 1
	for {
		for i < len(src) && plain[src[i]] {
			i++
		}
		if i >= len(src) {
			p.failUnterminated(open, i)
			return "", false
		}
		switch c := src[i]; {
		case c == '"':
			p.off = i + 1
			if !build {
				return "", true
			}
			return p.sub(open+1, i), true
		case c == '\\':
			return p.escaped(open, i, build)
		case c < 0x20:
			p.failControl(open, i)
			return "", false
		default:
			if !p.utf8At(i) {
				return "", false
			}
			_, n := utf8.DecodeRune(src[i:])
			i += n
		}
	}
}

// utf8At checks the multi-byte sequence at offset i.
func (p *parser) utf8At(i int) bool {
	if r, n := utf8.DecodeRune(p.src[i:]); r == utf8.RuneError && n <= 1 {
		p.failUTF8(i)
		return false
	}
	return true
}

// escaped finishes a string whose first backslash is at offset i. It
// decodes as encoding/json does: a lone or mismatched surrogate becomes
// U+FFFD.
func (p *parser) escaped(open, i int, build bool) (string, bool) {
	src := p.src
	buf := p.buf[:0]
	if build {
		buf = append(buf, src[open+1:i]...)
	}
	for {
		run := i
		for i < len(src) && plain[src[i]] {
			i++
		}
		if build {
			buf = append(buf, src[run:i]...)
		}
		if i >= len(src) {
			p.failUnterminated(open, i)
			return "", false
		}
		switch c := src[i]; {
		case c == '"':
			p.off = i + 1
			p.buf = buf[:0]
			if !build {
				return "", true
			}
			return string(buf), true
		case c == '\\':
			if i+1 >= len(src) {
				p.failUnterminated(open, len(src))
				return "", false
			}
			var r rune
			n := 2
			switch e := src[i+1]; e {
			case '"', '\\', '/':
				r = rune(e)
			case 'b':
				r = '\b'
			case 'f':
				r = '\f'
			case 'n':
				r = '\n'
			case 'r':
				r = '\r'
			case 't':
				r = '\t'
			case 'u':
				var ok bool
				if r, ok = hex4(src[i+2:]); !ok {
					p.failEscape(i)
					return "", false
				}
				n = 6
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if len(src) >= i+12 && src[i+6] == '\\' && src[i+7] == 'u' {
						r2, ok = hex4(src[i+8:])
					}
					if d := utf16.DecodeRune(r, r2); ok && d != unicode.ReplacementChar {
						r, n = d, 12
					} else {
						r = unicode.ReplacementChar
					}
				}
			default:
				p.failEscape(i)
				return "", false
			}
			if build {
				buf = utf8.AppendRune(buf, r)
			}
			i += n
			continue
		case c < 0x20:
			p.failControl(open, i)
			return "", false
		default:
			if !p.utf8At(i) {
				return "", false
			}
			_, n := utf8.DecodeRune(src[i:])
			if build {
				buf = append(buf, src[i:i+n]...)
			}
			i += n
			continue
		}
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number scans a number at p.off: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() bool {
	src := p.src
	from, i := p.off, p.off
	digits := func() bool {
		if i >= len(src) || !isDigit(src[i]) {
			return false
		}
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		return true
	}
	if src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
		if i < len(src) && isDigit(src[i]) {
			p.failNumber(from, "A JSON number cannot start with 0 followed by more digits. Remove the leading zeros, or write it as a string.")
			return false
		}
	case !digits():
		p.failNumber(from, "A minus sign must be followed by digits.")
		return false
	}
	if i < len(src) && src[i] == '.' {
		i++
		if !digits() {
			p.failNumber(from, "A decimal point must be followed by digits.")
			return false
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if !digits() {
			p.failNumber(from, "An exponent must have digits.")
			return false
		}
	}
	p.off = i
	return true
}

// keyword scans true, false or null. It takes the whole run of letters and
// digits so that "True" or "nullx" is reported as one word.
func (p *parser) keyword() (Kind, bool, bool) {
	from, i := p.off, p.off
	for i < len(p.src) && isWordByte(p.src[i]) {
		i++
	}
	switch string(p.src[from:i]) {
	case "true":
		p.off = i
		return Bool, true, true
	case "false":
		p.off = i
		return Bool, false, true
	case "null":
		p.off = i
		return Null, false, true
	}
	p.failKeyword(from, i)
	return 0, false, false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_'
}
