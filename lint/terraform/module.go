package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// module is one parsed module folder: its declarations, not yet evaluated.
type module struct {
	dir       string
	variables map[string]*variable
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	// outputBlocks holds every output block, with or without a value.
	outputBlocks map[string]*hcl.Block
	calls        map[string]*moduleCall
	resources    []*resource // in source order: managed resources, then data sources
	byAddr       map[string]*resource
	providers    []*providerBlock
	// providerSources maps the provider local names of required_providers
	// to their sources ("template" → "hashicorp/template").
	providerSources map[string]string
	// metas holds what its expressions refer to (*exprMeta by
	// hcl.Expression), worked out on first use: the loads of a run share
	// the module, and may ask at once.
	metas sync.Map
}

type variable struct {
	name     string
	ty       cty.Type           // cty.DynamicPseudoType: any
	defaults *typeexpr.Defaults // optional() defaults of ty, if any
	def      cty.Value          // the default, when hasDef
	defExpr  hcl.Expression     // where the default is written
	hasDef   bool               // false: required
	decl     hcl.Range
	nullable bool
}

type moduleCall struct {
	name   string
	source string
	// version is the version constraint, "" when the call has none.
	version      string
	versionRange hcl.Range
	// sourceRange is where the source is written.
	sourceRange hcl.Range
	block       *hcl.Block
	body        hcl.Body       // remaining arguments: the module's inputs
	args        hcl.Attributes // body's attributes
	count       hcl.Expression
	forEach     hcl.Expression
	// providers is the providers = { aws = aws.west } map, by child name.
	providers map[string]hcl.Expression
}

type resource struct {
	mode    string // "resource" or "data"
	typ     string
	name    string
	block   *hcl.Block
	body    hcl.Body // without meta-arguments
	count   hcl.Expression
	forEach hcl.Expression
	// provider is "aws" or "aws.alias": the provider configuration it uses.
	provider string
}

// addr is the resource's address within its module: "aws_subnet.a" or
// "data.aws_iam_policy_document.pull".
func (r *resource) addr() string {
	if r.mode == "data" {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

type providerBlock struct {
	name  string // "aws"
	alias string
	body  hcl.Body
	block *hcl.Block
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
		{Name: "nullable"}, {Name: "ephemeral"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value"}, {Name: "description"}, {Name: "sensitive"}, {Name: "depends_on"}, {Name: "ephemeral"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "precondition"}},
}

var moduleCallSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true}, {Name: "version"}, {Name: "count"}, {Name: "for_each"},
		{Name: "providers"}, {Name: "depends_on"},
	},
}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "lifecycle"}, {Type: "connection"}, {Type: "provisioner", LabelNames: []string{"type"}},
	},
}

var providerMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "alias"}, {Name: "version"}},
}

// moduleFiles lists the configuration files of a module folder in the order
// Terraform reads them (lexical), leaving out override files, which canpull
// does not merge, and .tf files that a .tofu twin replaces (see files.go).
func moduleFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	return moduleFilesIn(dir, entries), nil
}

// moduleFilesIn is moduleFiles of a folder already listed.
func moduleFilesIn(dir string, entries []os.DirEntry) []string {
	present := map[string]bool{}
	for _, e := range entries {
		present[e.Name()] = !e.IsDir()
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !isConfigFile(name) {
			continue
		}
		if shadowed(name, func(n string) bool { return present[n] }) {
			continue
		}
		base := strings.TrimSuffix(name, configSuffix(name))
		if base == "override" || strings.HasSuffix(base, "_override") {
			continue
		}
		out = append(out, filepath.Join(dir, name))
	}
	sort.Strings(out)
	return out
}

// ownVarFiles are the variables files that Terraform reads by itself in a
// root module's folder (already listed): terraform.tfvars(.json), then
// *.auto.tfvars(.json) in lexical order.
func ownVarFiles(dir string, entries []os.DirEntry) []string {
	var own, auto []string
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "terraform.tfvars" || name == "terraform.tfvars.json":
			if p := filepath.Join(dir, name); fileExists(p) {
				own = append(own, p)
			}
		case strings.HasSuffix(name, ".auto.tfvars") || strings.HasSuffix(name, ".auto.tfvars.json"):
			auto = append(auto, filepath.Join(dir, name))
		}
	}
	sort.Strings(own)
	sort.Strings(auto)
	return append(own, auto...)
}

