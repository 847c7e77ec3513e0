package tfplan

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform"
)

// Turning planned values into the blocks the Terraform model builder reads.
//
// A plan holds every attribute of a resource's schema, written or not: the
// provider's defaults, null for what was left out, and unknown for what is
// computed. The builder expects what source evaluation gives it: the
// arguments written, so that a default is a default (its range the
// resource) and a computed attribute nobody wrote is not "unknown". So an
// attribute counts as written when the configuration section lists it;
// where the configuration does not describe the block (a dynamic block, or
// a list of objects written as one expression), every value that is not
// null counts.
//
// Masks: after_unknown marks values known only after apply; a value that
// Terraform marks sensitive is treated as unknown, whether or not the plan
// shows it, so that no report quotes it.

type converter struct {
	p   *plan
	ids map[string]target
}

// block describes where a block's values come from.
type block struct {
	typ       string
	vals      *jsontree.Value // planned values, an object
	unknown   *jsontree.Value // after_unknown's object for the block, if any
	sensitive *jsontree.Value // sensitive_values' object for the block, if any
	// exprs are the configuration's expressions for the block. When
	// described is false they do not say which arguments were written.
	exprs     *jsontree.Value
	described bool
	// inherited are the references of the expression that wrote the
	// whole list of objects this block is one of.
	inherited []string
	defRange  hcl.Range
	rng       hcl.Range
}

func (c *converter) body(b block, sc scope) *terraform.Body {
	out := &terraform.Body{Type: b.typ, DefRange: b.defRange, Range: b.rng, Attrs: map[string]terraform.Attr{}}
	seen := map[string]bool{}
	var keys []string
	for _, obj := range []*jsontree.Value{b.vals, b.unknown, b.sensitive} {
		if obj == nil || obj.Kind != jsontree.Object {
			continue
		}
		for _, m := range obj.Members {
			if !seen[m.Key] {
				seen[m.Key] = true
				keys = append(keys, m.Key)
			}
		}
	}
	for _, k := range keys {
		c.member(out, b, k, sc)
	}
	return out
}

// member converts one attribute or nested block type of a block.
func (c *converter) member(out *terraform.Body, b block, k string, sc scope) {
	v := get(b.vals, k)
	um, sm, em := b.unknown.Get(k), b.sensitive.Get(k), b.exprs.Get(k)
	written := !b.described || em != nil
	refs := b.inherited
	if em != nil {
		refs = references(em.Value)
	}
	switch {
	case sm != nil && isTrue(sm.Value):
		if written {
			out.Attrs[k] = terraform.Attr{Value: cty.DynamicVal, Range: memberRange(sm)}
		}
		return
	case um != nil && isTrue(um.Value):
		list := sm != nil && sm.Value.Kind == jsontree.Array
		if ts, ok := c.p.follow(refKey(b.typ, k), refs, sc, list); ok {
			rng := memberRange(um)
			if em != nil {
				rng = memberRange(em)
			}
			out.Attrs[k] = terraform.Attr{Value: tokens(ts, list), Range: rng}
		} else if written {
			out.Attrs[k] = terraform.Attr{Value: cty.DynamicVal, Range: memberRange(um)}
		}
		return
	case v == nil || v.Kind == jsontree.Null:
		return
	case v.Kind == jsontree.Array && len(v.Items) > 0 && allObjects(v.Items):
		c.blocks(out, b, k, v, um, sm, em, sc)
		return
	case !written:
		return
	}
	var uv, sv *jsontree.Value
	if um != nil {
		uv = um.Value
	}
	if sm != nil {
		sv = sm.Value
	}
	out.Attrs[k] = terraform.Attr{Value: c.value(refKey(b.typ, k), v, uv, sv, refs, sc, 0), Range: v.Range}
}

// blocks converts a list of objects: nested blocks, or an attribute such
// as a route table's route that the builder reads as blocks.
func (c *converter) blocks(out *terraform.Body, b block, k string, v *jsontree.Value, um, sm, em *jsontree.Member, sc scope) {
	var exprs []*jsontree.Value
	var inherited []string
	if em != nil {
		switch em.Value.Kind {
		case jsontree.Array:
			exprs = em.Value.Items
		case jsontree.Object:
			inherited = references(em.Value)
		}
	}
	for i, item := range v.Items {
		iu, is := itemOf(um, i), itemOf(sm, i)
		if isTrue(iu) || isTrue(is) {
			out.UnknownBlocks = append(out.UnknownBlocks, k)
			continue
		}
		child := block{typ: k, vals: item, unknown: iu, sensitive: is, inherited: inherited,
			defRange: openRange(item), rng: item.Range}
		switch {
		case len(exprs) == len(v.Items):
			child.exprs, child.described = exprs[i], true
		case len(exprs) > 0:
			// A set of blocks comes back in its own order: any of the
			// blocks written may be this one.
			child.exprs, child.described = mergeExprs(exprs), true
		}
		out.Blocks = append(out.Blocks, c.body(child, sc))
	}
}

