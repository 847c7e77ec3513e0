package terraform

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform/budget"
	"github.com/canpull/canpull/lint/terraform/funcs"
)

// The evaluator works lazily: a variable, local, resource or module output is
// evaluated the first time an expression refers to it, and remembered. An
// item that is reached again while it is being evaluated is a cycle: it is
// reported once and its value is unknown.

type state int

const (
	pending state = iota
	running
	done
)

type evaluator struct {
	l             *loader
	root          *modInst
	funcs         map[string]function.Function
	resourceCount int
	moduleCount   int
	// all is every resource instance evaluated, in evaluation order.
	all []*resInst
	// stack holds the items being evaluated, to name a cycle.
	stack []frame
	// partial keeps the known parts of text with unknown parts (partial.go).
	partial partial
	// unknownAttrs are the arguments whose values are not wholly known, to
	// say why (unknown.go).
	unknownAttrs []unknownAttr
	// unknownCounts are the count and for_each arguments whose value is
	// unknown, to say why in their notes once everything is evaluated.
	unknownCounts []unknownCount
	// capture, while an argument that is a jsonencode call is evaluated,
	// receives what that call encodes (see evalAttr.encoded).
	capture *jsonCapture
}

// modInst is one instance of a module: the root, or one instance of a
// module call (one per count index or for_each key).
type modInst struct {
	ev     *evaluator
	mod    *module
	addr   string // "" for the root, "module.net", `module.svc["api"]`, …
	key    string // call path without instance keys: "svc.net", for modules.json
	parent *modInst
	call   *moduleCall
	each   eachData // the call instance's count.index / each.* (for its arguments)
	depth  int

	vars      map[string]*lazyValue
	locals    map[string]*lazyValue
	outputs   map[string]*lazyValue
	resources map[string]*resState
	calls     map[string]*callState
	providers map[string]*provider
	// given holds the root module's variable values from outside.
	given map[string]rawValue
}

type lazyValue struct {
	state state
	val   cty.Value
}

// eachData is what count.index and each.key / each.value mean in a scope.
type eachData struct {
	hasCount, hasEach bool
	index             cty.Value
	key, value        cty.Value
}

// scope is where an expression is evaluated.
type scope struct {
	inst  *modInst
	each  eachData
	iters map[string]cty.Value // dynamic block iterators
	// iterFrom is where each iterator's collection was written: the
	// dynamic block's for_each, in the scope around the block.
	iterFrom map[string]iterSource
}

// iterSource is the for_each of a dynamic block, to trace an iterator's
// unknown value back to what made it so.
type iterSource struct {
	expr hcl.Expression
	sc   *scope
}

func newEvaluator(l *loader, root *module) *evaluator {
	ev := &evaluator{l: l}
	ev.funcs = funcs.Table(funcs.Options{BaseDir: l.root, Root: l.opts.Root, Budget: l.budget, Opaque: model.HasToken})
	ev.partialFuncs(ev.funcs)
	ev.root = ev.newInst(root, "", "", nil, nil, eachData{})
	ev.root.setRootVariables()
	return ev
}

func (ev *evaluator) newInst(m *module, addr, key string, parent *modInst, call *moduleCall, each eachData) *modInst {
	ev.moduleCount++
	in := &modInst{
		ev: ev, mod: m, addr: addr, key: key, parent: parent, call: call, each: each,
		vars:      map[string]*lazyValue{},
		locals:    map[string]*lazyValue{},
		outputs:   map[string]*lazyValue{},
		resources: map[string]*resState{},
		calls:     map[string]*callState{},
	}
	if parent != nil {
		in.depth = parent.depth + 1
	}
	for name := range m.variables {
		in.vars[name] = &lazyValue{}
	}
	for name := range m.locals {
		in.locals[name] = &lazyValue{}
	}
	for name := range m.outputs {
		in.outputs[name] = &lazyValue{}
	}
	for _, r := range m.resources {
		in.resources[r.addr()] = &resState{r: r}
	}
	for name, c := range m.calls {
		in.calls[name] = &callState{call: c}
	}
	in.providers = in.resolveProviders()
	return in
}

// prefix is the address prefix of everything in this module instance.
func (in *modInst) prefix() string {
	if in.addr == "" {
		return ""
	}
	return in.addr + "."
}

func (in *modInst) scope() *scope { return &scope{inst: in} }

// frame is an item being evaluated and where it is declared.
type frame struct {
	name string
	rng  hcl.Range
}

// enter marks an item as being evaluated; it returns false on a cycle.
func (ev *evaluator) enter(st *state, name string, rng hcl.Range) bool {
	switch *st {
	case running:
		ev.cycle(name)
		return false
	case done:
		return false
	}
	*st = running
	ev.stack = append(ev.stack, frame{name, rng})
	return true
}

