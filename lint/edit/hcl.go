package edit

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint"
)

// HCLAttribute adds the attribute `name = value` at the end of the block of
// type blockType whose header starts at at (its type or its definition
// range, as a model fact left out points there), in Terraform's native
// syntax. hclwrite writes the attribute; in a file that is formatted as
// `terraform fmt` leaves it, the block's attributes are aligned again, and
// nothing outside the block changes; in any other file the line is added
// as it is and nothing else moves.
func HCLAttribute(src []byte, filename string, at hcl.Pos, blockType, name string, value cty.Value) (lint.Edit, error) {
	if at.Byte < 0 || at.Byte > len(src) {
		return lint.Edit{}, fmt.Errorf("canpull does not know where the block is in %s", filename)
	}
	// Parse the top-level block that holds the position, not the file: a
	// big file costs no more than a small one.
	part, start := src, hcl.InitialPos
	if from, to := topLevelBlock(src, at.Byte, at.Byte); from >= 0 {
		part, start = src[from:to], PosOf(src, from)
	}
	file, diags := hclsyntax.ParseConfig(part, filename, start)
	if diags.HasErrors() && len(part) < len(src) {
		file, diags = hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return lint.Edit{}, fmt.Errorf("%s does not parse", filename)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return lint.Edit{}, fmt.Errorf("%s is not in Terraform's native syntax", filename)
	}
	b := blockAt(body, at.Byte)
	if b == nil {
		return lint.Edit{}, fmt.Errorf("canpull finds no block at line %d of %s", at.Line, filename)
	}
	switch {
	case b.Type == "dynamic":
		return lint.Edit{}, fmt.Errorf("%s is a dynamic block: add %s to its content by hand", blockName(b), name)
	case b.Type != blockType:
		return lint.Edit{}, fmt.Errorf("the setting is left to %s at line %d, not to a %s block written here", blockName(b), b.TypeRange.Start.Line, blockType)
	case b.Body.Attributes[name] != nil:
		return lint.Edit{}, fmt.Errorf("%s sets %s already", blockName(b), name)
	}
	open, closing := b.OpenBraceRange.Start.Byte, b.CloseBraceRange.Start.Byte
	if b.OpenBraceRange.Start.Line == b.CloseBraceRange.Start.Line {
		return lint.Edit{}, fmt.Errorf("%s is written on one line, which holds one attribute only", blockName(b))
	}
	at0 := lineStart(src, closing)
	if len(bytes.TrimSpace(src[at0:closing])) > 0 {
		return lint.Edit{}, fmt.Errorf("the closing brace of %s shares its line with other text", blockName(b))
	}
	indent := indentOf(src, open) + "  "
	if first := firstItem(b.Body); first >= 0 {
		indent = indentOf(src, first)
	}
	line := attributeLine(name, value)
	nl := newline(src)
	text := indent + string(bytes.TrimRight(line, "\n")) + nl
	return keepFormatted(src, replace(src, filename, at0, at0, text)), nil
}

// keepFormatted widens an edit of a Terraform file that is formatted as
// `terraform fmt` leaves it (hclwrite.Format's output) so that it stays
// formatted: the attributes around the change are aligned again. Only the
// top-level block that holds the edit is formatted (terraform fmt aligns
// within a block, so that is the same, and a big file costs no more than
// a small one). In a block that is not formatted, or in a file with CRLF
// line ends, the edit is left as it is, and nothing that the user wrote
// moves.
func keepFormatted(src []byte, e lint.Edit) lint.Edit {
	if !isNativeHCL(e.Range.Filename) || newline(src) != "\n" {
		return e
	}
	from, to := topLevelBlock(src, e.Range.Start.Byte, e.Range.End.Byte)
	if from < 0 {
		return e
	}
	block := src[from:to]
	if !bytes.Equal(hclwrite.Format(block), block) {
		return e
	}
	changed := make([]byte, 0, len(block)+len(e.NewText))
	changed = append(changed, block[:e.Range.Start.Byte-from]...)
	changed = append(changed, e.NewText...)
	changed = append(changed, block[e.Range.End.Byte-from:]...)
	if _, diags := hclsyntax.ParseConfig(changed, e.Range.Filename, hcl.InitialPos); diags.HasErrors() {
		return e
	}
	f, t, repl := span(block, hclwrite.Format(changed))
	return replace(src, e.Range.Filename, from+f, from+t, string(repl))
}

// topLevelBlock finds the lines of the top-level block that holds the
// bytes from start to end: from the nearest line above that starts with a
// word (the block's header) to the nearest line below that is "}" alone.
// A heredoc can fool the search; the caller checks that what it found
// parses. It returns -1, -1 when there is none.
func topLevelBlock(src []byte, start, end int) (from, to int) {
	from = lineStart(src, start)
	for {
		if from < len(src) {
			c := src[from]
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '}' && c != '#' && c != '/' {
				break
			}
		}
		if from == 0 {
			return -1, -1
		}
		from = lineStart(src, from-1)
	}
	for at := lineStart(src, end); at < len(src); {
		next := lineEnd(src, at)
		if line := bytes.TrimRight(src[at:next], "\r\n"); len(line) == 1 && line[0] == '}' {
			return from, next
		}
		at = next
	}
	return -1, -1
}

// isNativeHCL reports whether a file is in Terraform's native syntax.
func isNativeHCL(name string) bool {
	for _, ext := range []string{".tf", ".tofu", ".tfvars"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// attributeLine is `name = value` as hclwrite writes it, with its newline.
func attributeLine(name string, value cty.Value) []byte {
	f := hclwrite.NewEmptyFile()
	f.Body().SetAttributeValue(name, value)
	return f.Bytes()
}

// span is the part of a that b changes: a[from:to] becomes repl. Lines are
// kept whole, so that the edit reads as the lines it changes.
func span(a, b []byte) (from, to int, repl []byte) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	from = lineStart(a, p)
	end := len(a) - s
	if end > from && end <= len(a) && (end == 0 || a[end-1] != '\n') {
		end = lineEnd(a, end)
	}
	to = max(end, from)
	tail := len(a) - to
	return from, to, b[from : len(b)-tail]
}

// blockAt finds the block, at any depth, whose type or definition starts
// at byte off.
func blockAt(body *hclsyntax.Body, off int) *hclsyntax.Block {
	for _, b := range body.Blocks {
		if b.TypeRange.Start.Byte == off || b.DefRange().Start.Byte == off {
			return b
		}
		if b.Range().Start.Byte <= off && off < b.Range().End.Byte {
			if in := blockAt(b.Body, off); in != nil {
				return in
			}
		}
	}
	return nil
}

// firstItem is the offset of the body's first attribute or block, or -1.
func firstItem(body *hclsyntax.Body) int {
	first := -1
	for _, a := range body.Attributes {
		if o := a.SrcRange.Start.Byte; first < 0 || o < first {
			first = o
		}
	}
	for _, b := range body.Blocks {
		if o := b.TypeRange.Start.Byte; first < 0 || o < first {
			first = o
		}
	}
	return first
}

// blockName names a block for a message: `resource "aws_vpc_endpoint"
// "ecr_api"`, `network_configuration`.
func blockName(b *hclsyntax.Block) string {
	s := b.Type
	for _, l := range b.Labels {
		s += fmt.Sprintf(" %q", l)
	}
	return "`" + s + "`"
}
