package funcs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

func (e *env) conversionFuncs() map[string]def {
	numbers := func(v cty.Value) error { return e.measure(v, maxStringLen) }
	return map[string]def{
		"tobool":   {f: toFunc("tobool", cty.Bool)},
		"tonumber": {f: toFunc("tonumber", cty.Number), post: numbers},
		"tostring": {f: toFunc("tostring", cty.String)},
		"tolist":   {f: toFunc("tolist", cty.List(cty.DynamicPseudoType))},
		"toset":    {f: toFunc("toset", cty.Set(cty.DynamicPseudoType))},
		"tomap":    {f: toFunc("tomap", cty.Map(cty.DynamicPseudoType))},

		// canpull does not track sensitivity: these are the identity (with
		// any marks removed), and whether a value is sensitive is unknown.
		"sensitive":       {f: identityFunc("sensitive"), shallow: true},
		"nonsensitive":    {f: identityFunc("nonsensitive"), shallow: true},
		"ephemeralasnull": {f: identityFunc("ephemeralasnull"), shallow: true},
		"issensitive": {f: unknownFunc("Reports whether a value is sensitive (unknown to canpull).", cty.Bool,
			function.Parameter{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}), shallow: true},

		"can": {f: tryfunc.CanFunc, shallow: true},
		"try": {f: tryFunc, shallow: true},
	}
}

// toFunc is Terraform's tobool, tonumber, tostring, tolist, toset and
// tomap: null stays null (of the wanted type), unknown stays unknown.
func toFunc(name string, want cty.Type) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Converts its argument to %s.", want.FriendlyNameForConstraint()),
		Params: []function.Parameter{{
			Name:             "v",
			Type:             cty.DynamicPseudoType,
			AllowNull:        true,
			AllowUnknown:     true,
			AllowDynamicType: true,
			AllowMarked:      true,
		}},
		Type: func(args []cty.Value) (cty.Type, error) {
			got := args[0]
			if got.Type() == cty.DynamicPseudoType {
				return want, nil
			}
			v, err := convertTo(got, want)
			if err != nil {
				return cty.NilType, err
			}
			return v.Type(), nil
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			return convertTo(args[0], retType)
		},
	})
}

func convertTo(v cty.Value, want cty.Type) (cty.Value, error) {
	out, err := convert.Convert(v, want)
	if err == nil {
		return out, nil
	}
	raw, _ := v.Unmark()
	switch {
	case raw.Type() == cty.String && raw.IsKnown() && !raw.IsNull() && want == cty.Number:
		return cty.NilVal, function.NewArgErrorf(0, "cannot convert %q to number; given string must be a decimal representation of a number", shorten(raw.AsString()))
	case raw.Type() == cty.String && raw.IsKnown() && !raw.IsNull() && want == cty.Bool:
		return cty.NilVal, function.NewArgErrorf(0, "cannot convert %q to bool; only the strings \"true\" or \"false\" are allowed", shorten(raw.AsString()))
	case want.IsPrimitiveType() && !raw.Type().IsPrimitiveType():
		return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to %s", raw.Type().FriendlyName(), want.FriendlyNameForConstraint())
	}
	return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to %s: %s", raw.Type().FriendlyName(), want.FriendlyNameForConstraint(), err)
}

// shorten keeps error messages readable when a value is long.
func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func identityFunc(name string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns its argument (" + name + " has no effect in canpull).",
		Params: []function.Parameter{{
			Name:             "value",
			Type:             cty.DynamicPseudoType,
			AllowUnknown:     true,
			AllowNull:        true,
			AllowDynamicType: true,
			AllowMarked:      true,
		}},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, _ := args[0].UnmarkDeep()
			return v, nil
		},
	})
}

// tryFunc is try with the semantics of hcl's ext/tryfunc, which evaluates
// its arguments in its Type function and again in its Impl: nested calls
// then cost 2^depth evaluations (3^depth behind a wrapper). This one has an
// unknown static type and evaluates each argument once.
var tryFunc = function.New(&function.Spec{
	Description: "Returns the value of the first of its argument expressions that evaluates without errors.",
	VarParam: &function.Parameter{
		Name: "expressions",
		Type: customdecode.ExpressionClosureType,
	},
	Type: function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) == 0 {
			return cty.NilVal, errors.New("at least one argument is required")
		}
		var diags hcl.Diagnostics
		for _, arg := range args {
			v, more := customdecode.ExpressionClosureFromVal(arg).Value()
			if more.HasErrors() {
				diags = append(diags, more...)
				continue
			}
			if !v.IsKnown() {
				// Once known, the value might fail or have another type.
				return cty.DynamicVal, nil
			}
			// A value known at the top with unknown parts inside
			// (try(each.value.secrets, []) where one secret's ARN is
			// unknown) is kept: the expression reached it without
			// error, and its unknown parts stay unknown. Terraform
			// would wait for them, and only an expression that fails
			// on a value inside it once known would differ.
			return v, nil
		}
		var b strings.Builder
		b.WriteString("no expression succeeded:\n")
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			if d.Subject != nil {
				fmt.Fprintf(&b, "- %s (at %s)\n  %s\n", d.Summary, d.Subject, d.Detail)
			} else {
				fmt.Fprintf(&b, "- %s\n  %s\n", d.Summary, d.Detail)
			}
		}
		b.WriteString("\nAt least one expression must produce a successful result")
		return cty.NilVal, errors.New(b.String())
	},
})
