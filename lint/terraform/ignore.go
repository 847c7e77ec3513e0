package terraform

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/canpull/canpull/lint/input"
)

// Ignore comments in HCL's native syntax (#, // and /* */ all work):
//
//	# canpull:ignore CP203 the tasks reach ECR through a proxy we manage
//
// A canpull:ignore applies to its own line when code comes before it
// there, otherwise to the line right below it (other comment lines may
// stand between, blank lines may not). It covers that line and any block or
// argument that starts on it: above a resource or module block, it covers
// the whole block. JSON has no comments.

// Ignores reads the ignore comments of the files among sources that are in
// HCL's native syntax, in file-name order; a comment that is not a usable
// directive is an error.
func Ignores(sources map[string][]byte) ([]input.Ignore, hcl.Diagnostics) {
	var names []string
	for name, src := range sources {
		if hclNative(name) && bytes.Contains(src, []byte(input.DirectivePrefix)) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []input.Ignore
	var diags hcl.Diagnostics
	for _, name := range names {
		igs, ds := fileIgnores(name, sources[name])
		out = append(out, igs...)
		diags = append(diags, ds...)
	}
	return out, diags
}

// hclNative reports files in HCL's native syntax, which have comments.
func hclNative(name string) bool {
	switch filepath.Ext(name) {
	case ".tf", ".tofu", ".tfvars", ".hcl":
		return true
	}
	return false
}

func fileIgnores(name string, src []byte) ([]input.Ignore, hcl.Diagnostics) {
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	code := map[int]bool{}    // lines with something besides comments
	comment := map[int]bool{} // lines with a comment
	var comments []hclsyntax.Token
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment:
			comments = append(comments, t)
			markLines(comment, t.Range)
		default:
			markLines(code, t.Range)
		}
	}
	var out []input.Ignore
	var diags hcl.Diagnostics
	var targets []int
	for _, t := range comments {
		ig, err := input.ParseComment(commentText(t.Bytes), commentRange(t))
		if err != nil {
			diags = append(diags, err)
			continue
		}
		if ig == nil {
			continue
		}
		target := 0
		if !ig.File {
			target = targetLine(ig.Range, code, comment)
		}
		out = append(out, *ig)
		targets = append(targets, target)
	}
	if len(out) == 0 {
		return nil, diags
	}
	var spans []hcl.Range
	if f, _ := hclsyntax.ParseConfig(src, name, hcl.InitialPos); f != nil {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			spans = collectSpans(body, nil)
		}
	}
	for i := range out {
		if out[i].File || targets[i] == 0 {
			continue
		}
		out[i].Covers = []hcl.Range{input.LineRange(name, targets[i])}
		for _, sp := range spans {
			if sp.Start.Line == targets[i] {
				out[i].Covers = append(out[i].Covers, sp)
			}
		}
	}
	return out, diags
}

// markLines marks the lines a token covers. A range that ends at the start
// of a line (a # comment takes in its line break) ends on the line before.
func markLines(lines map[int]bool, r hcl.Range) {
	end := r.End.Line
	if end > r.Start.Line && r.End.Column <= 1 {
		end--
	}
	for l := r.Start.Line; l <= end; l++ {
		lines[l] = true
	}
}

// targetLine is the line an ignore comment applies to: its own when code
// shares it, else the first code line below it across comment lines only;
// 0 when there is none.
func targetLine(r hcl.Range, code, comment map[int]bool) int {
	if code[r.Start.Line] {
		return r.Start.Line
	}
	l := r.Start.Line + 1
	for comment[l] && !code[l] {
		l++
	}
	if code[l] {
		return l
	}
	return 0
}

// collectSpans lists the ranges of every block and argument of body.
func collectSpans(body *hclsyntax.Body, out []hcl.Range) []hcl.Range {
	for _, a := range body.Attributes {
		out = append(out, a.SrcRange)
	}
	for _, b := range body.Blocks {
		out = append(out, hcl.RangeBetween(b.TypeRange, b.CloseBraceRange))
		out = collectSpans(b.Body, out)
	}
	return out
}

// commentText is a comment without its markers and surrounding space.
func commentText(b []byte) string {
	s := string(b)
	switch {
	case strings.HasPrefix(s, "#"):
		s = s[1:]
	case strings.HasPrefix(s, "//"):
		s = s[2:]
	case strings.HasPrefix(s, "/*"):
		s = strings.TrimSuffix(s[2:], "*/")
	}
	return strings.TrimSpace(s)
}

// commentRange is a comment's range without the line break that # and //
// comments take in.
func commentRange(t hclsyntax.Token) hcl.Range {
	r := t.Range
	trimmed := bytes.TrimRight(t.Bytes, "\r\n")
	if len(trimmed) < len(t.Bytes) && !bytes.Contains(trimmed, []byte("\n")) {
		r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + len([]rune(string(trimmed))), Byte: r.Start.Byte + len(trimmed)}
	}
	return r
}
