package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// maxNesting bounds how deeply brackets may nest in configuration text.
// hcl's parser recurses once per level: 100,000 nested brackets in a small
// file overflow the stack, which ends the whole process, not just this
// module. Real configuration nests a few dozen levels at most.
const maxNesting = 512

// nestingError reports text nested deeper than maxNesting, at the bracket
// that goes too deep. It counts every bracket, in strings too: an
// over-estimate that real configuration never comes near.
func nestingError(name string, src []byte) *hcl.Diagnostic {
	depth, line, col := 0, 1, 1
	for i, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > maxNesting {
				pos := hcl.Pos{Line: line, Column: col, Byte: i}
				return &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Nested too deeply",
					Detail:   fmt.Sprintf("%s nests brackets more than %d levels deep; canpull stops there so that hostile input cannot exhaust it. No real configuration nests this deeply.", name, maxNesting),
					Subject:  &hcl.Range{Filename: name, Start: pos, End: pos},
				}
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case '\n':
			line, col = line+1, 0
		}
		if c < 0x80 || c >= 0xC0 {
			col++ // count characters, not continuation bytes
		}
	}
	return nil
}
