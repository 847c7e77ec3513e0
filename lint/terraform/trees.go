package terraform

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// After terraform init, every root keeps its own copy of the registry
// modules it calls under .terraform/modules: a repository of examples holds
// the same module text dozens of times (aws-ia/ecs-blueprints: 5,800 .tf
// files, 350 distinct texts). A run parses each distinct native-syntax text
// there once and copies its syntax tree for every other file that holds it,
// with that file's name in every range, since ranges carry the file name
// and each finding and diagnostic must name the file it is in. Copying a
// tree is about ten times cheaper than lexing and parsing the text again.
//
// Only the trees of files under .terraform are kept: the same text recurs
// there, seldom elsewhere, and keeping every tree of a run until its end
// would raise its peak memory by half on a repository of distinct files.

// trees holds the syntax trees a run parsed, by the text parsed.
type trees struct {
	mu     sync.Mutex
	byText map[string]*tree
}

type tree struct {
	once sync.Once
	// name is the file the tree was parsed from: its ranges name it.
	name string
	// body is nil when the text did not parse without a diagnostic: each
	// file that holds it is then parsed for its own diagnostics.
	body *hclsyntax.Body
}

func newTrees() *trees { return &trees{byText: map[string]*tree{}} }

// parse parses a configuration file of a module, as parseConfigFile does,
// or copies the tree of a file with the same text. t may be nil, for no
// sharing. A copy's hcl.File has no Nav (hcl's is unexported; canpull does
// not use it).
func (t *trees) parse(name string, src []byte) (*hcl.File, []byte, hcl.Diagnostics) {
	// hcl's JSON trees cannot be copied.
	if t == nil || strings.HasSuffix(name, ".json") || !downloaded(name) {
		return parseConfigFile(name, src)
	}
	if src == nil {
		var ds hcl.Diagnostics
		if src, ds = readFile(name); ds != nil {
			return nil, nil, ds
		}
	}
	t.mu.Lock()
	tr := t.byText[string(src)]
	if tr == nil {
		tr = &tree{name: name}
		t.byText[string(src)] = tr
	}
	t.mu.Unlock()
	var f *hcl.File
	var ds hcl.Diagnostics
	parsed := false
	tr.once.Do(func() {
		parsed = true
		f, src, ds = parseConfigFile(name, src)
		if f != nil && len(ds) == 0 {
			tr.body, _ = f.Body.(*hclsyntax.Body)
		}
	})
	if parsed {
		return f, src, ds
	}
	if tr.body != nil {
		if body, ok := copyBody(tr.body, tr.name, name); ok {
			return &hcl.File{Body: body, Bytes: src}, src, nil
		}
	}
	return parseConfigFile(name, src)
}

// downloaded reports whether a file is under a .terraform folder, where
// terraform init puts the modules it downloads.
func downloaded(name string) bool {
	for _, part := range strings.Split(filepath.ToSlash(name), "/") {
		if part == ".terraform" {
			return true
		}
	}
	return false
}

// parseConfigFile parses a configuration file of a module and makes it
// ready for evaluation: the trees of all blocks but variables' have the
// keys that for expressions filter kept (see keepFilteredKeys).
func parseConfigFile(name string, src []byte) (*hcl.File, []byte, hcl.Diagnostics) {
	f, src, ds := parseFile(name, src)
	if f == nil || ds.HasErrors() {
		return f, src, ds
	}
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		for _, b := range body.Blocks {
			if b.Type != "variable" {
				keepFilteredKeys(b.Body)
			}
		}
	}
	return f, src, ds
}

// copyBody copies a syntax tree parsed from the file from as if parsed
// from the file to. It reports false if the tree holds a node it does not
// know (one a newer hcl added): such a text must be parsed again.
func copyBody(b *hclsyntax.Body, from, to string) (*hclsyntax.Body, bool) {
	c := copier{from: from, to: to}
	body := c.body(b)
	return body, !c.unknown
}

