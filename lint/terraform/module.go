package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// module is one parsed module folder: its declarations, not yet evaluated.
type module struct {
	dir       string
	variables map[string]*variable
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	calls     map[string]*moduleCall
	resources []*resource // in source order: managed resources, then data sources
	byAddr    map[string]*resource
	providers []*providerBlock
}

type variable struct {
	name     string
	typ      hcl.Expression // nil: any
	def      hcl.Expression // nil: required
	decl     hcl.Range
	nullable bool
}

type moduleCall struct {
	name   string
	source string
	// version is the version constraint, "" when the call has none.
	version      string
	versionRange hcl.Range
	block        *hcl.Block
	body         hcl.Body // remaining arguments: the module's inputs
	count        hcl.Expression
	forEach      hcl.Expression
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
	return out, nil
}

// parseModule reads every configuration file of dir. A file that cannot be
// read or parsed is reported and contributes nothing: what hcl recovers of a
// broken file (a block cut short, an attribute missing) would look like
// configuration that is wrong. The rest of the module is still used, and
// the loader marks the configuration incomplete, so that no rule concludes
// anything from what is absent.
func (l *loader) parseModule(dir string) (*module, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	files, err := moduleFiles(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read module folder",
			Detail:   fmt.Sprintf("%s: %v", dir, err),
		}}
	}
	m := &module{
		dir:       dir,
		variables: map[string]*variable{},
		locals:    map[string]*hcl.Attribute{},
		outputs:   map[string]*hcl.Attribute{},
		calls:     map[string]*moduleCall{},
		byAddr:    map[string]*resource{},
	}
	for _, name := range files {
		f, ds := l.parseFile(name)
		diags = append(diags, ds...)
		if f == nil || ds.HasErrors() {
			l.broken = true
			continue
		}
		content, ds := f.Body.Content(fileSchema)
		diags = append(diags, ds...)
		for _, b := range content.Blocks {
			if b.Type != "variable" {
				keepFilteredKeys(b.Body)
			}
			diags = append(diags, m.declare(b)...)
		}
	}
	return m, diags
}

func (m *module) declare(b *hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch b.Type {
	case "variable":
		c, ds := b.Body.Content(variableSchema)
		diags = append(diags, ds...)
		v := &variable{name: b.Labels[0], decl: b.DefRange, nullable: true}
		if a := c.Attributes["type"]; a != nil {
			v.typ = a.Expr
		}
		if a := c.Attributes["default"]; a != nil {
			v.def = a.Expr
		}
		if a := c.Attributes["nullable"]; a != nil {
			if val, ds := a.Expr.Value(nil); !ds.HasErrors() && val.IsKnown() && !val.IsNull() && val.Type().FriendlyName() == "bool" {
				v.nullable = val.True()
			}
		}
		m.variables[v.name] = v
	case "locals":
		attrs, ds := b.Body.JustAttributes()
		diags = append(diags, ds...)
		for name, a := range attrs {
			m.locals[name] = a
		}
	case "output":
		c, ds := b.Body.Content(outputSchema)
		diags = append(diags, ds...)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[b.Labels[0]] = a
		}
	case "module":
		c, rest, ds := b.Body.PartialContent(moduleCallSchema)
		diags = append(diags, ds...)
		call := &moduleCall{name: b.Labels[0], block: b, body: rest}
		if a := c.Attributes["source"]; a != nil {
			if v, ds := a.Expr.Value(nil); !ds.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
				call.source = v.AsString()
			} else {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid module source",
					Detail: "A module's source must be a literal string.", Subject: a.Expr.Range().Ptr(),
				})
			}
		}
		if a := c.Attributes["version"]; a != nil {
			if v, ds := a.Expr.Value(nil); !ds.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
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
		c, rest, ds := b.Body.PartialContent(resourceMetaSchema)
		diags = append(diags, ds...)
		r := &resource{mode: b.Type, typ: b.Labels[0], name: b.Labels[1], block: b, body: rest}
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
		if m.byAddr[r.addr()] == nil {
			m.resources = append(m.resources, r)
			m.byAddr[r.addr()] = r
		}
	case "provider":
		c, rest, ds := b.Body.PartialContent(providerMetaSchema)
		diags = append(diags, ds...)
		p := &providerBlock{name: b.Labels[0], body: rest, block: b}
		if a := c.Attributes["alias"]; a != nil {
			if v, ds := a.Expr.Value(nil); !ds.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
				p.alias = v.AsString()
			}
		}
		m.providers = append(m.providers, p)
	}
	return diags
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
