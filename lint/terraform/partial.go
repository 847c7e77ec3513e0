package terraform

import (
	"errors"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"

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
	// encoded maps JSON text that jsonencode wrote to the value it encoded,
	// marks included, so that a container definition read back from the
	// text (through a module output, inside "[${…}]") still knows where
	// each of its values was written (origin.go).
	encoded map[string]cty.Value
	size    int
}

// maxRemembered bounds the text that encoded remembers, in all.
const maxRemembered = 8 << 20

// remember records the value behind JSON text.
func (p *partial) remember(text string, v cty.Value) {
	if p.encoded == nil {
		p.encoded = map[string]cty.Value{}
	}
	if _, ok := p.encoded[text]; ok || len(text) > maxRemembered-p.size {
		return
	}
	p.size += len(text)
	p.encoded[text] = v
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
	if sl, ok := table["slice"]; ok {
		table["slice"] = sliceOfUnknown(sl)
	}
	filterFuncs(table)
}

// sliceOfUnknown is slice that keeps the length of a slice of a list whose
// elements are not known yet. slice(data.aws_availability_zones.x.names,
// 0, 3), in nearly every configuration of the common VPC module, has three
// elements whenever Terraform can plan it (it fails the plan when the list
// is shorter): three unknown zones, not an unknown list, so that the
// subnets made per zone, their route tables and the services in them are
// still counted and followed.
func sliceOfUnknown(base function.Function) function.Function {
	return function.New(&function.Spec{
		Description: base.Description(),
		Params: []function.Parameter{
			{Name: "list", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true},
			{Name: "start_index", Type: cty.Number},
			{Name: "end_index", Type: cty.Number},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			list := args[0]
			if list.IsKnown() {
				return base.Call(args)
			}
			start, err1 := wholeNumber(args[1])
			end, err2 := wholeNumber(args[2])
			if err1 != nil || err2 != nil || start < 0 || end < start || end-start > maxInstances {
				return cty.DynamicVal, nil
			}
			elem := cty.DynamicPseudoType
			if ty := list.Type(); ty.IsListType() {
				elem = ty.ElementType()
			} else if ty != cty.DynamicPseudoType {
				return cty.DynamicVal, nil // a set, a map or a tuple: not a list to slice
			}
			if end == start {
				if elem == cty.DynamicPseudoType {
					return cty.EmptyTupleVal, nil
				}
				return cty.ListValEmpty(elem), nil
			}
			vals := make([]cty.Value, end-start)
			for i := range vals {
				vals[i] = cty.UnknownVal(elem)
			}
			if elem == cty.DynamicPseudoType {
				return cty.TupleVal(vals), nil
			}
			return cty.ListVal(vals), nil
		},
	})
}

// wholeNumber is a known number that is a whole int.
func wholeNumber(v cty.Value) (int, error) {
	if !v.IsKnown() || v.IsNull() {
		return 0, errors.New("unknown")
	}
	var n int
	if err := gocty.FromCtyValue(v, &n); err != nil {
		return 0, err
	}
	return n, nil
}

// jsonCapture holds the argument and the result of the last jsonencode
// call that ran while an argument was evaluated (see evalAttr.encoded).
type jsonCapture struct {
	arg, out cty.Value
}

// captured records a jsonencode call for the argument being evaluated, if
// it is one.
func (ev *evaluator) captured(arg, out cty.Value) {
	if ev.capture != nil {
		ev.capture.arg, ev.capture.out = arg, out
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
				out := cty.UnknownVal(cty.String).RefineNotNull()
				ev.captured(args[0], out)
				return out, nil
			}
			if !v.IsWhollyKnown() {
				v = ev.withUnknownTokens(v)
			}
			out, err := base.Call([]cty.Value{v})
			if err != nil {
				return cty.NilVal, err
			}
			// The text carries no marks: a key that may not be there is
			// written as an unknown value, and the text stands for the
			// object either way; where its values were written is
			// remembered with the text, not marked on it as a whole.
			if len(marks) > 0 {
				if s, ok := knownString(out); ok {
					ev.partial.remember(s, args[0])
				}
			}
			ev.captured(args[0], out)
			return out, nil
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

// An object for expression with a condition, {for k, v in def : k => v if v
// != null}, is unknown as a whole in Terraform when the condition is
// unknown for one element: which keys the object has is not known. The
// container-definition modules strip nulls this way, and one field of
// unknown nullness would hide the whole container. canpull keeps such a key
// with an unknown value instead: a rule reads an unknown field as unknown
// either way. The value carries the mark maybeKey, so that the evaluator
// can refuse to expand instances (for_each) over a key set that is a guess.
//
// keepFilteredKeys rewrites the object for expressions of a parsed body
// once: the condition C becomes canpull_known_or_true(C) and the value V
// canpull_maybe(C, V).
func keepFilteredKeys(body hcl.Body) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	done := map[*hclsyntax.ForExpr]bool{}
	_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
		fe, ok := n.(*hclsyntax.ForExpr)
		if !ok || fe.KeyExpr == nil || fe.CondExpr == nil || done[fe] {
			return nil
		}
		done[fe] = true
		cond := fe.CondExpr
		rng := cond.Range()
		fe.ValExpr = &hclsyntax.FunctionCallExpr{Name: maybeFunc, Args: []hclsyntax.Expression{cond, fe.ValExpr},
			NameRange: rng, OpenParenRange: rng, CloseParenRange: rng}
		fe.CondExpr = &hclsyntax.FunctionCallExpr{Name: knownOrTrueFunc, Args: []hclsyntax.Expression{cond},
			NameRange: rng, OpenParenRange: rng, CloseParenRange: rng}
		return nil
	})
}

const (
	maybeFunc       = "canpull_maybe"
	knownOrTrueFunc = "canpull_known_or_true"
)

// maybeKey marks a value that stands for a key an object may not have.
type maybeKeyMark struct{}

var maybeKey = maybeKeyMark{}

var anyParam = function.Parameter{Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true}

// filterFuncs are the functions keepFilteredKeys calls.
func filterFuncs(table map[string]function.Function) {
	table[knownOrTrueFunc] = function.New(&function.Spec{
		Params: []function.Parameter{anyParam},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !args[0].IsKnown() {
				return cty.True, nil
			}
			return args[0], nil
		},
	})
	table[maybeFunc] = function.New(&function.Spec{
		Params: []function.Parameter{anyParam, anyParam},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !args[0].IsKnown() {
				return cty.DynamicVal.Mark(maybeKey), nil
			}
			return args[1], nil
		},
	})
}

// hasMaybeKey reports whether v holds a value for a key that may not be
// there.
func hasMaybeKey(v cty.Value) bool {
	_, pvm := v.UnmarkDeepWithPaths()
	for _, pm := range pvm {
		if _, ok := pm.Marks[maybeKey]; ok {
			return true
		}
	}
	return false
}
