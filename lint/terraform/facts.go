package terraform

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/canpull/canpull/lint/model"
)

// Helpers that turn evaluated arguments into model facts: an argument that
// is absent or null takes the default, with the block's header as its range.

func stringFact(a *evalAttr) model.Fact[string] {
	if !a.val.IsKnown() {
		return model.UnknownFact[string](a.rng)
	}
	v, err := convert.Convert(a.val, cty.String)
	if err != nil || !v.IsKnown() {
		return model.UnknownFact[string](a.rng)
	}
	if v.IsNull() {
		return model.Fact[string]{Range: a.rng}
	}
	return model.KnownFact(v.AsString(), a.rng)
}

func (eb *evalBlock) str(name, def string) model.Fact[string] {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.DefaultFact(def, eb.defRange)
	}
	f := stringFact(a)
	if f.Known && f.V == "" && def != "" {
		// The provider treats an empty string as "not set" for these.
		return model.DefaultFact(def, a.rng)
	}
	return f
}

func (eb *evalBlock) boolean(name string, def bool) model.Fact[bool] {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.DefaultFact(def, eb.defRange)
	}
	if !a.val.IsKnown() {
		return model.UnknownFact[bool](a.rng)
	}
	v, err := convert.Convert(a.val, cty.Bool)
	if err != nil || !v.IsKnown() || v.IsNull() {
		return model.UnknownFact[bool](a.rng)
	}
	return model.KnownFact(v.True(), a.rng)
}

func (eb *evalBlock) integer(name string, def int) model.Fact[int] {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.DefaultFact(def, eb.defRange)
	}
	v, err := convert.Convert(a.val, cty.Number)
	if err != nil || !v.IsKnown() || v.IsNull() {
		return model.UnknownFact[int](a.rng)
	}
	i, acc := v.AsBigFloat().Int64()
	if acc != big.Exact {
		return model.UnknownFact[int](a.rng)
	}
	return model.KnownFact(int(i), a.rng)
}

func (eb *evalBlock) strings(name string) model.Fact[[]string] {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.DefaultFact[[]string](nil, eb.defRange)
	}
	if !a.val.IsWhollyKnown() || !a.val.CanIterateElements() {
		return model.UnknownFact[[]string](a.rng)
	}
	var out []string
	for it := a.val.ElementIterator(); it.Next(); {
		_, el := it.Element()
		v, err := convert.Convert(el, cty.String)
		if err != nil || v.IsNull() {
			return model.UnknownFact[[]string](a.rng)
		}
		out = append(out, v.AsString())
	}
	return model.KnownFact(out, a.rng)
}

// first returns the first nested block of a type, or nil.
func (eb *evalBlock) first(typ string) *evalBlock {
	blocks, _ := eb.nested(typ)
	if len(blocks) == 0 {
		return nil
	}
	return blocks[0]
}

// rangeOf is the range of an argument, or the block header when absent.
func (eb *evalBlock) rangeOf(name string) hcl.Range {
	if a := eb.attrs[name]; a != nil {
		return a.rng
	}
	return eb.defRange
}
