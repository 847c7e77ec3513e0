package fix

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint"
)

// Diff writes the plan as a unified diff, one file after another, with
// three lines of context: what `git apply` and `patch -p1` read. Names
// are made relative to base (the repository root) with forward slashes,
// under a/ and b/ as git writes them.
//
// The diff is made from the edits, not found by comparing the texts: the
// plan knows which lines change, so no diff algorithm (and no library for
// one) is needed, and the hunks are exactly the edits.
func (p *Plan) Diff(base string) []byte {
	var b bytes.Buffer
	for _, f := range p.Files {
		writeFileDiff(&b, displayName(f.Name, base), f.Old, f.New, f.Edits)
	}
	return b.Bytes()
}

const context = 3

func displayName(name, base string) string {
	if base != "" {
		abs, err1 := filepath.Abs(name)
		absBase, err2 := filepath.Abs(base)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absBase, abs); err == nil && !strings.HasPrefix(rel, "..") {
				name = rel
			}
		}
	}
	return filepath.ToSlash(name)
}

// writeFileDiff writes the hunks that turn old into new. The two differ in
// one span of lines per change; spans closer than twice the context share
// a hunk.
func writeFileDiff(b *bytes.Buffer, name string, old, new []byte, edits []lint.Edit) {
	a, c := splitLines(old), splitLines(new)
	changes := editChanges(old, edits)
	if len(changes) == 0 {
		return
	}
	fmt.Fprintf(b, "--- a/%s\n+++ b/%s\n", name, name)
	for i := 0; i < len(changes); {
		j := i
		for j+1 < len(changes) && changes[j+1].a0-changes[j].a1 <= 2*context {
			j++
		}
		writeHunk(b, a, c, changes[i:j+1])
		i = j + 1
	}
}

// change says that lines a[a0:a1] become c[c0:c1].
type change struct{ a0, a1, c0, c1 int }

// editChanges turns the edits of a file (sorted, not overlapping) into the
// spans of whole lines they change. Edits whose lines touch share a span.
func editChanges(old []byte, edits []lint.Edit) []change {
	var starts []int // the offset of each line of old
	for off := 0; off < len(old); off = lineEnd(old, off) {
		starts = append(starts, off)
	}
	lineOf := func(off int) int { // the line that starts at or holds off
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	}
	atLineStart := func(off int) bool { return off == len(old) || off == 0 || old[off-1] == '\n' }

	var out []change
	delta := 0
	for i := 0; i < len(edits); {
		rs := lineStartOf(old, edits[i].Range.Start.Byte)
		var text bytes.Buffer
		at, re := rs, rs
		for first := true; i < len(edits); first = false {
			e := edits[i]
			if !first && e.Range.Start.Byte >= re {
				break // it starts on a later line: a span of its own
			}
			text.Write(old[at:e.Range.Start.Byte])
			text.WriteString(e.NewText)
			at = e.Range.End.Byte
			// The span ends with the line that holds the edit's end, unless
			// the edit ends whole lines.
			re = lineEnd(old, at)
			if atLineStart(at) && (text.Len() == 0 || bytes.HasSuffix(text.Bytes(), []byte("\n"))) {
				re = at
			}
			i++
		}
		text.Write(old[at:re])
		a0 := lineOf(rs)
		if rs == len(old) {
			a0 = len(starts)
		}
		a1 := len(starts)
		if re < len(old) {
			a1 = lineOf(re)
		}
		lines := splitLines(text.Bytes())
		n := len(lines)
		ch := change{a0: a0, a1: a1, c0: a0 + delta, c1: a0 + delta + n}
		delta += n - (a1 - a0)
		// Lines that an edit rewrites as they were are context, not change.
		for ch.a0 < ch.a1 && ch.c0 < ch.c1 && string(old[starts[ch.a0]:lineEnd(old, starts[ch.a0])]) == lines[0] {
			ch.a0, ch.c0, lines = ch.a0+1, ch.c0+1, lines[1:]
		}
		for ch.a0 < ch.a1 && ch.c0 < ch.c1 && string(old[starts[ch.a1-1]:lineEnd(old, starts[ch.a1-1])]) == lines[len(lines)-1] {
			ch.a1, ch.c1, lines = ch.a1-1, ch.c1-1, lines[:len(lines)-1]
		}
		if ch.a0 < ch.a1 || ch.c0 < ch.c1 {
			out = append(out, ch)
		}
	}
	return out
}

func lineStartOf(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

func writeHunk(b *bytes.Buffer, a, c []string, cs []change) {
	first, last := cs[0], cs[len(cs)-1]
	a0 := max(0, first.a0-context)
	a1 := min(len(a), last.a1+context)
	c0 := first.c0 - (first.a0 - a0)
	c1 := last.c1 + (a1 - last.a1)
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(a0, a1-a0), hunkRange(c0, c1-c0))
	at := a0
	for _, ch := range cs {
		for ; at < ch.a0; at++ {
			writeLine(b, ' ', a[at])
		}
		for k := ch.a0; k < ch.a1; k++ {
			writeLine(b, '-', a[k])
		}
		for k := ch.c0; k < ch.c1; k++ {
			writeLine(b, '+', c[k])
		}
		at = ch.a1
	}
	for ; at < a1; at++ {
		writeLine(b, ' ', a[at])
	}
}

// hunkRange is "start,count" as unified diffs write it: lines from 1, and
// for an empty span the line before it.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeLine(b *bytes.Buffer, mark byte, line string) {
	b.WriteByte(mark)
	b.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
}

// splitLines splits after each newline, keeping it; a last line without
// one is kept as it is.
func splitLines(s []byte) []string {
	var out []string
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, string(s))
			break
		}
		out = append(out, string(s[:i+1]))
		s = s[i+1:]
	}
	return out
}