// declare adds a top-level block to the module. A second block of the same
// kind and name is an error, as in Terraform (with Terraform's words); the
// first one stays, and the configuration is marked incomplete.
func (l *loader) declare(m *module, b *hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	// literal is the value of an argument that may not refer to anything.
	literal := func(a *hcl.Attribute, typ string) (cty.Value, bool) {
		v, ds := l.literal(a.Expr)
		if ds.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type().FriendlyName() != typ {
			return cty.NilVal, false
		}
		return v, true
	}
	switch b.Type {
	case "terraform":
		l.requiredProviders(m, b)
	case "variable":
		name := b.Labels[0]
		if prev := m.variables[name]; prev != nil {
			return l.duplicate(m, "Duplicate variable declaration",
				fmt.Sprintf("A variable named %q was already declared at %s. Variable names must be unique within a module.", name, m.rel(prev.decl)), b.DefRange)
		}
		c, ds := b.Body.Content(variableSchema)
		diags = append(diags, ds...)
		v := &variable{name: name, decl: b.DefRange, nullable: true, ty: cty.DynamicPseudoType}
		if a := c.Attributes["type"]; a != nil {
			v.ty, v.defaults = l.typeConstraint(a.Expr)
		}
		if a := c.Attributes["default"]; a != nil {
			// A default is a literal: Terraform refuses references and
			// function calls in it ("Variables not allowed").
			dv, ds := l.literal(a.Expr)
			diags = append(diags, ds...)
			if !ds.HasErrors() && !l.budget.Stopped() {
				v.def, v.defExpr, v.hasDef = dv, a.Expr, true
			}
		}
		if a := c.Attributes["nullable"]; a != nil {
			if val, ok := literal(a, "bool"); ok {
				v.nullable = val.True()
			}
		}
		m.variables[v.name] = v
	case "locals":
		attrs, ds := b.Body.JustAttributes()
		diags = append(diags, ds...)
		for _, a := range sortedAttributes(attrs) {
			if prev := m.locals[a.Name]; prev != nil {
				diags = append(diags, l.duplicate(m, "Duplicate local value definition",
					fmt.Sprintf("A local value named %q was already defined at %s. Local value names must be unique within a module.", a.Name, m.rel(prev.Range)), a.NameRange)...)
				continue
			}
			m.locals[a.Name] = a
		}
	case "output":
		name := b.Labels[0]
		if prev := m.outputBlocks[name]; prev != nil {
			return l.duplicate(m, "Duplicate output definition",
				fmt.Sprintf("An output named %q was already defined at %s. Output names must be unique within a module.", name, m.rel(prev.DefRange)), b.DefRange)
		}
		m.outputBlocks[name] = b
		c, ds := b.Body.Content(outputSchema)
		diags = append(diags, ds...)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[name] = a
		}
	case "module":
		name := b.Labels[0]
		if prev := m.calls[name]; prev != nil {
			return l.duplicate(m, "Duplicate module call",
				fmt.Sprintf("A module call named %q was already defined at %s. Module calls must have unique names within a module.", name, m.rel(prev.block.DefRange)), b.DefRange)
		}
		c, rest, ds := b.Body.PartialContent(moduleCallSchema)
		diags = append(diags, ds...)
		call := &moduleCall{name: name, block: b, body: rest}
		call.args, _ = rest.JustAttributes() // a block there is not an argument: Terraform says so
		if a := c.Attributes["source"]; a != nil {
			if v, ok := literal(a, "string"); ok {
				call.source, call.sourceRange = v.AsString(), a.Expr.Range()
			} else {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid module source",
					Detail: "A module's source must be a literal string.", Subject: a.Expr.Range().Ptr(),
				})
			}
		}
		if a := c.Attributes["version"]; a != nil {
			if v, ok := literal(a, "string"); ok {
				call.version, call.versionRange = v.AsString(), a.Expr.Range()
			}
		}
		if a := c.Attributes["count"]; a != nil {
			call.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			call.forEach = a.Expr
		}
		if a := c.Attributes["providers"]; a != nil {
			call.providers = map[string]hcl.Expression{}
			pairs, ds := hcl.ExprMap(a.Expr)
			diags = append(diags, ds...)
			for _, p := range pairs {
				if k := hcl.ExprAsKeyword(p.Key); k != "" {
					call.providers[k] = p.Value
				} else if tr, ds := hcl.AbsTraversalForExpr(p.Key); !ds.HasErrors() {
					call.providers[traversalString(tr)] = p.Value
				}
			}
		}
		m.calls[call.name] = call
	case "resource", "data":
		r := &resource{mode: b.Type, typ: b.Labels[0], name: b.Labels[1], block: b}
		if prev := m.byAddr[r.addr()]; prev != nil {
			kind := "resource"
			if r.mode == "data" {
				kind = "data resource"
			}
			return l.duplicate(m, fmt.Sprintf("Duplicate %s %q configuration", r.mode, r.typ),
				fmt.Sprintf("A %s %s named %q was already declared at %s. Resource names must be unique per type in each module.", r.typ, kind, r.name, m.rel(prev.block.DefRange)), b.DefRange)
		}
		c, rest, ds := b.Body.PartialContent(resourceMetaSchema)
		diags = append(diags, ds...)
		r.body = rest
		if a := c.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		r.provider = providerLocalName(r.typ)
		if a := c.Attributes["provider"]; a != nil {
			if tr, ds := hcl.AbsTraversalForExpr(a.Expr); !ds.HasErrors() {
				r.provider = traversalString(tr)
			}
		}
		m.resources = append(m.resources, r)
		m.byAddr[r.addr()] = r
	case "provider":
		c, rest, ds := b.Body.PartialContent(providerMetaSchema)
		diags = append(diags, ds...)
		p := &providerBlock{name: b.Labels[0], body: rest, block: b}
		if a := c.Attributes["alias"]; a != nil {
			if v, ok := literal(a, "string"); ok {
				p.alias = v.AsString()
			}
		}
		m.providers = append(m.providers, p)
	}
	return diags
}

