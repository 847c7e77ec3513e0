package report

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// source is a file's text with the offsets of its lines, for turning
// positions into byte offsets and columns.
type source struct {
	text  []byte
	lines []int // byte offset of the start of each line; lines[0] == 0
}

func newSource(text []byte) *source {
	s := &source{text: text, lines: []int{0}}
	for i, c := range text {
		if c == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// numLines is the number of lines; a final newline does not start one.
func (s *source) numLines() int {
	n := len(s.lines)
	if n > 1 && s.lines[n-1] == len(s.text) {
		n--
	}
	return n
}

// lineBounds gives the byte offsets of the start and end of line n
// (1-based); the end excludes the line's "\n" or "\r\n".
func (s *source) lineBounds(n int) (start, end int, ok bool) {
	if n < 1 || n > len(s.lines) {
		return 0, 0, false
	}
	start = s.lines[n-1]
	end = len(s.text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	if end > start && s.text[end-1] == '\r' {
		end--
	}
	return start, end, true
}

// offset resolves a position to a byte offset in the file. The position's
// Byte is trusted when it lies on the position's line; otherwise Column is
// counted in runes from the start of the line. ok is false when the line
// does not exist.
func (s *source) offset(p hcl.Pos) (off int, ok bool) {
	start, end, ok := s.lineBounds(p.Line)
	if !ok {
		return 0, false
	}
	// A position may point at the line break itself (the end of a range
	// that takes in the whole line).
	limit := end
	if n := p.Line; n < len(s.lines) {
		limit = s.lines[n] - 1
	}
	// A Byte of the line's start with a later Column was never set.
	if p.Byte >= start && p.Byte <= limit && (p.Byte != start || p.Column <= 1) {
		return min(p.Byte, end), true
	}
	off = start
	for col := 1; col < p.Column && off < end; col++ {
		_, size := utf8.DecodeRune(s.text[off:end])
		off += size
	}
	return off, true
}

// lineOf gives the line (1-based) that holds byte offset off.
func (s *source) lineOf(off int) int {
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// utf16Column is the 1-based column of byte offset off on its line, in
// UTF-16 code units (SARIF's default column kind).
func (s *source) utf16Column(off int) int {
	start := s.lines[s.lineOf(off)-1]
	col := 1
	for b := s.text[start:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size == 1 {
			col++
			continue
		}
		col += len(utf16.Encode([]rune{r}))
	}
	return col
}

// tabWidth is how far apart the tab stops are in a quoted source line.
const tabWidth = 4

// display renders one source line for a terminal and measures a span of it.
// Tabs become spaces up to the next tab stop; control characters and
// bidirectional overrides (which could rewrite the terminal or hide text)
// become a visible <U+XXXX>. from and to are byte offsets into line; the
// results are the display columns (0-based) where they fall.
func display(line string, from, to int) (shown string, fromCol, toCol int) {
	var out []rune
	col := 0
	fromCol, toCol = -1, -1
	for i, r := range line {
		if i >= from && fromCol < 0 {
			fromCol = col
		}
		if i >= to && toCol < 0 {
			toCol = col
		}
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			for range n {
				out = append(out, ' ')
			}
			col += n
		case unsafeRune(r):
			esc := []rune(hexRune(r))
			out = append(out, esc...)
			col += len(esc)
		default:
			out = append(out, r)
			col += runeWidth(r)
		}
	}
	if fromCol < 0 {
		fromCol = col
	}
	if toCol < 0 {
		toCol = col
	}
	return string(out), fromCol, toCol
}

// unsafeRune reports runes that must not reach a terminal as they are:
// control characters, invalid UTF-8 and bidirectional controls.
func unsafeRune(r rune) bool {
	if r == utf8.RuneError || unicode.IsControl(r) {
		return true
	}
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

func hexRune(r rune) string {
	const digits = "0123456789ABCDEF"
	b := []byte("<U+")
	started := false
	for shift := 20; shift >= 0; shift -= 4 {
		d := (r >> shift) & 0xF
		if d != 0 || started || shift < 16 {
			b = append(b, digits[d])
			started = true
		}
	}
	return string(append(b, '>'))
}

// runeWidth is how many terminal cells r takes: 0 for combining marks and
// zero-width characters, 2 for East Asian wide characters and most emoji,
// 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == 0x200B, r == 0x200C, r == 0x200D, r == 0xFEFF:
		return 0
	case r >= 0x1100 && r <= 0x115F,
		r >= 0x2E80 && r <= 0x303E,
		r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF,
		r >= 0x4E00 && r <= 0x9FFF,
		r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F,
		r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// maxShownLine is the most of one source line a snippet quotes. Minified
// JSON puts a whole document on one line: quoting it would bury the range
// and print values (secrets among them) that have nothing to do with the
// finding.
const maxShownLine = 160

// window cuts a long line down to the part around the byte range
// [from, to), marking each cut with "…", and moves the range with it.
func window(line string, from, to int) (string, int, int) {
	if len(line) <= maxShownLine {
		return line, from, to
	}
	const context = 40
	start := max(0, from-context)
	end := min(len(line), max(to, from)+context)
	if end-start > maxShownLine {
		end = start + maxShownLine
	}
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	out := line[start:end]
	prefix := ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(line) {
		out += "…"
	}
	shift := len(prefix) - start
	return prefix + out, min(max(from+shift, len(prefix)), len(prefix)+len(line[start:end])), min(max(to+shift, len(prefix)), len(prefix)+len(line[start:end]))
}
