package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/taskdef"
)

// containerTree turns container_definitions into a JSON tree whose ranges
// point into the source wherever the source allows it: the HCL of a
// jsonencode(…) argument, the JSON file that file() reads, a heredoc
// without interpolation. Anything else keeps the argument's range.
func (b *builder) containerTree(a *evalAttr) (*jsontree.Value, bool) {
	if !a.val.IsKnown() {
		return nil, false
	}
	if call, ok := a.expr.(*hclsyntax.FunctionCallExpr); ok && len(call.Args) == 1 {
		switch call.Name {
		case "jsonencode":
			v := b.ev.eval(call.Args[0], a.sc)
			if !v.IsKnown() {
				return nil, false
			}
			return b.toTree(v, call.Args[0], a.sc, call.Args[0].Range(), 0), true
		case "file":
			if t, ok := b.fileTree(call.Args[0], a); ok {
				return t, true
			}
		}
	}
	s, ok := knownString(a.val)
	if !ok {
		return nil, false
	}
	if tmpl, ok := a.expr.(*hclsyntax.TemplateExpr); ok && len(tmpl.Parts) == 1 {
		if lit, ok := tmpl.Parts[0].(*hclsyntax.LiteralValueExpr); ok && !strings.Contains(string(b.ev.l.sources[a.rng.Filename]), "$${") {
			if t, diags := jsontree.Parse(a.rng.Filename, []byte(s), lit.SrcRange.Start); !diags.HasErrors() {
				return t, true
			}
		}
	}
	t, diags := jsontree.Parse(a.rng.Filename, []byte(s), a.rng.Start)
	if diags.HasErrors() {
		b.ev.l.diags = append(b.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid container_definitions",
			Detail:   "container_definitions is not valid JSON: " + diags[0].Summary + ". AWS would refuse the task definition.",
			Subject:  a.rng.Ptr(),
		})
		return nil, false
	}
	setRange(t, a.rng)
	return t, true
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

// toTree converts an evaluated value into a JSON tree, walking the
// expression it came from in step to take ranges from it.
func (b *builder) toTree(v cty.Value, expr hclsyntax.Expression, sc *scope, fallback hcl.Range, depth int) *jsontree.Value {
	// Follow local.NAME to the local's own expression.
	if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok && depth < 8 && len(st.Traversal) == 2 && st.Traversal.RootName() == "local" {
		if name, ok := stepName(st.Traversal, 1); ok {
			if a := sc.inst.mod.locals[name]; a != nil {
				if se, ok := a.Expr.(hclsyntax.Expression); ok {
					return b.toTree(v, se, sc, se.Range(), depth+1)
				}
			}
		}
	}
	rng := fallback
	if expr != nil {
		rng = expr.Range()
	}
	t := &jsontree.Value{Range: rng}
	if depth > maxTreeDepth {
		t.Kind = jsontree.Unknown
		return t
	}
	switch {
	case !v.IsKnown():
		t.Kind = jsontree.Unknown
	case v.IsNull():
		t.Kind = jsontree.Null
	case v.Type().Equals(cty.String):
		t.Kind, t.Str = jsontree.String, v.AsString()
	case v.Type().Equals(cty.Number):
		t.Kind, t.Str = jsontree.Number, v.AsBigFloat().Text('f', -1)
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
			m.Value = b.toTree(vals[k], vexpr, sc, rng, depth+1)
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
			t.Items = append(t.Items, b.toTree(el, ex, sc, rng, depth+1))
		}
	default:
		t.Kind = jsontree.Unknown
	}
	return t
}

// objectKey is the literal key of an object constructor item.
func objectKey(e hclsyntax.Expression) (string, bool) {
	if k := hcl.ExprAsKeyword(e); k != "" {
		return k, true
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// containers decodes container_definitions into the task definition.
func (b *builder) containers(td *model.TaskDefinition, a *evalAttr) {
	if a == nil {
		td.ContainersKnown = true
		return
	}
	td.ContainersRange = a.rng
	tree, ok := b.containerTree(a)
	if !ok || tree.Kind == jsontree.Unknown {
		return
	}
	cs, diags := taskdef.DecodeContainers(tree)
	b.ev.l.diags = append(b.ev.l.diags, diags...)
	td.Containers, td.ContainersKnown = cs, true
	for _, c := range cs {
		b.resolveContainer(c)
	}
}

// resolveContainer follows the tokens inside a container definition: the
// repository an image comes from, the secrets it names.
func (b *builder) resolveContainer(c *model.Container) {
	if c.Image.Known && model.HasToken(c.Image.V) {
		for _, t := range model.Tokens(c.Image.V) {
			if b.typeOf[t.Addr] == "aws_ecr_repository" {
				c.ImageRepository = model.Ref{Addr: t.Addr, Known: true, Range: c.Image.Range}
			}
		}
		c.Image.V = b.render(c.Image.V)
		if model.HasToken(c.Image.V) {
			c.Image.Known = false
		}
	}
	secretTypes := []string{"aws_secretsmanager_secret", "aws_ssm_parameter", "aws_secretsmanager_secret_version"}
	resolve := func(r *model.Ref) {
		if r.Known && r.Addr == "" && r.Value != "" {
			*r = b.refString(r.Value, r.Range, secretTypes...)
		}
	}
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

// render replaces the tokens whose value the configuration determines: a
// repository's URL, its registry ID (the account).
func (b *builder) render(s string) string {
	toks := model.Tokens(s)
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
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
