package terraform

import (
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// Where a value was written. A module's resource often uses a value that the
// user wrote elsewhere: an image in the root module's call, a flag in a
// .tfvars file, a variable's default. A finding about it belongs where the
// user can change it, not in the module (and never in .terraform when the
// user's files hold the value).
//
// The evaluator marks each scalar of a value with its origin (a cty mark)
// where the value is written: a local, a variable's default, a .tfvars
// file, a module argument. Marks travel with the scalars through
// references, module inputs and outputs, for expressions, merge, try and
// the like. A module argument adds itself to the way of the origins it
// passes on. The model builder reads the marks of each scalar it turns into
// a fact (originRange).

// origin is where a scalar was written, and the module arguments it passed
// through on its way to where it is used. It is used as a cty mark.
type origin struct {
	rng hcl.Range
	via []model.Passage
}

// maxOriginElements bounds the values whose scalars get origins: marking
// costs microseconds per scalar, and a finding about a scalar of a larger
// value points at the module instead of the line that wrote it.
const maxOriginElements = 10_000

// markOrigins is markOrigins under the loader's budget: its work is charged
// like a loop's, and a value larger than maxOriginElements, or one the
// budget cannot pay for, is left as it is.
func (l *loader) markOrigins(v cty.Value, expr hcl.Expression, pass *model.Passage, sc *scope) cty.Value {
	if expr == nil {
		return v
	}
	n := budget.Elements(v, maxOriginElements)
	if n > maxOriginElements || l.budget.SpendWork(budget.IterationWork*(n+1)) != nil {
		return v
	}
	return markOrigins(v, expr, pass, sc)
}

// markOrigins marks the scalars of v that have no origin yet with the range
// of the part of expr that wrote them, walking the expression in step with
// the value where it can (object and tuple constructors), and adds pass to
// the way of those that have one already.
//
// sc, when not nil, is the scope expr was written in, to read object keys
// that are expressions ({ (local.name) = {…} }).
func markOrigins(v cty.Value, expr hcl.Expression, pass *model.Passage, sc *scope) cty.Value {
	if expr == nil {
		return v
	}
	given := v
	v, pvm := v.UnmarkDeepWithPaths()
	marked := map[string]bool{}
	for i, pm := range pvm {
		for m := range pm.Marks {
			o, ok := m.(*origin)
			if !ok {
				continue
			}
			marked[pathKey(pm.Path)] = true
			if pass != nil {
				next := &origin{rng: o.rng, via: append(append([]model.Passage{}, o.via...), *pass)}
				delete(pvm[i].Marks, m)
				pvm[i].Marks[next] = struct{}{}
			}
		}
	}
	var add []cty.PathValueMarks
	var walk func(v cty.Value, expr hcl.Expression, path cty.Path, depth int)
	walk = func(v cty.Value, expr hcl.Expression, path cty.Path, depth int) {
		if depth > maxTreeDepth || !v.IsKnown() && !v.Type().Equals(cty.DynamicPseudoType) && !v.Type().IsPrimitiveType() {
			return
		}
		if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
			expr = w.Wrapped
		}
		if !v.IsKnown() || v.IsNull() || v.Type().IsPrimitiveType() {
			if !marked[pathKey(path)] {
				add = append(add, cty.PathValueMarks{Path: path.Copy(), Marks: cty.NewValueMarks(&origin{rng: expr.Range()})})
			}
			return
		}
		ty := v.Type()
		switch e := expr.(type) {
		case *hclsyntax.ObjectConsExpr:
			if ty.IsObjectType() || ty.IsMapType() {
				items := map[string]hcl.Expression{}
				for _, it := range e.Items {
					if k, ok := objectKey(it.KeyExpr); ok {
						items[k] = it.ValueExpr
					} else if sc != nil {
						if k, ok := knownString(sc.inst.ev.eval(it.KeyExpr, sc)); ok {
							items[k] = it.ValueExpr
						}
					}
				}
				for it := v.ElementIterator(); it.Next(); {
					k, el := it.Element()
					sub := expr
					if x, ok := items[k.AsString()]; ok {
						sub = x
					}
					walk(el, sub, append(path, cty.GetAttrStep{Name: k.AsString()}), depth+1)
				}
				return
			}
		case *hclsyntax.TupleConsExpr:
			if (ty.IsTupleType() || ty.IsListType()) && len(e.Exprs) == v.LengthInt() {
				i := 0
				for it := v.ElementIterator(); it.Next(); i++ {
					k, el := it.Element()
					walk(el, e.Exprs[i], append(path, cty.IndexStep{Key: k}), depth+1)
				}
				return
			}
		}
		if !v.CanIterateElements() {
			return
		}
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			var step cty.PathStep = cty.IndexStep{Key: k}
			if ty.IsObjectType() {
				step = cty.GetAttrStep{Name: k.AsString()}
			}
			walk(el, expr, append(path, step), depth+1)
		}
	}
	walk(v, expr, nil, 0)
	if pass == nil && len(add) == 0 {
		// Every scalar has its origin already (a reference to a marked
		// value): marking again would rebuild the same value.
		return given
	}
	return markPaths(v, append(pvm, add...))
}

