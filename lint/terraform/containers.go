package terraform

import (
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/taskdef"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// containerTree turns container_definitions into a JSON tree whose ranges
// point into the source wherever the source allows it: the HCL of a
// jsonencode(…) argument, the JSON file that file() reads, a heredoc
// without interpolation. Anything else keeps the argument's range. asJSON
// says that the ranges point into JSON text, where a fix is written in JSON.
func (b *builder) containerTree(a *evalAttr, tb *treeBuilder) (tree *jsontree.Value, asJSON, ok bool) {
	call, isCall := a.expr.(*hclsyntax.FunctionCallExpr)
	if isCall && len(call.Args) == 1 && call.Name == "jsonencode" {
		// jsonencode of a list with one unknown leaf (an image tag from a
		// variable) is unknown as a whole, but the list itself is still
		// known: decode it with that leaf unknown.
		v := a.encoded
		if v == cty.NilVal {
			v = b.ev.eval(call.Args[0], a.sc)
		}
		if !v.IsKnown() {
			return nil, false, false
		}
		return tb.toTree(v, call.Args[0], a.sc, call.Args[0].Range(), 0), false, true
	}
	// A heredoc or template: part by part, so that an unknown
	// interpolation leaves the rest known.
	if tmpl, ok := a.expr.(*hclsyntax.TemplateExpr); ok {
		eval := func(e hclsyntax.Expression) cty.Value { return b.ev.eval(e, a.sc) }
		if t, ok := b.templateTree(tmpl, eval, b.ev.l.sources[tmpl.SrcRange.Filename]); ok {
			return t, true, true
		}
	}
	if t, ok := b.templateFileTree(a); ok {
		return t, true, true
	}
	if isCall && len(call.Args) == 2 && call.Name == "templatefile" {
		if t, ok := b.templatefileTree(call, a.sc); ok {
			return t, true, true
		}
	}
	if !a.val.IsKnown() {
		return nil, false, false
	}
	if isCall && len(call.Args) == 1 {
		switch call.Name {
		case "file":
			if t, ok := b.fileTree(call.Args[0], a); ok {
				return t, true, true
			}
		}
	}
	s, ok := knownString(a.val)
	if !ok {
		return nil, false, false
	}
	t, diags := jsontree.Parse(a.rng.Filename, []byte(s), a.rng.Start)
	if diags.HasErrors() {
		b.ev.l.diags = append(b.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid container_definitions",
			Detail:   "container_definitions is not valid JSON: " + diags[0].Summary + ". AWS would refuse the task definition.",
			Subject:  a.rng.Ptr(),
		})
		return nil, false, false
	}
	parts := b.encodedParts(t, s, a.rng.Start.Byte)
	setRange(t, a.rng)
	for n, v := range parts {
		b.overlay(n, v, a.inst(), 0)
	}
	markUnknownTokens(t)
	// The JSON came through a reference or a function: the findings point
	// at the argument, which is HCL.
	return t, false, true
}

// fileTree parses the JSON file that file("…") reads, so that findings
// point into it.
func (b *builder) fileTree(arg hclsyntax.Expression, a *evalAttr) (*jsontree.Value, bool) {
	pv, ok := knownString(b.ev.eval(arg, a.sc))
	if !ok {
		return nil, false
	}
	name := pv
	if !filepath.IsAbs(name) {
		name = filepath.Join(b.ev.l.root, name)
	}
	// The file function has already refused paths outside the scanned
	// folder: a.val is known only if it read the file.
	src, err := os.ReadFile(name)
	if err != nil || int64(len(src)) > maxFileSize {
		return nil, false
	}
	t, diags := jsontree.Parse(name, src, hcl.InitialPos)
	if diags.HasErrors() {
		b.ev.l.diags = append(b.ev.l.diags, diags...)
		return nil, false
	}
	b.ev.l.sources[name] = src
	return t, true
}

// setRange gives every node of a tree the same range.
func setRange(t *jsontree.Value, r hcl.Range) {
	t.Range = r
	for i := range t.Members {
		t.Members[i].KeyRange = r
		setRange(t.Members[i].Value, r)
	}
	for _, it := range t.Items {
		setRange(it, r)
	}
}

