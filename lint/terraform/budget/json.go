package budget

import (
	"reflect"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// jsonPkg is the package of hcl's JSON syntax, whose expressions parse and
// evaluate templates inside their strings where no guard can reach.
var jsonPkg = "github.com/hashicorp/hcl/v2/json"

// native returns the native syntax that an expression of hcl's JSON syntax
// means, as hcl evaluates it: an array is a tuple constructor, an object an
// object constructor whose keys are templates, a string a template, anything
// else a literal. It returns nil for an expression of another syntax.
func native(e hcl.Expression) hclsyntax.Expression {
	t := reflect.TypeOf(e)
	if t.Kind() != reflect.Pointer || t.Elem().PkgPath() != jsonPkg {
		return nil
	}
	return fromJSON(e)
}

func fromJSON(e hcl.Expression) hclsyntax.Expression {
	rng := e.Range()
	if m, ok := e.(interface{ ExprMap() []hcl.KeyValuePair }); ok {
		if pairs := m.ExprMap(); pairs != nil {
			items := make([]hclsyntax.ObjectConsItem, len(pairs))
			for i, p := range pairs {
				items[i] = hclsyntax.ObjectConsItem{KeyExpr: fromJSON(p.Key), ValueExpr: fromJSON(p.Value)}
			}
			return &hclsyntax.ObjectConsExpr{Items: items, SrcRange: rng, OpenRange: e.StartRange()}
		}
	}
	if l, ok := e.(interface{ ExprList() []hcl.Expression }); ok {
		if elems := l.ExprList(); elems != nil {
			exprs := make([]hclsyntax.Expression, len(elems))
			for i, el := range elems {
				exprs[i] = fromJSON(el)
			}
			return &hclsyntax.TupleConsExpr{Exprs: exprs, SrcRange: rng, OpenRange: e.StartRange()}
		}
	}
	// Without a context, a JSON expression is its literal value.
	v, diags := e.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}
	}
	// As hcl does: the template starts after the opening quote.
	start := hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + 1, Byte: rng.Start.Byte + 1}
	tmpl, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), rng.Filename, start)
	if diags.HasErrors() {
		// Evaluating the original reports the same errors.
		return &foreign{Expression: &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: rng}, orig: e}
	}
	return tmpl
}

// foreign is a node of the copy that hcl's native syntax cannot express: it
// evaluates the original expression. The embedded literal only makes it a
// valid node.
type foreign struct {
	hclsyntax.Expression
	orig hcl.Expression
}

func (f *foreign) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	return f.orig.Value(ctx)
}