// markPaths applies marks at paths of v in one walk. cty's MarkWithPaths
// compares every path of v with every path given: for a local holding a
// list of 5,000 strings, 25 million comparisons, and the evaluation ran
// out of time.
func markPaths(v cty.Value, pvm []cty.PathValueMarks) cty.Value {
	if len(pvm) == 0 {
		return v
	}
	byPath := make(map[string]cty.ValueMarks, len(pvm))
	for _, pm := range pvm {
		k := pathKey(pm.Path)
		if byPath[k] == nil {
			byPath[k] = cty.ValueMarks{}
		}
		for m := range pm.Marks {
			byPath[k][m] = struct{}{}
		}
	}
	out, err := cty.Transform(v, func(p cty.Path, v cty.Value) (cty.Value, error) {
		if ms, ok := byPath[pathKey(p)]; ok {
			return v.WithMarks(ms), nil
		}
		return v, nil
	})
	if err != nil {
		return v.MarkWithPaths(pvm)
	}
	return out
}

// pathKey is a comparable form of a path. It is made for every scalar of
// every value marked, so it avoids fmt: whole numbers are written with
// strconv, strings quoted.
func pathKey(p cty.Path) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + s.Name)
		case cty.IndexStep:
			b.WriteByte('[')
			switch k := s.Key; {
			case !k.IsKnown() || k.IsNull():
				b.WriteString(k.GoString())
			case k.Type() == cty.String:
				b.WriteString(strconv.Quote(k.AsString()))
			case k.Type() == cty.Number:
				if i, acc := k.AsBigFloat().Int64(); acc == big.Exact {
					b.WriteString(strconv.FormatInt(i, 10))
				} else {
					b.WriteString(k.AsBigFloat().Text('g', -1))
				}
			default:
				b.WriteString(k.GoString())
			}
			b.WriteByte(']')
		}
	}
	return b.String()
}

// originOf returns the one origin of a scalar's own marks, or nil when it
// has none or several (a string built from two variables).
func originOf(v cty.Value) *origin {
	_, marks := v.Unmark()
	var found *origin
	for m := range marks {
		if o, ok := m.(*origin); ok {
			if found != nil {
				return nil
			}
			found = o
		}
	}
	return found
}