const maxTreeDepth = 64

// treeBuilder converts an evaluated container_definitions value into a
// JSON tree.
type treeBuilder struct {
	b *builder
	// prefixes holds the known beginning of each string that is unknown
	// because a later part of its template is ("${aws_ecr_repository.app.
	// repository_url}:${var.tag}"), by the string's range: enough to tell
	// which repository an image comes from.
	prefixes map[hcl.Range]string
}

// toTree converts an evaluated value into a JSON tree, walking the
// expression it came from in step to take ranges from it.
func (tb *treeBuilder) toTree(v cty.Value, expr hclsyntax.Expression, sc *scope, fallback hcl.Range, depth int) *jsontree.Value {
	// Follow local.NAME to the local's own expression.
	if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok && depth < 8 && len(st.Traversal) == 2 && st.Traversal.RootName() == "local" {
		if name, ok := stepName(st.Traversal, 1); ok {
			if a := sc.inst.mod.locals[name]; a != nil {
				if se, ok := a.Expr.(hclsyntax.Expression); ok {
					return tb.toTree(v, se, sc, se.Range(), depth+1)
				}
			}
		}
	}
	rng := fallback
	if expr != nil {
		rng = expr.Range()
	}
	if !v.IsKnown() || v.IsNull() || v.Type().IsPrimitiveType() {
		// A scalar: where it was written, when that is the user's.
		rng = tb.b.originRange(v, rng, sc.inst, expr == nil)
	}
	placeholder := isPlaceholder(v)
	v, _ = v.Unmark()
	t := &jsontree.Value{Range: rng}
	if depth > maxTreeDepth {
		t.Kind = jsontree.Unknown
		return t
	}
	switch {
	case !v.IsKnown() || placeholder:
		t.Kind = jsontree.Unknown
		tb.notePrefix(expr, sc, rng)
	case v.IsNull():
		t.Kind = jsontree.Null
	case v.Type().Equals(cty.String):
		t.Kind, t.Str = jsontree.String, v.AsString()
	case v.Type().Equals(cty.Number) && budget.CheckNumber(v.AsBigFloat()) != nil:
		t.Kind = jsontree.Unknown // its text would run to millions of digits
	case v.Type().Equals(cty.Number):
		t.Kind, t.Str = jsontree.Number, numberText(v.AsBigFloat())
	case v.Type().Equals(cty.Bool):
		t.Kind, t.Bool = jsontree.Bool, v.True()
	case v.Type().IsObjectType() || v.Type().IsMapType():
		t.Kind = jsontree.Object
		items := map[string]hclsyntax.ObjectConsItem{}
		var order []string
		if oc, ok := expr.(*hclsyntax.ObjectConsExpr); ok {
			for _, it := range oc.Items {
				if k, ok := objectKey(it.KeyExpr); ok {
					items[k] = it
					order = append(order, k)
				}
			}
		}
		vals := v.AsValueMap()
		var keys []string
		seen := map[string]bool{}
		for _, k := range order {
			if _, ok := vals[k]; ok && !seen[k] {
				keys = append(keys, k)
				seen[k] = true
			}
		}
		var rest []string
		for k := range vals {
			if !seen[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		keys = append(keys, rest...)
		for _, k := range keys {
			m := jsontree.Member{Key: k, KeyRange: rng}
			var vexpr hclsyntax.Expression
			if it, ok := items[k]; ok {
				m.KeyRange = it.KeyExpr.Range()
				vexpr = it.ValueExpr
			}
			m.Value = tb.toTree(vals[k], vexpr, sc, rng, depth+1)
			t.Members = append(t.Members, m)
		}
	case v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType():
		t.Kind = jsontree.Array
		var exprs []hclsyntax.Expression
		if tc, ok := expr.(*hclsyntax.TupleConsExpr); ok && len(tc.Exprs) == v.LengthInt() {
			exprs = tc.Exprs
		}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, el := it.Element()
			var ex hclsyntax.Expression
			if exprs != nil {
				ex = exprs[i]
			}
			t.Items = append(t.Items, tb.toTree(el, ex, sc, rng, depth+1))
		}
	default:
		t.Kind = jsontree.Unknown
	}
	return t
}

// notePrefix records the known beginning of an unknown template.
func (tb *treeBuilder) notePrefix(expr hclsyntax.Expression, sc *scope, rng hcl.Range) {
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return
	}
	var prefix strings.Builder
	for _, part := range tmpl.Parts {
		s, ok := knownString(tb.b.ev.eval(part, sc))
		if !ok {
			break
		}
		prefix.WriteString(s)
	}
	if prefix.Len() == 0 {
		return
	}
	if tb.prefixes == nil {
		tb.prefixes = map[hcl.Range]string{}
	}
	tb.prefixes[rng] = prefix.String()
}

