package budget

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Guarding works on a copy of the syntax tree in which the nodes that build
// values, loop or call functions are wrapped: the wrapper checks the Budget
// before its node runs and charges what the node produced, or, for the parts
// of a template and the arguments of a call, what the parent is about to
// copy or read. hcl's own evaluator does the rest, so the semantics are
// hcl's. The original tree is left alone: callers keep using it for
// Variables() and to find source ranges.

// kind is what a guard charges.
type kind uint8

const (
	// step charges nothing: it only stops evaluation once the Budget has.
	step kind = iota
	// build charges the elements of the collection its node built.
	build
	// text charges the bytes its value adds to the template around it.
	text
	// joined charges the bytes of the strings in the tuple that a %{for}
	// directive joins.
	joined
	// read charges the work of reading a function argument, which go-cty
	// walks before the function runs, or a branch of a conditional, which
	// hcl converts to the type both branches can have (see ReadWork).
	read
	// loop charges the iterations of a for expression or splat over the
	// collection it is about to iterate.
	loop
	// number refuses a number whose text would be huge.
	number
	// refused is a reference whose index is such a number.
	refused
)

// Refusal marks the diagnostic of a value that canpull refuses to build
// (a number whose text would be huge): an input error, unlike the errors of
// values canpull merely does not know.
type Refusal struct{}

// guard wraps one node of the copy. Embedding the node keeps hcl's
// unexported walk method, so that the copy is still a valid tree.
type guard struct {
	hclsyntax.Expression
	b    *Budget
	kind kind
	// at is the expression to blame when this guard's charge goes over: the
	// template or call around a part, the node itself otherwise.
	at hcl.Range
}

func (g *guard) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if g.b.Stopped() {
		return cty.DynamicVal, nil
	}
	v, diags := g.Expression.Value(ctx)
	if g.b.Stopped() {
		// A function or a nested node went over: blame the innermost
		// guarded expression around it.
		g.b.Blame(g.at)
		return cty.DynamicVal, diags
	}
	err := g.charge(v)
	if g.kind == refused {
		err = ErrNumberTooLarge
	}
	if err != nil {
		g.b.Blame(g.at)
		if errors.Is(err, ErrNumberTooLarge) {
			return cty.DynamicVal, append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Number too large",
				Detail:  ErrNumberTooLarge.Error() + ".",
				Subject: g.at.Ptr(),
				Extra:   &Refusal{},
			})
		}
		return cty.DynamicVal, diags
	}
	return v, diags
}

func (g *guard) charge(v cty.Value) error {
	b := g.b
	switch g.kind {
	case build:
		return b.SpendMemory(ElementBytes * Elements(v, b.Left()/ElementBytes+1))
	case text:
		n, err := TextLen(v)
		if err != nil {
			return err
		}
		return b.SpendMemory(n)
	case joined:
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
			return nil
		}
		var n int64
		for _, e := range v.AsValueSlice() {
			l, err := TextLen(e)
			if err != nil {
				return err
			}
			n += l
		}
		return b.SpendMemory(n)
	case read:
		return b.SpendWork(1 + ReadWork(v, b.limits.Work-b.work.Load()+1))
	case loop:
		v, _ = v.Unmark()
		if v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
			return b.SpendWork(IterationWork * int64(v.LengthInt()))
		}
	case number:
		v, _ = v.Unmark()
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.Number {
			return CheckNumber(v.AsBigFloat())
		}
	}
	return nil
}

// Guard returns a copy of expr to evaluate under the Budget. Native syntax is
// copied with guards; JSON syntax is first turned into the native syntax it
// means (see native). Anything else, and a nil Budget, give expr itself.
func (b *Budget) Guard(expr hcl.Expression) hcl.Expression {
	if b == nil || expr == nil {
		return expr
	}
	if e, ok := expr.(hclsyntax.Expression); ok {
		return b.copy(e)
	}
	if n := native(expr); n != nil {
		return b.copy(n)
	}
	return expr
}

func (b *Budget) wrap(e hclsyntax.Expression, k kind, at hcl.Range) hclsyntax.Expression {
	return &guard{Expression: e, b: b, kind: k, at: at}
}