// typeConstraint reads a variable's type. The defaults of optional()
// attributes are evaluated first under the budget: typeexpr evaluates them
// without one, and they may hold for expressions over literal collections.
// A type canpull cannot read is any.
func (l *loader) typeConstraint(expr hcl.Expression) (cty.Type, *typeexpr.Defaults) {
	if se, ok := expr.(hclsyntax.Expression); ok {
		_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
			if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && call.Name == "optional" && len(call.Args) == 2 {
				_, _ = l.literal(call.Args[1])
			}
			return nil
		})
	}
	if l.budget.Stopped() {
		return cty.DynamicPseudoType, nil
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(expr)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, nil
	}
	return ty, defaults
}

// duplicate reports a second declaration of a name and marks the
// configuration incomplete: what the ignored block says is not known.
func (l *loader) duplicate(m *module, summary, detail string, subject hcl.Range) hcl.Diagnostics {
	l.broken = true
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject.Ptr()}}
}

// rel writes a range as Terraform does in its messages, with the file
// relative to the module's folder: "main.tf:1,1-13".
func (m *module) rel(r hcl.Range) string {
	if name, err := filepath.Rel(m.dir, r.Filename); err == nil && !strings.HasPrefix(name, "..") {
		r.Filename = filepath.ToSlash(name)
	}
	return r.String()
}

// sortedAttributes returns a body's attributes in source order.
func sortedAttributes(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}

// requiredProviders records the sources of a terraform block's
// required_providers: aws = { source = "hashicorp/aws" }. An entry that is
// only a version constraint (Terraform 0.12's form) names the provider of
// the hashicorp namespace, as no entry does.
func (l *loader) requiredProviders(m *module, b *hcl.Block) {
	c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "required_providers"}}})
	for _, rp := range c.Blocks {
		attrs, _ := rp.Body.JustAttributes()
		for name, a := range attrs {
			v, ds := l.literal(a.Expr)
			if ds.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute("source") {
				continue
			}
			if src := v.GetAttr("source"); src.Type() == cty.String && !src.IsNull() {
				if m.providerSources == nil {
					m.providerSources = map[string]string{}
				}
				m.providerSources[name] = src.AsString()
			}
		}
	}
}

// providerSource is the source address of the provider a resource belongs
// to, without the registry's host: "hashicorp/template". A local name that
// required_providers does not list is hashicorp's, as Terraform assumes.
func (m *module) providerSource(r *resource) string {
	local, _, _ := strings.Cut(r.provider, ".")
	src, ok := m.providerSources[local]
	if !ok {
		return "hashicorp/" + local
	}
	src = strings.ToLower(src)
	for _, host := range []string{"registry.terraform.io/", "registry.opentofu.org/"} {
		src = strings.TrimPrefix(src, host)
	}
	return src
}

// providerLocalName is the provider a resource type belongs to by default:
// the prefix before the first underscore.
func providerLocalName(typ string) string {
	if i := strings.IndexByte(typ, '_'); i > 0 {
		return typ[:i]
	}
	return typ
}

func traversalString(tr hcl.Traversal) string {
	var b strings.Builder
	for i, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		}
	}
	return b.String()
}

// isSyntaxBody reports whether a body came from native syntax (.tf), whose
// blocks can be read without a schema.
func isSyntaxBody(b hcl.Body) (*hclsyntax.Body, bool) {
	sb, ok := b.(*hclsyntax.Body)
	return sb, ok
}