func (ev *evaluator) leave(st *state) {
	*st = done
	ev.stack = ev.stack[:len(ev.stack)-1]
}

// cycle reports the cycle that name closes. It is named from its member
// that sorts first, at that member's declaration, so that the message does
// not depend on which member evaluation happened to reach first.
func (ev *evaluator) cycle(name string) {
	var members []frame
	for i := len(ev.stack) - 1; i >= 0; i-- {
		members = append([]frame{ev.stack[i]}, members...)
		if ev.stack[i].name == name {
			break
		}
	}
	first := 0
	for i, m := range members {
		if m.name < members[first].name {
			first = i
		}
	}
	members = append(members[first:], members[:first]...)
	path := make([]string, 0, len(members)+1)
	for _, m := range members {
		path = append(path, m.name)
	}
	path = append(path, members[0].name)
	ev.l.diags = append(ev.l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cycle in references",
		Detail:   fmt.Sprintf("%s refers to itself: %s. Terraform cannot evaluate this either; canpull treats the value as unknown.", members[0].name, strings.Join(path, " → ")),
		Subject:  members[0].rng.Ptr(),
	})
}

// variable returns the value of var.name in this instance.
func (in *modInst) variable(name string) cty.Value {
	lv, ok := in.vars[name]
	if !ok {
		return cty.DynamicVal
	}
	if lv.state == done {
		return lv.val
	}
	v := in.mod.variables[name]
	if !in.ev.enter(&lv.state, in.prefix()+"var."+name, v.decl) {
		return cty.DynamicVal
	}
	lv.val = in.evalVariable(v)
	in.ev.leave(&lv.state)
	return lv.val
}

func (in *modInst) local(name string) cty.Value {
	lv, ok := in.locals[name]
	if !ok {
		return cty.DynamicVal
	}
	if lv.state == done {
		return lv.val
	}
	a := in.mod.locals[name]
	if !in.ev.enter(&lv.state, in.prefix()+"local."+name, a.Range) {
		return cty.DynamicVal
	}
	lv.val = in.ev.l.markOrigins(in.ev.eval(a.Expr, in.scope()), a.Expr, nil, in.scope())
	in.ev.leave(&lv.state)
	return lv.val
}

func (in *modInst) output(name string) cty.Value {
	lv, ok := in.outputs[name]
	if !ok {
		return cty.DynamicVal
	}
	if lv.state == done {
		return lv.val
	}
	a := in.mod.outputs[name]
	if !in.ev.enter(&lv.state, in.prefix()+"output."+name, a.Range) {
		return cty.DynamicVal
	}
	lv.val = in.ev.eval(a.Expr, in.scope())
	in.ev.leave(&lv.state)
	return lv.val
}

// eval evaluates an expression in a scope, under the loader's budget.
// Errors that come from canpull not knowing a value (an attribute it does not
// model, a function given a token) make the value unknown silently; errors
// the user must see (a file read refused, a template that does not parse, an
// expression that needs more than the budget) are reported.
func (ev *evaluator) eval(expr hcl.Expression, sc *scope) cty.Value {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if ev.l.budget.Stopped() {
		return cty.DynamicVal
	}
	ctx := ev.context(expr, sc)
	v, diags := ev.l.guarded(expr).Value(ctx)
	ev.l.reportOverrun()
	if diags.HasErrors() {
		if !holdsPlaceholder(ctx) {
			ev.reportEvalDiags(diags)
		}
		return cty.DynamicVal
	}
	if ev.l.budget.Stopped() {
		return cty.DynamicVal
	}
	return v
}

// guarded is the copy of expr that evaluates under the budget, made once
// per expression of native syntax.
func (l *loader) guarded(expr hcl.Expression) hcl.Expression {
	se, native := expr.(hclsyntax.Expression)
	if !native {
		return l.budget.Guard(expr)
	}
	if g, ok := l.guards[se]; ok {
		return g
	}
	g := l.budget.Guard(se)
	if l.guards == nil {
		l.guards = map[hclsyntax.Expression]hcl.Expression{}
	}
	l.guards[se] = g
	return g
}

// literal evaluates an expression that may not refer to anything (a
// variable's default, a module's source), under the budget. In JSON syntax
// such an expression is its literal value: no template is evaluated.
func (l *loader) literal(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if _, native := expr.(hclsyntax.Expression); !native {
		return expr.Value(nil)
	}
	if l.budget.Stopped() {
		return cty.DynamicVal, nil
	}
	v, diags := l.guarded(expr).Value(nil)
	l.reportOverrun()
	if l.budget.Stopped() {
		return cty.DynamicVal, diags
	}
	return v, diags
}

