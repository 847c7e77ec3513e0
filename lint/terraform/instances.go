package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

// Instances are resource instances whose arguments are values already, as
// a Terraform plan holds them. BuildInstances maps them to the model with
// the same code that maps evaluated source, so that a plan and the source
// it came from give the same model.
type Instances struct {
	List []Instance
	// Providers are the provider configurations by key ("aws",
	// "aws.west", "module.net:aws"); an instance names one of them.
	// "aws" is the default configuration.
	Providers map[string]Provider
	// UnknownCount names resource types of which there may be instances
	// that List lacks.
	UnknownCount []string
	// Incomplete is set when objects of any kind may be missing.
	Incomplete bool
	// AccountID is the account the tasks run in, when the user said.
	AccountID string
}

// Provider is the region and account of a provider configuration.
type Provider struct {
	Region, Account model.Fact[string]
}

// Instance is one resource instance.
type Instance struct {
	// Addr is its full address: `module.svc.aws_ecs_service.this[0]`.
	Addr string
	Type string
	// Data is set for data sources.
	Data bool
	// Provider is the key of its provider configuration in
	// Instances.Providers.
	Provider string
	// Body holds its arguments. Values that name other resource instances
	// are model tokens (model.Token), as evaluation produces them.
	Body *Body
}

// Body is a block with its values: the arguments written, and the nested
// blocks.
type Body struct {
	// Type is a nested block's type; "" for a resource.
	Type string
	// DefRange names the block: the resource's address, a nested block's
	// opening. Facts left out take it as their range.
	DefRange hcl.Range
	Range    hcl.Range
	Attrs    map[string]Attr
	Blocks   []*Body
	// UnknownBlocks are nested block types whose number is unknown.
	UnknownBlocks []string
}

// Attr is an argument's value and where it is written.
type Attr struct {
	Value cty.Value
	Range hcl.Range
}

// BuildInstances builds the model from instances. The diagnostics are
// input errors met on the way (container definitions that are not JSON);
// the Missing entries are facts it could not establish.
func BuildInstances(in Instances) (*model.Config, []Missing, hcl.Diagnostics) {
	l := &loader{opts: Options{AccountID: in.AccountID}, sources: map[string][]byte{}, modules: map[string]*module{}}
	ev := &evaluator{l: l}
	root := &modInst{ev: ev, providers: map[string]*provider{}}
	for key, p := range in.Providers {
		root.providers[key] = &provider{state: done, region: p.Region, account: p.Account}
	}
	if root.providers["aws"] == nil {
		root.providers["aws"] = &provider{state: done, account: accountFallback(in.AccountID)}
	}
	ev.root = root

	b := newBuilder(ev)
	for _, it := range in.List {
		b.typeOf[it.Addr] = it.Type
		if it.Data || it.Body == nil || !modeledTypes[it.Type] {
			continue
		}
		provider := it.Provider
		if root.providers[provider] == nil {
			provider = "aws"
		}
		ri := &resInst{addr: it.Addr, typ: it.Type, mod: root,
			res: &resource{mode: "resource", typ: it.Type, provider: provider}, block: it.Body.eval()}
		b.byType[it.Type] = append(b.byType[it.Type], ri)
	}
	for _, typ := range in.UnknownCount {
		b.unknownTypes[typ] = true
	}
	if in.Incomplete {
		b.cfg.SetIncomplete(model.KindAll)
	}
	cfg := b.run()
	return cfg, l.missing, l.diags
}

// eval turns a Body into the evaluated block the builder reads.
func (bd *Body) eval() *evalBlock {
	eb := &evalBlock{typ: bd.Type, defRange: bd.DefRange, rng: bd.Range, attrs: make(map[string]*evalAttr, len(bd.Attrs))}
	for name, a := range bd.Attrs {
		eb.attrs[name] = &evalAttr{name: name, val: a.Value, rng: a.Range}
	}
	for _, child := range bd.Blocks {
		eb.blocks = append(eb.blocks, child.eval())
	}
	for _, typ := range bd.UnknownBlocks {
		if eb.unknownBlocks == nil {
			eb.unknownBlocks = map[string]bool{}
		}
		eb.unknownBlocks[typ] = true
	}
	return eb
}

// Modeled reports whether resources of a type contribute to the model, so
// that callers can skip converting the others.
func Modeled(typ string) bool { return modeledTypes[typ] }