type copier struct {
	from, to string
	// anon maps each splat's symbol to its copy, which the copy of the
	// splat's Each must refer to.
	anon    map[*hclsyntax.AnonSymbolExpr]*hclsyntax.AnonSymbolExpr
	unknown bool
}

func (c *copier) rng(r hcl.Range) hcl.Range {
	if r.Filename == c.from {
		r.Filename = c.to
	}
	return r
}

func (c *copier) body(b *hclsyntax.Body) *hclsyntax.Body {
	if b == nil {
		return nil
	}
	out := &hclsyntax.Body{SrcRange: c.rng(b.SrcRange), EndRange: c.rng(b.EndRange)}
	if b.Attributes != nil {
		out.Attributes = make(hclsyntax.Attributes, len(b.Attributes))
		for k, a := range b.Attributes {
			out.Attributes[k] = &hclsyntax.Attribute{Name: a.Name, Expr: c.expr(a.Expr),
				SrcRange: c.rng(a.SrcRange), NameRange: c.rng(a.NameRange), EqualsRange: c.rng(a.EqualsRange)}
		}
	}
	if b.Blocks != nil {
		out.Blocks = make(hclsyntax.Blocks, len(b.Blocks))
		for i, bl := range b.Blocks {
			nb := *bl
			nb.Body = c.body(bl.Body)
			nb.TypeRange, nb.OpenBraceRange, nb.CloseBraceRange = c.rng(bl.TypeRange), c.rng(bl.OpenBraceRange), c.rng(bl.CloseBraceRange)
			if bl.LabelRanges != nil {
				nb.LabelRanges = make([]hcl.Range, len(bl.LabelRanges))
				for j, r := range bl.LabelRanges {
					nb.LabelRanges[j] = c.rng(r)
				}
			}
			out.Blocks[i] = &nb
		}
	}
	return out
}

func (c *copier) exprs(es []hclsyntax.Expression) []hclsyntax.Expression {
	if es == nil {
		return nil
	}
	out := make([]hclsyntax.Expression, len(es))
	for i, e := range es {
		out[i] = c.expr(e)
	}
	return out
}

