package jsontree

import (
	"encoding/binary"
	"math/bits"

	"github.com/hashicorp/hcl/v2"
)

// Positions are computed lazily: the scanner tracks only the current line,
// and a column is counted from the last position handed out on that line.
// Requests come in source order, so every byte is counted at most once and
// a 50 MB single-line document stays linear.

// pos returns the position of byte offset off, normally on the current
// line.
func (p *parser) pos(off int) hcl.Pos {
	if off < p.lineStart {
		// An error can point back at an earlier line (a trailing comma
		// found at the next line's bracket).
		return p.posAny(off)
	}
	if off < p.colOff {
		// Only for an out-of-order request; recount from the line start.
		p.colOff, p.col = p.lineStart, p.lineCol
	}
	p.col += countRunes(p.src[p.colOff:off])
	p.colOff = off
	return hcl.Pos{Line: p.line, Column: p.col, Byte: p.start.Byte + off}
}

// rng returns the range of src[from:to], both on the current line.
func (p *parser) rng(from, to int) hcl.Range {
	s := p.pos(from)
	return hcl.Range{Filename: p.filename, Start: s, End: p.pos(to)}
}

// newline records that a line starts at offset off.
func (p *parser) newline(off int) {
	p.line++
	p.lineStart, p.colOff = off, off
	p.lineCol, p.col = 1, 1
}

const contMask = 0x8080808080808080

// countRunes counts the UTF-8 sequences in b by counting the bytes that are
// not continuation bytes (10xxxxxx), eight at a time.
func countRunes(b []byte) int {
	n := len(b)
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// A continuation byte has bit 7 set and bit 6 clear; w<<1 moves
		// each byte's bit 6 to its bit 7.
		n -= bits.OnesCount64(w &^ (w << 1) & contMask)
		b = b[8:]
	}
	for _, c := range b {
		if c&0xC0 == 0x80 {
			n--
		}
	}
	return n
}