func itemOf(m *jsontree.Member, i int) *jsontree.Value {
	if m == nil || m.Value.Kind != jsontree.Array || i >= len(m.Value.Items) {
		return nil
	}
	return m.Value.Items[i]
}

func allObjects(vs []*jsontree.Value) bool {
	for _, v := range vs {
		if v.Kind != jsontree.Object {
			return false
		}
	}
	return true
}

// mergeExprs joins the expressions of several blocks into one object that
// has every key any of them writes, with all their references.
func mergeExprs(exprs []*jsontree.Value) *jsontree.Value {
	out := &jsontree.Value{Kind: jsontree.Object}
	at := map[string]int{}
	for _, e := range exprs {
		if e.Kind != jsontree.Object {
			continue
		}
		for _, m := range e.Members {
			i, ok := at[m.Key]
			if !ok {
				at[m.Key] = len(out.Members)
				out.Members = append(out.Members, jsontree.Member{Key: m.Key, KeyRange: m.KeyRange,
					Value: &jsontree.Value{Kind: jsontree.Object, Range: m.Value.Range}})
				i = at[m.Key]
			}
			have := out.Members[i].Value
			refs := get(have, "references")
			if refs == nil {
				refs = &jsontree.Value{Kind: jsontree.Array}
				have.Members = append(have.Members, jsontree.Member{Key: "references", Value: refs})
			}
			if r := get(m.Value, "references"); r != nil && r.Kind == jsontree.Array {
				refs.Items = append(refs.Items, r.Items...)
			}
		}
	}
	return out
}

// maxValueDepth bounds the nesting of values converted; deeper parts are
// unknown.
const maxValueDepth = 64

// value converts a planned value with its masks. attr is the argument's
// name, for references: an unknown element of an argument that names other
// resources is followed through refs; a known ID or ARN of a resource of
// the plan becomes a token that names it.
func (c *converter) value(attr string, v, unknown, sensitive *jsontree.Value, refs []string, sc scope, depth int) cty.Value {
	switch {
	case isTrue(sensitive), depth > maxValueDepth:
		return cty.DynamicVal
	case isTrue(unknown):
		if ts, ok := c.p.follow(attr, refs, sc, false); ok {
			return tokens(ts, false)
		}
		return cty.DynamicVal
	case v == nil:
		return cty.NullVal(cty.DynamicPseudoType)
	}
	switch v.Kind {
	case jsontree.String:
		if refAttrs[attr] != nil {
			if t, ok := c.ids[v.Str]; ok && t.addr != "" && contains(refAttrs[attr], c.p.byAddr[t.addr].typ) {
				return cty.StringVal(model.Token(t.addr, t.attr))
			}
		}
		return cty.StringVal(v.Str)
	case jsontree.Number:
		n, err := cty.ParseNumberVal(v.Str)
		if err != nil {
			return cty.DynamicVal
		}
		return n
	case jsontree.Bool:
		return cty.BoolVal(v.Bool)
	case jsontree.Array:
		if len(v.Items) == 0 {
			return cty.EmptyTupleVal
		}
		els := make([]cty.Value, len(v.Items))
		for i, it := range v.Items {
			els[i] = c.value(attr, it, elem(unknown, i), elem(sensitive, i), refs, sc, depth+1)
		}
		return cty.TupleVal(els)
	case jsontree.Object:
		if len(v.Members) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = c.value(mem.Key, mem.Value, get(unknown, mem.Key), get(sensitive, mem.Key), nil, sc, depth+1)
		}
		return cty.ObjectVal(m)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func elem(v *jsontree.Value, i int) *jsontree.Value {
	if v == nil || v.Kind != jsontree.Array || i >= len(v.Items) {
		return nil
	}
	return v.Items[i]
}

// tokens is the value of a reference to targets: one token, or a list.
func tokens(ts []target, list bool) cty.Value {
	if !list {
		return cty.StringVal(model.Token(ts[0].addr, ts[0].attr))
	}
	els := make([]cty.Value, len(ts))
	for i, t := range ts {
		els[i] = cty.StringVal(model.Token(t.addr, t.attr))
	}
	return cty.TupleVal(els)
}

// openRange is the first character of a value: where an object opens.
func openRange(v *jsontree.Value) hcl.Range {
	r := v.Range
	if r.End.Line != r.Start.Line || r.End.Byte > r.Start.Byte+1 {
		r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	}
	return r
}