// charge charges a value that the evaluator built to the budget's memory;
// false when it does not fit (rng is then blamed).
func (l *loader) charge(v cty.Value, rng hcl.Range) bool {
	n := budget.Elements(v, l.budget.Left()/budget.ElementBytes+1)
	if err := l.budget.SpendMemory(budget.ElementBytes * n); err != nil {
		l.budget.Blame(rng)
		l.reportOverrun()
		return false
	}
	return true
}

// reportOverrun reports, once, the expression that went over the budget.
func (l *loader) reportOverrun() {
	if l.overReported {
		return
	}
	if d := l.budget.Diagnostic(); d != nil {
		l.diags = append(l.diags, d)
		l.overReported = true
	}
}

// reportedFuncs are the functions whose failures are the user's to fix, as
// in Terraform (an error in a function call is an error at that call): the
// file functions, and those that read strings and numbers, which canpull
// knows as Terraform does or stands in for with tokens (see funcs.Options.
// Opaque). Other functions fail mostly because canpull handed them a value
// it models only in part (an object without the attributes AWS computes),
// which only makes the result unknown.
var reportedFuncs = map[string]bool{
	"file": true, "templatefile": true, "fileexists": true, "fileset": true, "filebase64": true,
	"filemd5": true, "filesha1": true, "filesha256": true, "filesha512": true,
	"filebase64sha256": true, "filebase64sha512": true, "range": true,
	"format": true, "formatlist": true, "regex": true, "regexall": true, "replace": true,
	"substr": true, "indent": true, "templatestring": true,
	"cidrhost": true, "cidrnetmask": true, "cidrsubnet": true, "cidrsubnets": true,
	"jsondecode": true, "yamldecode": true, "csvdecode": true,
	"base64decode": true, "textdecodebase64": true, "textencodebase64": true,
	"tonumber": true, "tobool": true, "parseint": true, "timeadd": true, "formatdate": true,
}

func (ev *evaluator) reportEvalDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if _, refused := hcl.DiagnosticExtra[*budget.Refusal](d); refused {
			ev.l.diags = append(ev.l.diags, d)
			continue
		}
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok {
			continue
		}
		var over *budget.ExceededError
		var internal *funcs.InternalError
		switch err := extra.FunctionCallError(); {
		case errors.As(err, &over):
			// reported once, at the expression that went over
		case errors.As(err, &internal):
			marked := *d
			marked.Extra = input.Internal{Wrapped: d.Extra}
			ev.l.diags = append(ev.l.diags, &marked)
		case reportedFuncs[extra.CalledFunctionName()]:
			ev.l.diags = append(ev.l.diags, d)
		}
	}
}

