package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

// provider is one provider configuration as a module instance sees it.
type provider struct {
	block           *providerBlock
	inst            *modInst // the module instance that declares it
	state           state
	region, account model.Fact[string]
}

// resolveProviders maps the provider names a module instance uses ("aws",
// "aws.west") to configurations: the module's own blocks, those passed in
// with providers = {…}, and the caller's default configurations, which
// Terraform passes down implicitly.
func (in *modInst) resolveProviders() map[string]*provider {
	out := map[string]*provider{}
	if in.parent != nil {
		for name, p := range in.parent.providers {
			if !strings.Contains(name, ".") {
				out[name] = p
			}
		}
		for child, expr := range in.call.providers {
			if tr, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() {
				if p := in.parent.providers[traversalString(tr)]; p != nil {
					out[child] = p
				}
			}
		}
	}
	for _, b := range in.mod.providers {
		name := b.name
		if b.alias != "" {
			name += "." + b.alias
		}
		out[name] = &provider{block: b, inst: in}
	}
	return out
}

// settings evaluates the region and account of a provider configuration.
func (p *provider) settings(fallbackAccount string) (region, account model.Fact[string]) {
	if p == nil {
		return model.Fact[string]{}, accountFallback(fallbackAccount)
	}
	if p.state == done {
		return p.region, p.account
	}
	p.state = done
	ev := p.inst.ev
	eb := ev.evalBody(p.block.body, "provider."+p.block.name, p.block.block.DefRange, p.inst.scope())
	if a := eb.attrs["region"]; a != nil {
		p.region = stringFact(a)
		if p.region.Known && p.region.V == "" {
			// An empty region is no region: the provider takes it from
			// AWS_REGION or the shared config when terraform runs.
			p.region = model.UnknownFact[string](a.rng)
		}
	}
	p.account = accountFallback(fallbackAccount)
	if a := eb.attrs["allowed_account_ids"]; a != nil {
		if ids := knownStrings(a.val); len(ids) == 1 {
			p.account = model.KnownFact(ids[0], a.rng)
		}
	}
	// assume_role is a block, or a list attribute in provider versions that
	// allow several.
	roles, _ := eb.nested("assume_role")
	if len(roles) == 1 {
		if a := roles[0].attrs["role_arn"]; a != nil {
			if s, ok := knownString(a.val); ok {
				if acct := arnAccount(s); acct != "" {
					p.account = model.KnownFact(acct, a.rng)
				}
			}
		}
	}
	return p.region, p.account
}

// key names a provider configuration for the tokens that stand for its
// account and region: "provider.aws", "module.net.provider.aws.west".
func (p *provider) key() string {
	if p == nil {
		return "provider.aws"
	}
	name := p.block.name
	if p.block.alias != "" {
		name += "." + p.block.alias
	}
	return p.inst.prefix() + "provider." + name
}

func accountFallback(id string) model.Fact[string] {
	if id == "" {
		return model.Fact[string]{}
	}
	return model.Fact[string]{V: id, Known: true}
}

// arnAccount returns the account of an ARN, or "".
func arnAccount(arn string) string { return model.ARNAccount(arn) }

func knownString(v cty.Value) (string, bool) {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// knownStrings returns the elements of a known list or set of strings, or
// nil when any is unknown.
func knownStrings(v cty.Value) []string {
	if !v.IsWhollyKnown() || v.IsNull() || !v.CanIterateElements() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		s, ok := knownString(el)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}
