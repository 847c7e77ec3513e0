package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

// Why a value is unknown. A note that says "the subnets of
// aws_ecs_service.app are unknown" helps only when it also says what made
// them so: a variable without a value, a module that terraform init has
// not downloaded, a data source that only Terraform reads. The evaluator
// keeps every argument whose value it could not fully know; after the
// model is built, each is traced back through locals, module inputs and
// module outputs to the names that are unknown at their source.

// culprit is one reason a value is unknown: what (a clause: "var.image has
// no value") and how to supply it.
type culprit struct{ what, hint string }

// unknownAttr is an argument whose value is not wholly known.
type unknownAttr struct {
	expr   hcl.Expression
	sc     *scope
	marked cty.Value // with where it was written (origin.go)
	// at, when set, is where a fact built from expr's value points
	// instead of expr (a template's interpolation of a template_file's
	// var).
	at *hcl.Range
}

const (
	// maxTraceDepth bounds how many locals, module inputs and outputs a
	// trace follows.
	maxTraceDepth = 8
	// maxUnknownAttrs bounds how many arguments are explained in one root
	// module.
	maxUnknownAttrs = 20000
)

// explainUnknowns traces every argument that the evaluator could not fully
// know to its culprits, for Config.Unknowns: by the argument's range, and
// by where its value was written when that is elsewhere (a fact used in a
// module points there: originRange).
func (ev *evaluator) explainUnknowns() map[hcl.Range]model.Unknown {
	out := map[hcl.Range]model.Unknown{}
	for _, a := range ev.unknownAttrs {
		rng := a.expr.Range()
		if a.at != nil {
			rng = *a.at
		}
		if _, done := out[rng]; done {
			continue // one argument of many instances
		}
		cs := ev.whyUnknown(a.expr, a.sc)
		if len(cs) == 0 {
			continue
		}
		u := explanation(cs)
		out[rng] = u
		if o := originOf(a.marked); o != nil && o.rng.Filename != "" {
			if _, taken := out[o.rng]; !taken {
				out[o.rng] = u
			}
		}
	}
	return out
}

// unknownCount is a count or for_each whose value is unknown: the note
// about it is l.missing[note], and why, when set, is the culprit that
// values depending on the module call name.
type unknownCount struct {
	note int
	expr hcl.Expression
	sc   *scope
	why  *culprit
}

// noteUnknownCount records the count or for_each of the note just added,
// to be explained by explainCounts.
func (ev *evaluator) noteUnknownCount(count, forEach hcl.Expression, sc *scope, why *culprit) {
	expr := count
	if expr == nil {
		expr = forEach
	}
	if expr == nil || len(ev.l.missing) == 0 || len(ev.unknownCounts) >= maxUnknownAttrs {
		return
	}
	ev.unknownCounts = append(ev.unknownCounts, unknownCount{note: len(ev.l.missing) - 1, expr: expr, sc: sc, why: why})
}

// explainCounts says in each note about an unknown count or for_each what
// made it unknown (availability zones from a data source, a variable
// without a value), rather than always blaming variables. It runs after
// evaluation, as explainUnknowns does, so that tracing evaluates nothing
// new in the middle of a resource; and before it, so that values that
// depend on a module call with an unknown count name the real culprit.
func (ev *evaluator) explainCounts() {
	for _, uc := range ev.unknownCounts {
		cs := ev.whyUnknown(uc.expr, uc.sc)
		if len(cs) == 0 {
			continue
		}
		u := explanation(cs)
		m := &ev.l.missing[uc.note]
		m.Why = "It is unknown because " + u.Why + "."
		m.Hint = u.Hint
		if uc.why != nil {
			uc.why.what += " (" + u.Why + ")"
			uc.why.hint = u.Hint
		}
	}
}

// explanation joins culprits into one: "var.a has no value, and module
// "vpc" is not on disk", with their hints.
func explanation(cs []culprit) model.Unknown {
	var whats, hints []string
	seen := map[string]bool{}
	for _, c := range cs {
		whats = append(whats, c.what)
		if !seen[c.hint] {
			seen[c.hint] = true
			hints = append(hints, c.hint)
		}
	}
	return model.Unknown{Why: model.JoinNames(whats, 3), Hint: strings.Join(hints, "; ")}
}