// originRange decides where a fact about a scalar v used at use, in module
// instance in, points: at the scalar's origin when the use is inside a
// called module (or weak, a range that only approximates the use) and the
// origin is in the user's own files, else at the use. When it points at
// the origin, the configuration records how the value got from there to
// its use.
func (b *builder) originRange(v cty.Value, use hcl.Range, in *modInst, weak bool) hcl.Range {
	if in == nil || in.addr == "" && !weak {
		return use
	}
	o := originOf(v)
	if o == nil || o.rng.Filename == "" || o.rng == use || b.downloaded(o.rng.Filename) {
		return use
	}
	ps := append([]model.Passage{}, o.via...)
	what := "used here"
	if in.addr != "" {
		what = "used here, in " + in.addr
	}
	ps = append(ps, model.Passage{Range: use, Message: what})
	b.cfg.AddPassages(o.rng, in.addr, ps...)
	return o.rng
}

// downloaded reports whether a file is part of a module that terraform init
// downloaded (under .terraform), which the user does not edit.
func (b *builder) downloaded(filename string) bool {
	// Asked of every scalar argument of every modelled resource: most
	// names hold no .terraform at all, which needs no filepath.Rel.
	if !strings.Contains(filename, ".terraform") {
		return false
	}
	rel, err := filepath.Rel(b.ev.l.root, filename)
	if err != nil {
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if part == ".terraform" {
			return true
		}
	}
	return false
}

// placeOrigins moves the range of every scalar argument of the modelled
// resources to where its value was written, when originRange says so.
func (b *builder) placeOrigins() {
	var place func(eb *evalBlock)
	place = func(eb *evalBlock) {
		for _, a := range eb.attrs {
			if a.marked == cty.NilVal {
				continue
			}
			if ty := a.val.Type(); ty.IsPrimitiveType() || ty.Equals(cty.DynamicPseudoType) {
				a.rng = b.originRange(a.marked, a.rng, a.inst(), false)
			}
		}
		for _, nb := range eb.blocks {
			place(nb)
		}
	}
	for _, insts := range b.byType {
		for _, ri := range insts {
			place(ri.block)
		}
	}
}

// listDownloaded records the folders of the modules that terraform init
// downloaded, with the module block in the root module that leads to each.
func (b *builder) listDownloaded() {
	seen := map[string]bool{}
	b.ev.root.walk(func(in *modInst) {
		if in.parent == nil || seen[in.mod.dir] || !b.downloaded(filepath.Join(in.mod.dir, "x")) {
			return
		}
		seen[in.mod.dir] = true
		top := in
		for top.parent != b.ev.root {
			top = top.parent
		}
		b.cfg.Downloaded = append(b.cfg.Downloaded, model.Downloaded{
			Dir:  filepath.Clean(in.mod.dir),
			Call: top.call.block.DefRange,
			Addr: "module." + strings.ReplaceAll(in.key, ".", ".module."),
		})
	})
}

// placeNotes points each note about a module that terraform init
// downloaded at the module block that calls it, as findings are placed
// (lint.place): the user cannot act on a line under .terraform. Where in
// the module the note arose leads its body.
func placeNotes(ds []model.Downloaded, ms []Missing) {
	for i := range ms {
		m := &ms[i]
		var d *model.Downloaded
		for j := range ds {
			if strings.HasPrefix(m.Range.Filename, ds[j].Dir+string(filepath.Separator)) && (d == nil || len(ds[j].Dir) > len(d.Dir)) {
				d = &ds[j]
			}
		}
		if d == nil {
			continue
		}
		file, err := filepath.Rel(d.Dir, m.Range.Filename)
		if err != nil {
			file = filepath.Base(m.Range.Filename)
		}
		in := fmt.Sprintf("In %s, which terraform init downloaded (%s:%d).", d.Addr, filepath.ToSlash(file), m.Range.Start.Line)
		m.Why = strings.TrimSpace(in + " " + m.Why)
		m.Range = d.Call
	}
}

