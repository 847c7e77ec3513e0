// Package edit makes the byte-range edits that fix findings (see
// lint.Finding.Edits): it reads the text a rule wants to change, checks that
// it is written the way the fix assumes, and returns an edit that changes
// that text alone, the rest of the file byte for byte as it was. When the
// text is not written that way (a variable instead of a literal, a block on
// one line, YAML in flow style), it returns an error that says so in words
// for the user: the rule puts it in the finding's NoEdits, and --fix leaves
// the finding.
//
// It is pure: it never reads or writes a file (package lint/fix applies the
// edits), so that rules may use it.
package edit

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// Scalar replaces the scalar written at r, which must be one of old as
// written (bare, or in double or single quotes), with repl, quoted as the
// old one was. r may also cover a whole "key: value" or "key = value" pair
// whose value is the scalar, as CloudFormation facts do.
func Scalar(src []byte, r hcl.Range, old []string, repl string) (lint.Edit, error) {
	text, err := textAt(src, r)
	if err != nil {
		return lint.Edit{}, err
	}
	if q, ok := quotedAs(text, old); ok {
		return keepFormatted(src, replace(src, r.Filename, r.Start.Byte, r.End.Byte, q+repl+q)), nil
	}
	trimmed := strings.TrimRight(text, " \t")
	for _, o := range old {
		for _, q := range []string{"", `"`, "'"} {
			form := q + o + q
			if !strings.HasSuffix(trimmed, form) {
				continue
			}
			before := strings.TrimRight(trimmed[:len(trimmed)-len(form)], " \t")
			if plainKey.MatchString(before) {
				start := r.Start.Byte + len(trimmed) - len(form)
				return keepFormatted(src, replace(src, r.Filename, start, start+len(form), q+repl+q)), nil
			}
		}
	}
	return lint.Edit{}, fmt.Errorf("the value is written as %s, not as %s: change it where it is given", quote(text), old[0])
}

// RenameKey renames the object key written at r from old to repl, keeping
// its quotes. The key must be written plainly: no escapes, no expression.
func RenameKey(src []byte, r hcl.Range, old, repl string) (lint.Edit, error) {
	text, err := textAt(src, r)
	if err != nil {
		return lint.Edit{}, err
	}
	q, ok := quotedAs(text, []string{old})
	if !ok {
		return lint.Edit{}, fmt.Errorf("the key is written as %s, not plainly as %q", quote(text), old)
	}
	return keepFormatted(src, replace(src, r.Filename, r.Start.Byte, r.End.Byte, q+repl+q)), nil
}

// plainKey is a key and its separator, as a "key: value" pair starts.
var plainKey = regexp.MustCompile(`^(?:[A-Za-z0-9_.-]+|"[A-Za-z0-9_.-]+"|'[A-Za-z0-9_.-]+')\s*[:=]$`)

// quotedAs reports whether text is one of words, bare or quoted, and the
// quote used.
func quotedAs(text string, words []string) (string, bool) {
	for _, w := range words {
		for _, q := range []string{"", `"`, "'"} {
			if text == q+w+q {
				return q, true
			}
		}
	}
	return "", false
}

// textAt returns the text at r, or an error when r does not fit src.
func textAt(src []byte, r hcl.Range) (string, error) {
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte || (r.Start.Byte == 0 && r.End.Byte == 0 && r.Start.Line > 1) {
		return "", fmt.Errorf("canpull does not know where the text is in %s", r.Filename)
	}
	return string(src[r.Start.Byte:r.End.Byte]), nil
}

// replace is the edit that replaces src[from:to] with text.
func replace(src []byte, filename string, from, to int, text string) lint.Edit {
	return lint.Edit{
		Range:   hcl.Range{Filename: filename, Start: PosOf(src, from), End: PosOf(src, to)},
		NewText: text,
	}
}

// PosOf is the position of byte off of src: line and column (in
// characters) from 1.
func PosOf(src []byte, off int) hcl.Pos {
	off = max(0, min(off, len(src)))
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(src[start:off]), Byte: off}
}

// lineStart is the offset of the start of the line that holds off.
func lineStart(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

// lineEnd is the offset just past the newline that ends the line that
// holds off, or len(src) when the line is the last and has none.
func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// indentOf is the blank characters that start the line holding off.
func indentOf(src []byte, off int) string {
	s := lineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

// newline is the file's line ending: "\r\n" when it uses that, else "\n".
func newline(src []byte) string {
	if bytes.Contains(src, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// quote shows a piece of source in a message: in backquotes, on one line,
// cut when long.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:57]) + "…"
	}
	return "`" + s + "`"
}