func (c *copier) expr(e hclsyntax.Expression) hclsyntax.Expression {
	switch e := e.(type) {
	case nil:
		return nil
	case *hclsyntax.LiteralValueExpr:
		n := *e
		n.SrcRange = c.rng(e.SrcRange)
		return &n
	case *hclsyntax.TemplateExpr:
		return &hclsyntax.TemplateExpr{Parts: c.exprs(e.Parts), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.TemplateWrapExpr:
		return &hclsyntax.TemplateWrapExpr{Wrapped: c.expr(e.Wrapped), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.TemplateJoinExpr:
		return &hclsyntax.TemplateJoinExpr{Tuple: c.expr(e.Tuple)}
	case *hclsyntax.ScopeTraversalExpr:
		return &hclsyntax.ScopeTraversalExpr{Traversal: c.traversal(e.Traversal), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.RelativeTraversalExpr:
		return &hclsyntax.RelativeTraversalExpr{Source: c.expr(e.Source), Traversal: c.traversal(e.Traversal), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.FunctionCallExpr:
		n := *e
		n.Args = c.exprs(e.Args)
		n.NameRange, n.OpenParenRange, n.CloseParenRange = c.rng(e.NameRange), c.rng(e.OpenParenRange), c.rng(e.CloseParenRange)
		return &n
	case *hclsyntax.ConditionalExpr:
		return &hclsyntax.ConditionalExpr{Condition: c.expr(e.Condition), TrueResult: c.expr(e.TrueResult),
			FalseResult: c.expr(e.FalseResult), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.IndexExpr:
		return &hclsyntax.IndexExpr{Collection: c.expr(e.Collection), Key: c.expr(e.Key),
			SrcRange: c.rng(e.SrcRange), OpenRange: c.rng(e.OpenRange), BracketRange: c.rng(e.BracketRange)}
	case *hclsyntax.TupleConsExpr:
		return &hclsyntax.TupleConsExpr{Exprs: c.exprs(e.Exprs), SrcRange: c.rng(e.SrcRange), OpenRange: c.rng(e.OpenRange)}
	case *hclsyntax.ObjectConsExpr:
		n := &hclsyntax.ObjectConsExpr{SrcRange: c.rng(e.SrcRange), OpenRange: c.rng(e.OpenRange)}
		if e.Items != nil {
			n.Items = make([]hclsyntax.ObjectConsItem, len(e.Items))
			for i, it := range e.Items {
				n.Items[i] = hclsyntax.ObjectConsItem{KeyExpr: c.expr(it.KeyExpr), ValueExpr: c.expr(it.ValueExpr)}
			}
		}
		return n
	case *hclsyntax.ObjectConsKeyExpr:
		return &hclsyntax.ObjectConsKeyExpr{Wrapped: c.expr(e.Wrapped), ForceNonLiteral: e.ForceNonLiteral}
	case *hclsyntax.ForExpr:
		n := *e
		n.CollExpr, n.KeyExpr, n.ValExpr, n.CondExpr = c.expr(e.CollExpr), c.expr(e.KeyExpr), c.expr(e.ValExpr), c.expr(e.CondExpr)
		n.SrcRange, n.OpenRange, n.CloseRange = c.rng(e.SrcRange), c.rng(e.OpenRange), c.rng(e.CloseRange)
		return &n
	case *hclsyntax.SplatExpr:
		// The symbol first, so that Each's copy refers to the same one.
		item := c.anonSymbol(e.Item)
		return &hclsyntax.SplatExpr{Source: c.expr(e.Source), Each: c.expr(e.Each), Item: item,
			SrcRange: c.rng(e.SrcRange), MarkerRange: c.rng(e.MarkerRange)}
	case *hclsyntax.AnonSymbolExpr:
		return c.anonSymbol(e)
	case *hclsyntax.BinaryOpExpr:
		return &hclsyntax.BinaryOpExpr{LHS: c.expr(e.LHS), Op: e.Op, RHS: c.expr(e.RHS), SrcRange: c.rng(e.SrcRange)}
	case *hclsyntax.UnaryOpExpr:
		return &hclsyntax.UnaryOpExpr{Op: e.Op, Val: c.expr(e.Val), SrcRange: c.rng(e.SrcRange), SymbolRange: c.rng(e.SymbolRange)}
	case *hclsyntax.ParenthesesExpr:
		return &hclsyntax.ParenthesesExpr{Expression: c.expr(e.Expression), SrcRange: c.rng(e.SrcRange)}
	default: // ExprSyntaxError comes only with a diagnostic, and such trees are not kept
		c.unknown = true
		return e
	}
}

func (c *copier) anonSymbol(e *hclsyntax.AnonSymbolExpr) *hclsyntax.AnonSymbolExpr {
	if e == nil {
		return nil
	}
	if n := c.anon[e]; n != nil {
		return n
	}
	if c.anon == nil {
		c.anon = map[*hclsyntax.AnonSymbolExpr]*hclsyntax.AnonSymbolExpr{}
	}
	n := &hclsyntax.AnonSymbolExpr{SrcRange: c.rng(e.SrcRange)}
	c.anon[e] = n
	return n
}

func (c *copier) traversal(t hcl.Traversal) hcl.Traversal {
	if t == nil {
		return nil
	}
	out := make(hcl.Traversal, len(t))
	for i, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			s.SrcRange = c.rng(s.SrcRange)
			out[i] = s
		case hcl.TraverseAttr:
			s.SrcRange = c.rng(s.SrcRange)
			out[i] = s
		case hcl.TraverseIndex:
			s.SrcRange = c.rng(s.SrcRange)
			out[i] = s
		case hcl.TraverseSplat:
			s.Each = c.traversal(s.Each)
			s.SrcRange = c.rng(s.SrcRange)
			out[i] = s
		default:
			c.unknown = true
			out[i] = s
		}
	}
	return out
}
