package terraform

import (
	"strconv"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/model"
)

// Terraform's jsonencode of a value with one unknown leaf is unknown as a
// whole, and so is a template with one unknown interpolation. canpull keeps
// the known parts of such text: each unknown part becomes an unknown token
// (model.UnknownToken), so that a container definition built by a module
// from a literal image and a secret canpull cannot know still shows its
// image. Readers of the text treat the tokens as unknown: the container
// decoder, jsondecode, the IAM matcher.

// partial is the evaluator's state for text with unknown parts.
type partial struct {
	// next numbers the unknown tokens: each stands for a value of its own.
	next int
}

// unknownToken returns a fresh unknown token.
func (p *partial) unknownToken() string {
	p.next++
	return model.UnknownToken(strconv.Itoa(p.next))
}

// partialFuncs wraps the functions that turn values into JSON text and back
// so that unknown parts survive the round trip.
func (ev *evaluator) partialFuncs(table map[string]function.Function) {
	if enc, ok := table["jsonencode"]; ok {
		table["jsonencode"] = ev.jsonencode(enc)
	}
	if dec, ok := table["jsondecode"]; ok {
		table["jsondecode"] = jsondecode(dec)
	}
}

// jsonencode encodes a value whose top is known even when parts of it are
// not, writing an unknown token in place of each unknown part.
func (ev *evaluator) jsonencode(base function.Function) function.Function {
	return function.New(&function.Spec{
		Description: base.Description(),
		Params: []function.Parameter{{
			Name: "val", Type: cty.DynamicPseudoType,
			AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true,
		}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: func(rb *cty.RefinementBuilder) *cty.RefinementBuilder { return rb.NotNull() },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, marks := args[0].UnmarkDeep()
			if !v.IsKnown() {
				return cty.UnknownVal(cty.String).RefineNotNull(), nil
			}
			if !v.IsWhollyKnown() {
				v = ev.withUnknownTokens(v)
			}
			out, err := base.Call([]cty.Value{v})
			if err != nil {
				return cty.NilVal, err
			}
			return out.WithMarks(marks), nil
		},
	})
}

// withUnknownTokens replaces each unknown part of v with an unknown token.
func (ev *evaluator) withUnknownTokens(v cty.Value) cty.Value {
	out, _ := cty.Transform(v, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return cty.StringVal(ev.partial.unknownToken()), nil
	})
	return out
}

// jsondecode turns the unknown tokens that jsonencode wrote back into
// unknown values.
func jsondecode(base function.Function) function.Function {
	return function.New(&function.Spec{
		Description: base.Description(),
		Params:      base.Params(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if s, ok := knownString(args[0]); ok && model.HasToken(s) {
				return cty.DynamicPseudoType, nil
			}
			return base.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := base.Call(args)
			if err != nil || !model.HasToken(args[0].AsString()) {
				return out, err
			}
			return cty.Transform(out, func(_ cty.Path, v cty.Value) (cty.Value, error) {
				if s, ok := knownString(v); ok {
					if t, ok := model.ParseToken(s); ok && t.IsUnknown() {
						return cty.DynamicVal, nil
					}
				}
				return v, nil
			})
		},
	})
}