// whyUnknown names what makes expr, evaluated in sc, not wholly known:
// the first culprits found along each of its references, in the order the
// expression names them.
func (ev *evaluator) whyUnknown(expr hcl.Expression, sc *scope) []culprit {
	var out []culprit
	seen := map[string]bool{}
	add := func(c culprit) {
		if !seen[c.what] {
			seen[c.what] = true
			out = append(out, c)
		}
	}
	visited := map[string]bool{}
	var walk func(expr hcl.Expression, sc *scope, depth int)
	walk = func(expr hcl.Expression, sc *scope, depth int) {
		if expr == nil || depth > maxTraceDepth {
			return
		}
		in := sc.inst
		trs := expr.Variables()
		sort.SliceStable(trs, func(i, j int) bool { return trs[i].SourceRange().Start.Byte < trs[j].SourceRange().Start.Byte })
		for _, tr := range trs {
			root := tr.RootName()
			if _, ok := sc.iters[root]; ok {
				// A dynamic block's iterator: what its for_each holds.
				if src, ok := sc.iterFrom[root]; ok && !visited["iterator "+root] {
					visited["iterator "+root] = true
					walk(src.expr, src.sc, depth+1)
				}
				continue
			}
			// Only the references whose own value is not known matter.
			ref := &hclsyntax.ScopeTraversalExpr{Traversal: tr, SrcRange: tr.SourceRange()}
			if v := ev.eval(ref, sc); v.IsWhollyKnown() {
				continue
			}
			key := in.prefix() + traversalKey(tr)
			if visited[key] {
				continue
			}
			visited[key] = true
			switch root {
			case "var":
				name, ok := stepName(tr, 1)
				if !ok {
					continue
				}
				v := in.mod.variables[name]
				switch {
				case v == nil:
				case in.parent == nil:
					if _, given := in.given[name]; !given && !v.hasDef {
						add(culprit{what: "var." + name + " has no value",
							hint: "give var." + name + " a value with --var-file or --var (or TF_VAR_" + name + ")"})
					}
				default:
					// A module input: what the caller passes.
					attrs := in.call.args
					if a, ok := attrs[name]; ok {
						walk(a.Expr, &scope{inst: in.parent, each: in.each}, depth+1)
					}
				}
			case "local":
				if name, ok := stepName(tr, 1); ok {
					if a := in.mod.locals[name]; a != nil {
						walk(a.Expr, in.scope(), depth+1)
					}
				}
			case "module":
				name, ok := stepName(tr, 1)
				cs := in.calls[name]
				if !ok || cs == nil {
					continue
				}
				in.children(cs)
				switch {
				case cs.why != nil:
					add(*cs.why)
				case cs.known && len(cs.insts) > 0:
					if out, ok := stepName(tr, 2); ok {
						child := cs.insts[0]
						if a := child.mod.outputs[out]; a != nil {
							walk(a.Expr, child.scope(), depth+1)
						}
					}
				}
			case "data":
				typ, ok1 := stepName(tr, 1)
				name, ok2 := stepName(tr, 2)
				if !ok1 || !ok2 {
					continue
				}
				addr := "data." + typ + "." + name
				if rs := in.resources[addr]; typ == "template_file" && rs != nil && isTemplateFile(in, rs.r) {
					before := len(out)
					for _, e := range bodyExprs(rs.r.body) {
						walk(e, in.scope(), depth+1)
					}
					if len(out) == before {
						add(culprit{what: "canpull cannot render the template of " + in.prefix() + addr,
							hint: "render it with templatefile(), whose functions canpull evaluates, or lint the plan"})
					}
					continue
				}
				if answeredData[typ] {
					if rs := in.resources[addr]; rs != nil {
						for _, e := range bodyExprs(rs.r.body) {
							walk(e, in.scope(), depth+1)
						}
					}
					continue
				}
				add(culprit{what: in.prefix() + addr + " is read only when Terraform runs",
					hint: "canpull does not read " + typ + " data sources: write the value in the configuration, or lint the plan"})
			}
		}
	}
	walk(expr, sc, 0)
	return out
}

// answeredData are the data sources that canpull reads itself (data.go):
// an unknown value of one comes from its arguments.
var answeredData = map[string]bool{
	"aws_caller_identity": true, "aws_region": true, "aws_partition": true, "aws_iam_policy": true,
	"aws_vpc_endpoint_service": true, "aws_subnet": true, "aws_vpc": true, "aws_security_group": true,
	"aws_iam_policy_document": true,
}

// traversalKey is a traversal's root and first names: "var.image",
// "module.vpc.private_subnets", "data.template_file.app".
func traversalKey(tr hcl.Traversal) string {
	parts := []string{tr.RootName()}
	for i := 1; i < len(tr) && i < 3; i++ {
		if n, ok := stepName(tr, i); ok {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, ".")
}

// bodyExprs are the expressions of a body's arguments and of its nested
// blocks' (a policy document's statements), in the order written.
func bodyExprs(body hcl.Body) []hcl.Expression {
	var out []hcl.Expression
	if sb, ok := isSyntaxBody(body); ok {
		for _, a := range sb.Attributes {
			out = append(out, a.Expr)
		}
		for _, b := range sb.Blocks {
			out = append(out, bodyExprs(b.Body)...)
		}
	} else if attrs, diags := body.JustAttributes(); !diags.HasErrors() {
		for _, a := range attrs {
			out = append(out, a.Expr)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range().Start.Byte < out[j].Range().Start.Byte })
	return out
}