// context builds the evaluation context for one expression: only the names
// the expression refers to are evaluated.
func (ev *evaluator) context(expr hcl.Expression, sc *scope) *hcl.EvalContext {
	in := sc.inst
	meta := in.mod.meta(expr)
	if len(meta.vars) == 0 { // a literal, or calls of functions on literals
		return &hcl.EvalContext{Functions: ev.funcs}
	}
	vars := map[string]cty.Value{}
	objs := map[string]map[string]cty.Value{}
	put := func(root, name string, v cty.Value) {
		if objs[root] == nil {
			objs[root] = map[string]cty.Value{}
		}
		objs[root][name] = v
	}
	dataObjs := map[string]map[string]cty.Value{}
	extra := meta.attrs
	for _, tr := range meta.vars {
		root := tr.RootName()
		if v, ok := sc.iters[root]; ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			if name, ok := stepName(tr, 1); ok {
				if _, declared := in.vars[name]; declared {
					put("var", name, in.variable(name))
				}
			}
		case "local":
			if name, ok := stepName(tr, 1); ok {
				if _, declared := in.locals[name]; declared {
					put("local", name, in.local(name))
				}
			}
		case "module":
			if name, ok := stepName(tr, 1); ok {
				if cs, declared := in.calls[name]; declared {
					put("module", name, in.callValue(cs, extra))
				}
			}
		case "data":
			typ, ok1 := stepName(tr, 1)
			name, ok2 := stepName(tr, 2)
			if ok1 && ok2 {
				if rs := in.resources["data."+typ+"."+name]; rs != nil {
					if dataObjs[typ] == nil {
						dataObjs[typ] = map[string]cty.Value{}
					}
					dataObjs[typ][name] = in.resourceValue(rs, extra)
				}
			}
		case "count":
			if sc.each.hasCount {
				vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": sc.each.index})
			}
		case "each":
			if sc.each.hasEach {
				vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": sc.each.key, "value": sc.each.value})
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(in.pathModule()),
				"root":   cty.StringVal("."),
				"cwd":    cty.StringVal(ev.l.root),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "self":
			vars["self"] = cty.DynamicVal
		default:
			if name, ok := stepName(tr, 1); ok {
				if rs := in.resources[root+"."+name]; rs != nil {
					put(root, name, in.resourceValue(rs, extra))
				}
			}
		}
	}
	for root, m := range objs {
		vars[root] = cty.ObjectVal(m)
	}
	if len(dataObjs) > 0 {
		d := map[string]cty.Value{}
		for typ, m := range dataObjs {
			d[typ] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(d)
	}
	return &hcl.EvalContext{Variables: vars, Functions: ev.funcs}
}

// pathModule is path.module: the module's folder relative to the root
// module, as Terraform gives it.
func (in *modInst) pathModule() string {
	rel, err := filepath.Rel(in.ev.l.root, in.mod.dir)
	if err != nil {
		return in.mod.dir
	}
	return filepath.ToSlash(rel)
}

func stepName(tr hcl.Traversal, i int) (string, bool) {
	if len(tr) <= i {
		return "", false
	}
	if a, ok := tr[i].(hcl.TraverseAttr); ok {
		return a.Name, true
	}
	return "", false
}

// expand evaluates count or for_each into instance keys. known is false when
// the number of instances cannot be determined.
func (ev *evaluator) expand(count, forEach hcl.Expression, sc *scope) (insts []eachData, keyed, known bool) {
	switch {
	case count != nil:
		v, _ := ev.eval(count, sc).UnmarkDeep()
		if !v.IsWhollyKnown() || v.IsNull() {
			return nil, true, false
		}
		// Terraform converts count to a number: "2" from an untyped
		// variable is 2.
		if nv, err := convert.Convert(v, cty.Number); err == nil {
			v = nv
		}
		n, err := toInt(v)
		if err != nil || n < 0 {
			ev.l.diags = append(ev.l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid count",
				Detail: "count must be a whole number of zero or more.", Subject: count.Range().Ptr()})
			return nil, true, false
		}
		if n > maxInstances {
			ev.tooMany("count", n, count.Range())
			return nil, true, false
		}
		for i := 0; i < n; i++ {
			insts = append(insts, eachData{hasCount: true, index: cty.NumberIntVal(int64(i))})
		}
		return insts, true, true
	case forEach != nil:
		v := ev.eval(forEach, sc)
		if hasMaybeKey(v) {
			return nil, true, false // the keys are a guess (partial.go)
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return nil, true, false
		}
		ty := v.Type()
		if !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) {
			return nil, true, false
		}
		if n := v.LengthInt(); n > maxInstances {
			ev.tooMany("for_each", n, forEach.Range())
			return nil, true, false
		}
		if ty.IsSetType() && !v.IsWhollyKnown() {
			return nil, true, false
		}
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			if ty.IsSetType() {
				if !k.Type().Equals(cty.String) || k.IsNull() {
					return nil, true, false
				}
				val = k
				k, _ = k.Unmark()
			}
			insts = append(insts, eachData{hasEach: true, key: k, value: val})
		}
		return insts, true, true
	}
	return []eachData{{}}, false, true
}

func (ev *evaluator) tooMany(what string, n int, rng hcl.Range) {
	ev.l.diags = append(ev.l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Too many instances",
		Detail: fmt.Sprintf("%s asks for %d instances; canpull evaluates at most %d per resource or module, and treats this one as unknown.",
			what, n, maxInstances),
		Subject: rng.Ptr(),
	})
}

func toInt(v cty.Value) (int, error) {
	if !v.Type().Equals(cty.Number) {
		return 0, fmt.Errorf("not a number")
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, fmt.Errorf("not a whole number")
	}
	i, acc := bf.Int64()
	if acc != 0 || i > 1<<31 {
		return 0, fmt.Errorf("out of range")
	}
	return int(i), nil
}

// instanceAddr is the address of instance key k of base.
func instanceAddr(base string, e eachData) string {
	switch {
	case e.hasCount:
		bf := e.index.AsBigFloat()
		i, _ := bf.Int64()
		return fmt.Sprintf("%s[%d]", base, i)
	case e.hasEach:
		return fmt.Sprintf("%s[%q]", base, e.key.AsString())
	}
	return base
}

// collect builds the value of a set of instances: a single object, a tuple
// for count, an object keyed by for_each keys.
func collect(insts []eachData, vals []cty.Value, keyed bool) cty.Value {
	if !keyed {
		if len(vals) == 0 {
			return cty.DynamicVal
		}
		return vals[0]
	}
	if len(insts) > 0 && insts[0].hasEach {
		m := map[string]cty.Value{}
		for i, e := range insts {
			m[e.key.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	return cty.TupleVal(vals)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