// objectKey is the literal key of an object constructor item: a name or a
// quoted string without interpolation. It evaluates nothing.
func objectKey(e hclsyntax.Expression) (string, bool) {
	if k := hcl.ExprAsKeyword(e); k != "" {
		return k, true
	}
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		e = k.Wrapped
	}
	if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		e = t.Parts[0]
	}
	lit, ok := e.(*hclsyntax.LiteralValueExpr)
	if !ok || !lit.Val.IsKnown() || lit.Val.IsNull() || !lit.Val.Type().Equals(cty.String) {
		return "", false
	}
	return lit.Val.AsString(), true
}

// containers decodes container_definitions into the task definition.
func (b *builder) containers(td *model.TaskDefinition, a *evalAttr) {
	if a == nil {
		td.ContainersKnown = true
		return
	}
	td.ContainersRange = a.rng
	tb := &treeBuilder{b: b}
	tree, asJSON, ok := b.containerTree(a, tb)
	if !ok || tree.Kind == jsontree.Unknown {
		b.unknownContainers(td, a)
		return
	}
	if tree.Kind == jsontree.Array {
		for _, it := range tree.Items {
			if it.Kind == jsontree.Unknown {
				// A whole container that cannot be evaluated
				// (merge(var.base, {…})) may hold anything: the list
				// is unknown, as it would be from jsonencode alone.
				b.unknownContainers(td, a)
				return
			}
		}
	}
	cs, diags := taskdef.DecodeContainers(tree)
	b.ev.l.diags = append(b.ev.l.diags, diags...)
	td.Containers, td.ContainersKnown, td.ContainersJSON = cs, true, asJSON
	for _, c := range cs {
		b.resolveContainer(c, tb.prefixes)
	}
}

// unknownContainers records that a task definition's containers cannot be
// read, so that the summary does not count it as checked.
// The note names what made them unknown: a variable without a value, a
// data source, a module not on disk (unknown.go).
func (b *builder) unknownContainers(td *model.TaskDefinition, a *evalAttr) {
	m := Missing{
		What:  "the container definitions of " + td.Addr + " are unknown",
		Why:   "canpull cannot tell what makes them so: they may need a value that only Terraform computes.",
		Hint:  "give the variables they depend on values with --var-file or --var",
		Range: a.rng,
	}
	if cs := b.ev.whyUnknown(a.expr, a.sc); len(cs) > 0 {
		u := explanation(cs)
		m.What = "the container definitions of " + td.Addr + " are unknown: " + u.Why
		m.Why, m.Hint = "", u.Hint
	}
	b.ev.l.missing = append(b.ev.l.missing, m)
}

// resolveContainer follows the tokens inside a container definition: the
// repository an image comes from, the secrets it names. prefixes are the
// known beginnings of unknown strings (see treeBuilder).
func (b *builder) resolveContainer(c *model.Container, prefixes map[hcl.Range]string) {
	switch {
	case c.Image.Known && model.HasToken(c.Image.V):
		c.ImageRepository = b.imageRepository(c.Image.V, c.Image.Range)
		c.Image.V = b.render(c.Image.V)
		if model.HasToken(c.Image.V) {
			c.Image.Known = false
		}
	case !c.Image.Known && prefixes[c.Image.Range] != "":
		// "${aws_ecr_repository.app.repository_url}:${var.tag}": the tag is
		// unknown, the repository is not.
		c.ImageRepository = b.imageRepository(prefixes[c.Image.Range], c.Image.Range)
	}
	resolve := func(r *model.Ref) { *r = b.secretRef(*r, r == &c.Credentials) }
	resolve(&c.Credentials)
	for i := range c.Secrets {
		resolve(&c.Secrets[i].ValueFrom)
	}
	if c.Log != nil {
		for i := range c.Log.SecretOptions {
			resolve(&c.Log.SecretOptions[i].ValueFrom)
		}
	}
}

