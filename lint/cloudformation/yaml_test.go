package cloudformation

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// TestYAMLPositionsOnLongLines: on a line long enough to have marks, every
// byte offset and every column give the same position as counting from
// the line's start (characters of one to four bytes, a line break of each
// kind after it).
func TestYAMLPositionsOnLongLines(t *testing.T) {
	line := strings.Repeat("a,é,€,😀,", 300)
	for _, brk := range []string{"\n", "\r\n", "\r"} {
		src := []byte("x: 1" + brk + "b: [" + line + "z]" + brk + "c: 2" + brk)
		r := &yamlReader{name: "t.yaml", src: src, lines: lineStarts(src)}
		start := r.lines[1]
		end := start
		for end < len(src) && src[end] != '\n' && src[end] != '\r' {
			end++
		}
		for off := start; off <= end; off++ {
			want := hcl.Pos{Line: 2, Column: 1 + utf8.RuneCount(src[start:off]), Byte: off}
			if got := r.posAt(off); got != want {
				t.Fatalf("break %q: posAt(%d) = %+v, want %+v", brk, off, got, want)
			}
		}
		col := 1
		for off := start; off < end; col++ {
			if got := r.offset(2, col); got != off {
				t.Fatalf("break %q: offset(2, %d) = %d, want %d", brk, col, got, off)
			}
			_, n := utf8.DecodeRune(src[off:])
			off += n
		}
		if got := r.offset(2, col+5); got != end {
			t.Errorf("break %q: a column past the line's end gives %d, want its end %d", brk, got, end)
		}
		if len(r.marks[1]) < 10 {
			t.Errorf("break %q: the long line has %d marks", brk, len(r.marks[1]))
		}
	}
}
