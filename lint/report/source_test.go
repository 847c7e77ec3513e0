package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

func TestSourceOffset(t *testing.T) {
	src := newSource([]byte("ab\r\nçd\n\nx"))
	if n := src.numLines(); n != 4 {
		t.Errorf("numLines = %d", n)
	}
	if n := newSource([]byte("a\n")).numLines(); n != 1 {
		t.Errorf("numLines with a final newline = %d", n)
	}
	tests := []struct {
		p    hcl.Pos
		want int
		ok   bool
	}{
		{hcl.Pos{Line: 1, Column: 1, Byte: 0}, 0, true},
		{hcl.Pos{Line: 1, Column: 3, Byte: 2}, 2, true},
		{hcl.Pos{Line: 1, Column: 3, Byte: 3}, 2, true}, // the line break: its CR
		{hcl.Pos{Line: 2, Column: 2, Byte: 6}, 6, true},
		{hcl.Pos{Line: 2, Column: 2}, 6, true},            // no Byte: counted from Column
		{hcl.Pos{Line: 2, Column: 2, Byte: 1}, 6, true},   // Byte on another line
		{hcl.Pos{Line: 1, Column: 2, Byte: 0}, 1, true},   // Byte unset on line 1
		{hcl.Pos{Line: 2, Column: 99, Byte: -1}, 7, true}, // clamped to the line's end
		{hcl.Pos{Line: 3, Column: 1, Byte: 8}, 8, true},
		{hcl.Pos{Line: 4, Column: 2, Byte: 10}, 10, true},
		{hcl.Pos{Line: 5, Column: 1}, 0, false},
		{hcl.Pos{Line: 0, Column: 1}, 0, false},
	}
	for _, tt := range tests {
		got, ok := src.offset(tt.p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("offset(%+v) = %d, %v; want %d, %v", tt.p, got, ok, tt.want, tt.ok)
		}
	}
}

func TestUTF16Column(t *testing.T) {
	src := newSource([]byte("x\naé😀b\xffc"))
	for _, tt := range []struct{ off, want int }{
		{0, 1}, {1, 2}, {2, 1}, {3, 2}, {5, 3}, {9, 5}, {10, 6}, {11, 7},
	} {
		if got := src.utf16Column(tt.off); got != tt.want {
			t.Errorf("utf16Column(%d) = %d, want %d", tt.off, got, tt.want)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		line     string
		from, to int
		shown    string
		fc, tc   int
	}{
		{"abc", 1, 2, "abc", 1, 2},
		{"\tx", 1, 2, "    x", 4, 5},
		{"ab\tx", 3, 4, "ab  x", 4, 5},
		{"日本x", 6, 7, "日本x", 4, 5},
		{"e\u0301x", 3, 4, "e\u0301x", 1, 2},
		{"a\x1bb", 2, 3, "a<U+001B>b", 9, 10},
		{"ab", 2, 2, "ab", 2, 2},
	}
	for _, tt := range tests {
		shown, fc, tc := display(tt.line, tt.from, tt.to)
		if shown != tt.shown || fc != tt.fc || tc != tt.tc {
			t.Errorf("display(%q, %d, %d) = %q, %d, %d; want %q, %d, %d",
				tt.line, tt.from, tt.to, shown, fc, tc, tt.shown, tt.fc, tt.tc)
		}
	}
}

func TestWindow(t *testing.T) {
	long := strings.Repeat("a", 300) + `"image":"nginx"` + strings.Repeat("b", 300)
	from := strings.Index(long, `"nginx"`)
	to := from + len(`"nginx"`)
	got, f, e := window(long, from, to)
	if len(got) > maxShownLine+2*len("…") {
		t.Errorf("window is %d bytes long", len(got))
	}
	if got[f:e] != `"nginx"` {
		t.Errorf("the range moved: %q", got[f:e])
	}
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("cuts are not marked: %q", got)
	}
	short := `image = "nginx"`
	if got, f, e := window(short, 9, 14); got != short || f != 9 || e != 14 {
		t.Errorf("a short line changed: %q %d %d", got, f, e)
	}
	// Multi-byte characters are never split.
	wide := strings.Repeat("é", 200)
	if got, _, _ := window(wide, 100, 102); !utf8.ValidString(got) {
		t.Errorf("window split a character: %q", got)
	}
}