// encodedParts finds the parts of JSON text t (parsed from text, whose
// first byte is at offset base) that jsonencode wrote from a value with
// marks, so that overlay can place that value's scalars.
func (b *builder) encodedParts(t *jsontree.Value, text string, base int) map[*jsontree.Value]cty.Value {
	enc := b.ev.partial.encoded
	if len(enc) == 0 {
		return nil
	}
	out := map[*jsontree.Value]cty.Value{}
	var walk func(n *jsontree.Value)
	walk = func(n *jsontree.Value) {
		if n.Kind != jsontree.Object && n.Kind != jsontree.Array {
			return
		}
		from, to := n.Range.Start.Byte-base, n.Range.End.Byte-base
		if 0 <= from && from < to && to <= len(text) {
			if v, ok := enc[text[from:to]]; ok {
				out[n] = v
				return
			}
		}
		for _, m := range n.Members {
			walk(m.Value)
		}
		for _, it := range n.Items {
			walk(it)
		}
	}
	walk(t)
	return out
}

// overlay moves the ranges of the scalars of n to where the scalars of v,
// the value n was encoded from, were written.
func (b *builder) overlay(n *jsontree.Value, v cty.Value, in *modInst, depth int) {
	if depth > maxTreeDepth {
		return
	}
	if !v.IsKnown() || v.IsNull() || v.Type().IsPrimitiveType() {
		n.Range = b.originRange(v, n.Range, in, true)
		if isPlaceholder(v) {
			n.Kind, n.Str = jsontree.Unknown, ""
		}
		return
	}
	v, _ = v.Unmark()
	ty := v.Type()
	switch {
	case n.Kind == jsontree.Object && (ty.IsObjectType() || ty.IsMapType()):
		for i := range n.Members {
			m := &n.Members[i]
			if ty.IsObjectType() && ty.HasAttribute(m.Key) {
				b.overlay(m.Value, v.GetAttr(m.Key), in, depth+1)
			} else if ty.IsMapType() && v.HasIndex(cty.StringVal(m.Key)).True() {
				b.overlay(m.Value, v.Index(cty.StringVal(m.Key)), in, depth+1)
			}
		}
	case n.Kind == jsontree.Array && (ty.IsListType() || ty.IsTupleType() || ty.IsSetType()):
		els := v.AsValueSlice()
		for i, it := range n.Items {
			if i < len(els) {
				b.overlay(it, els[i], in, depth+1)
			}
		}
	}
}

// listOrigin is where a list whose items were all written elsewhere, in one
// file, was written: from its first item to its last. Otherwise it is the
// use.
func (b *builder) listOrigin(items []model.Ref, use hcl.Range, in *modInst) hcl.Range {
	if len(items) == 0 || in == nil || in.addr == "" {
		return use
	}
	span := items[0].Range
	for _, it := range items {
		r := it.Range
		if r == use || r.Filename != span.Filename {
			return use
		}
		if r.Start.Byte < span.Start.Byte {
			span.Start = r.Start
		}
		if r.End.Byte > span.End.Byte {
			span.End = r.End
		}
	}
	b.cfg.AddPassages(span, in.addr, b.cfg.PassagesIn(items[0].Range, in.addr)...)
	return span
}

// placeholderDefault marks the empty string that a root variable takes by
// default: a value CI gives with --var more often than one meant to be
// used. A container field that holds it is unknown.
type placeholderMark struct{}

var placeholderDefault = placeholderMark{}

// isPlaceholder reports whether v is the empty default of a root variable.
func isPlaceholder(v cty.Value) bool {
	v, marks := v.Unmark()
	_, ok := marks[placeholderDefault]
	return ok && v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() == ""
}

// holdsPlaceholder reports whether an expression's context holds the empty
// default of a root variable: a function that fails on it (regex on an
// image tag that CI passes with --var) fails on a stand-in, not on the
// user's value, and its result is only unknown.
func holdsPlaceholder(ctx *hcl.EvalContext) bool {
	for _, v := range ctx.Variables {
		_, pvm := v.UnmarkDeepWithPaths()
		for _, pm := range pvm {
			if _, ok := pm.Marks[placeholderDefault]; ok {
				return true
			}
		}
	}
	return false
}