// imageRepository returns the repository of the configuration that an
// image (or the known beginning of one) is pulled from: the image starts
// with the repository's repository_url, or with its registry_id followed by
// the registry's host and the repository's name, and then a tag, a digest
// or nothing. Anything else ("${…repository_url}-cache")
// names another repository.
func (b *builder) imageRepository(image string, rng hcl.Range) model.Ref {
	for _, t := range model.Tokens(image) {
		if b.typeOf[t.Addr] != "aws_ecr_repository" || t.Start != 0 {
			continue
		}
		rest := image[t.End:]
		switch t.Attr {
		case "repository_url":
		case "registry_id":
			// "${…registry_id}.dkr.ecr.REGION.amazonaws.com/NAME:TAG"
			r, ok := b.cfg.Lookup(t.Addr).(*model.Repository)
			_, path, found := strings.Cut(rest, "/")
			if !ok || !found || !r.Name.Known || !strings.HasPrefix(path, r.Name.V) {
				continue
			}
			rest = path[len(r.Name.V):]
		default:
			continue
		}
		if rest == "" || rest[0] == ':' || rest[0] == '@' {
			return model.Ref{Addr: t.Addr, Known: true, Range: rng}
		}
	}
	return model.Ref{}
}

// render replaces the tokens whose value the configuration determines: a
// repository's URL, its registry ID (the account).
func (b *builder) render(s string) string {
	toks := model.Tokens(s)
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if rule, ok := b.cfg.Lookup(t.Addr).(*model.PullThroughCacheRule); ok {
			if val := cacheRuleAttr(rule, t.Attr); val != "" {
				s = s[:t.Start] + val + s[t.End:]
			}
			continue
		}
		r, ok := b.cfg.Lookup(t.Addr).(*model.Repository)
		if !ok {
			continue
		}
		var val string
		switch t.Attr {
		case "repository_url":
			if r.URL.Known {
				val = r.URL.V
			}
		case "registry_id":
			if r.Account.Known {
				val = r.Account.V
			}
		case "name", "id":
			if r.Name.Known {
				val = r.Name.V
			}
		}
		if val != "" {
			s = s[:t.Start] + val + s[t.End:]
		}
	}
	return s
}

// cacheRuleAttr is what an image built from a pull through cache rule
// reads of it: "${aws_ecr_pull_through_cache_rule.hub.registry_id}.dkr.ecr…
// /${aws_ecr_pull_through_cache_rule.hub.ecr_repository_prefix}/library/nginx".
func cacheRuleAttr(rule *model.PullThroughCacheRule, attr string) string {
	switch attr {
	case "registry_id":
		if rule.Account.Known {
			return rule.Account.V
		}
	case "ecr_repository_prefix", "id":
		if rule.Prefix.Known {
			return rule.Prefix.V
		}
	}
	return ""
}

// numberText is f.Text('f', -1): the fewest decimal digits that read back
// as f at its precision, which math/big works out digit by digit (512 bits
// for cty's numbers; a tenth of the tree's cost on the public
// repositories). A whole number whose units f's precision holds, as a
// container's cpu, memory or port, reads back from no shorter decimal than
// its own digits, which strconv writes at once.
func numberText(f *big.Float) string {
	if f.Sign() != 0 && f.IsInt() && f.MantExp(nil) <= int(f.Prec()) {
		if i, acc := f.Int64(); acc == big.Exact {
			return strconv.FormatInt(i, 10)
		}
	}
	return f.Text('f', -1)
}