// copy returns the guarded copy of e. Leaves (literals, references, the
// anonymous symbol of a splat) are shared with the original, except number
// literals too large to write.
func (b *Budget) copy(e hclsyntax.Expression) hclsyntax.Expression {
	switch n := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		if n.Val.IsKnown() && !n.Val.IsNull() && n.Val.Type() == cty.Number {
			if CheckNumber(n.Val.AsBigFloat()) != nil {
				return b.wrap(n, number, n.SrcRange)
			}
		}
		return n
	case *hclsyntax.ScopeTraversalExpr:
		if hugeIndex(n.Traversal) {
			return b.wrap(n, refused, n.SrcRange)
		}
		return n
	case *hclsyntax.AnonSymbolExpr, *hclsyntax.ExprSyntaxError:
		return n
	case *hclsyntax.RelativeTraversalExpr:
		c := *n
		c.Source = b.copy(n.Source)
		if hugeIndex(n.Traversal) {
			return b.wrap(&c, refused, n.SrcRange)
		}
		return b.wrap(&c, step, n.SrcRange)
	case *hclsyntax.FunctionCallExpr:
		c := *n
		c.Args = make([]hclsyntax.Expression, len(n.Args))
		for i, a := range n.Args {
			c.Args[i] = b.wrap(b.copy(a), read, n.Range())
		}
		return b.wrap(&c, step, n.Range())
	case *hclsyntax.ConditionalExpr:
		c := *n
		c.Condition = b.copy(n.Condition)
		c.TrueResult = b.wrap(b.copy(n.TrueResult), read, n.SrcRange)
		c.FalseResult = b.wrap(b.copy(n.FalseResult), read, n.SrcRange)
		return b.wrap(&c, step, n.SrcRange)
	case *hclsyntax.IndexExpr:
		c := *n
		// A number key is written as text to index a map.
		c.Collection, c.Key = b.copy(n.Collection), b.wrap(b.copy(n.Key), number, n.Key.Range())
		return b.wrap(&c, step, n.SrcRange)
	case *hclsyntax.TupleConsExpr:
		c := *n
		c.Exprs = make([]hclsyntax.Expression, len(n.Exprs))
		for i, x := range n.Exprs {
			c.Exprs[i] = b.copy(x)
		}
		return b.wrap(&c, build, n.SrcRange)
	case *hclsyntax.ObjectConsExpr:
		c := *n
		c.Items = make([]hclsyntax.ObjectConsItem, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = hclsyntax.ObjectConsItem{KeyExpr: b.copyKey(it.KeyExpr), ValueExpr: b.copy(it.ValueExpr)}
		}
		return b.wrap(&c, build, n.SrcRange)
	case *hclsyntax.ForExpr:
		c := *n
		c.CollExpr = b.wrap(b.copy(n.CollExpr), loop, n.SrcRange)
		if n.KeyExpr != nil {
			c.KeyExpr = b.wrap(b.copy(n.KeyExpr), text, n.SrcRange)
		}
		c.ValExpr = b.copy(n.ValExpr)
		if n.CondExpr != nil {
			c.CondExpr = b.copy(n.CondExpr)
		}
		return b.wrap(&c, build, n.SrcRange)
	case *hclsyntax.SplatExpr:
		c := *n
		c.Source = b.wrap(b.copy(n.Source), loop, n.SrcRange)
		c.Each = b.copy(n.Each)
		return b.wrap(&c, build, n.SrcRange)
	case *hclsyntax.ParenthesesExpr:
		c := *n
		c.Expression = b.copy(n.Expression)
		return &c
	case *hclsyntax.BinaryOpExpr:
		c := *n
		c.LHS, c.RHS = b.copy(n.LHS), b.copy(n.RHS)
		if n.Op == hclsyntax.OpEqual || n.Op == hclsyntax.OpNotEqual {
			// Comparing collections walks them both.
			c.LHS, c.RHS = b.wrap(c.LHS, read, n.SrcRange), b.wrap(c.RHS, read, n.SrcRange)
		}
		return b.wrap(&c, number, n.SrcRange)
	case *hclsyntax.UnaryOpExpr:
		c := *n
		c.Val = b.copy(n.Val)
		return b.wrap(&c, number, n.SrcRange)
	case *hclsyntax.TemplateExpr:
		c := *n
		c.Parts = make([]hclsyntax.Expression, len(n.Parts))
		for i, p := range n.Parts {
			c.Parts[i] = b.wrap(b.copy(p), text, n.SrcRange)
		}
		return b.wrap(&c, step, n.SrcRange)
	case *hclsyntax.TemplateJoinExpr:
		c := *n
		c.Tuple = b.wrap(b.copy(n.Tuple), joined, n.Tuple.Range())
		return b.wrap(&c, step, n.Tuple.Range())
	case *hclsyntax.TemplateWrapExpr:
		c := *n
		c.Wrapped = b.copy(n.Wrapped)
		return &c
	}
	// A node type this package does not know (a newer hcl) is evaluated
	// as it is, without guards below it.
	return e
}

// copyKey copies the key of an object constructor item. hcl reads a bare
// name as a literal key by looking at the wrapped node's type, so a
// reference is left unwrapped; anything else is guarded and charged as text.
func (b *Budget) copyKey(e hclsyntax.Expression) hclsyntax.Expression {
	k, ok := e.(*hclsyntax.ObjectConsKeyExpr)
	if !ok {
		return b.wrap(b.copy(e), text, e.Range())
	}
	c := *k
	if _, isRef := k.Wrapped.(*hclsyntax.ScopeTraversalExpr); !isRef {
		c.Wrapped = b.wrap(b.copy(k.Wrapped), text, k.Wrapped.Range())
	}
	return &c
}

// hugeIndex reports whether a traversal indexes with a number whose text
// would be huge (local.m[1e99999999]: a map index is a string).
func hugeIndex(tr hcl.Traversal) bool {
	for _, step := range tr {
		if ix, ok := step.(hcl.TraverseIndex); ok && ix.Key.IsKnown() && !ix.Key.IsNull() && ix.Key.Type() == cty.Number {
			if CheckNumber(ix.Key.AsBigFloat()) != nil {
				return true
			}
		}
	}
	return false
}
