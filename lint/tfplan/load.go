// Package tfplan loads the JSON form of a Terraform plan (`terraform show
// -json PLAN`, `tofu show -json PLAN`) into the model.
//
// A plan knows what source evaluation cannot: the values of registry
// modules, remote state and data sources. It does not know what only apply
// will tell (a new subnet's ID), so references between resources come from
// the plan's configuration section instead. The mapping from resource
// attributes to the model is lint/terraform's: a plan's attribute values
// have the shapes of the provider's schema, as evaluated source does.
package tfplan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform"
)

// Options are the inputs of a load besides the file.
type Options struct {
	// AccountID is the account the tasks run in, when the user said.
	AccountID string
}

// Result is a loaded plan.
type Result struct {
	// Config is nil when the file is not a plan canpull can read.
	Config *model.Config
	// Missing lists facts the plan does not establish.
	Missing []terraform.Missing
	Diags   hcl.Diagnostics
}

// Load reads one plan file.
func Load(name string, src []byte, opts Options) *Result {
	doc, diags := jsontree.Parse(name, src, hcl.InitialPos)
	if diags.HasErrors() {
		return &Result{Diags: diags}
	}
	return LoadTree(name, doc, opts)
}

// LoadTree loads a plan already parsed.
func LoadTree(name string, doc *jsontree.Value, opts Options) *Result {
	if !isPlan(doc) {
		// State, or a provider schema: JSON of Terraform's that is not a
		// plan, and nothing canpull reads.
		return &Result{}
	}
	if d := checkFormat(name, doc); d != nil {
		return &Result{Diags: hcl.Diagnostics{d}}
	}
	p := index(name, doc)
	c := &converter{p: p, ids: p.idIndex()}
	in := terraform.Instances{Providers: p.providerSettings(), AccountID: opts.AccountID}
	onlyInConfig := 0
	if p.errored != nil {
		// Resources Terraform did not get to: add them first, so that
		// references to them are followed too.
		in.UnknownCount, in.Incomplete = p.addConfigOnly()
	}
	for _, inst := range p.instances {
		it := terraform.Instance{Addr: inst.addr, Type: inst.typ, Data: inst.data, Provider: providerKey(inst.cfg)}
		switch {
		case inst.data || !terraform.Modeled(inst.typ):
		case inst.values != nil:
			it.Body = c.instanceBody(inst)
		case inst.configOnly:
			it.Body = c.configBody(block{exprs: inst.cfg.expressions, defRange: inst.addrRange, rng: inst.cfg.node.Range}, c.scopeOf(inst))
			onlyInConfig++
		}
		in.List = append(in.List, it)
	}
	res := &Result{}
	if p.errored != nil {
		why := fmt.Sprintf("Terraform stopped planning with an error (\"errored\": true) before it planned %d of the resources; canpull read those from the configuration, where only constants and references are known.", onlyInConfig)
		res.Missing = append(res.Missing, terraform.Missing{What: "the plan is incomplete: Terraform did not finish it", Why: why,
			Hint: "fix the error terraform plan reported, then lint the new plan", Range: memberRange(p.errored)})
		res.Diags = append(res.Diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Incomplete plan",
			Detail: why + " Fix the error terraform plan reported, then lint the new plan.", Subject: rangePtr(memberRange(p.errored))})
	}
	cfg, missing, diags := terraform.BuildInstances(in)
	cfg.Plan = true
	cfg.Files = []string{name}
	cfg.SortObjects()
	res.Config = cfg
	res.Missing = append(res.Missing, planHints(missing)...)
	res.Diags = append(res.Diags, diags...)
	return res
}

func rangePtr(r hcl.Range) *hcl.Range { return &r }

// checkFormat refuses plans of a format version canpull does not read
// (only 1.x exists).
func checkFormat(name string, doc *jsontree.Value) *hcl.Diagnostic {
	m := doc.Get("format_version")
	if m.Value.Kind != jsontree.String {
		r := m.Value.Range
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid plan format version",
			Detail: "format_version is a " + m.Value.Kind.String() + "; terraform show -json writes a string such as \"1.2\".", Subject: &r}
	}
	if major, _, _ := strings.Cut(m.Value.Str, "."); major != "1" {
		r := m.Value.Range
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported plan format",
			Detail:  fmt.Sprintf("the plan's format_version is %q; canpull reads format 1.x, which Terraform 0.12 to 1.x and OpenTofu write.", m.Value.Str),
			Subject: &r}
	}
	return nil
}

// providerKey names the provider configuration a resource uses.
func providerKey(rc *resConfig) string {
	if rc == nil || rc.providerKey == "" {
		return "aws"
	}
	return rc.providerKey
}

// instanceBody converts a planned resource instance.
func (c *converter) instanceBody(in *instance) *terraform.Body {
	ch := c.p.changes[in.addr]
	b := block{vals: in.values, unknown: get(ch, "after_unknown"), defRange: in.addrRange, rng: in.node.Range}
	// sensitive_values sits beside the values; after_sensitive says the
	// same in resource_changes.
	if b.sensitive = get(in.node, "sensitive_values"); b.sensitive == nil {
		b.sensitive = get(ch, "after_sensitive")
	}
	if in.cfg != nil {
		b.exprs, b.described = in.cfg.expressions, true
	}
	return c.body(b, c.scopeOf(in))
}

func (c *converter) scopeOf(in *instance) scope {
	sc := scope{mod: c.p.modules[in.ia.module], key: in.ia.key, hasKey: in.ia.hasKey,
		siblings: len(c.p.byResource[in.ia.module+"|"+in.ia.resource])}
	if in.cfg != nil && in.cfg.forEach != nil {
		sc.forEach = references(in.cfg.forEach)
	}
	return sc
}

// planHints rewrites the builder's notes, which speak of variables and
// templates, for a plan: there, what is unknown is what Terraform learns
// only at apply (or hides as sensitive), and the source says more.
func planHints(ms []terraform.Missing) []terraform.Missing {
	for i := range ms {
		// "the container definitions of X are unknown: because …"
		ms[i].What, _, _ = strings.Cut(ms[i].What, ":")
		ms[i].Why = "The plan knows them only after apply: they hold a value that Terraform computes then, or one it marks sensitive."
		ms[i].Hint = "lint the Terraform configuration too: there canpull follows the references that the plan cannot resolve"
	}
	return ms
}

// addConfigOnly adds to an errored plan the resource instances that only
// the configuration describes, and says of which types an unknown number
// may be missing, and whether module instances may be.
func (p *plan) addConfigOnly() (unknownCount []string, incomplete bool) {
	seenType := map[string]bool{}
	unknown := func(typ string) {
		if !seenType[typ] {
			seenType[typ] = true
			unknownCount = append(unknownCount, typ)
		}
	}
	var walk func(mi *modInstance, depth int)
	walk = func(mi *modInstance, depth int) {
		if depth > maxModuleDepth || mi.cfg == nil {
			return
		}
		for _, rc := range mi.cfg.order {
			if rc.data || !terraform.Modeled(rc.typ) {
				continue
			}
			keys, known := instanceKeys(rc.count, rc.forEach)
			if !known {
				if len(p.byResource[mi.addr+"|"+rc.rel]) == 0 {
					unknown(rc.typ)
				}
				continue
			}
			for _, k := range keys {
				addr := join(mi.addr, rc.rel+k)
				if p.byAddr[addr] != nil {
					continue
				}
				ia, ok := parseInstance(addr)
				if !ok {
					continue
				}
				in := &instance{addr: addr, ia: ia, typ: rc.typ, configOnly: true, addrRange: rc.node.Range}
				if m := rc.node.Get("address"); m != nil {
					in.addrRange = memberRange(m)
				}
				p.add(in)
			}
		}
		for _, name := range sortedCalls(mi.cfg) {
			call := mi.cfg.calls[name]
			keys, known := instanceKeys(call.count, call.forEach)
			var children []*modInstance
			if known {
				for _, k := range keys {
					if ch := p.moduleInstance(join(mi.addr, "module."+name+k)); ch != nil {
						children = append(children, ch)
					}
				}
			} else {
				children = p.children(mi, name)
				if len(children) == 0 {
					incomplete = true // module instances the plan cannot count
				}
			}
			for _, ch := range children {
				walk(ch, depth+1)
			}
		}
	}
	walk(p.modules[""], 0)
	return unknownCount, incomplete
}

func sortedCalls(mc *modConfig) []string {
	names := make([]string, 0, len(mc.calls))
	for n := range mc.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// maxConfigInstances bounds the instances a constant count or for_each
// may ask for.
const maxConfigInstances = 1000

// instanceKeys lists the instance keys that constant count and for_each
// expressions give, as addresses write them ("", "[0]", `["a"]`). known
// is false when either is not a constant.
func instanceKeys(count, forEach *jsontree.Value) (keys []string, known bool) {
	switch {
	case count != nil:
		v := constant(count)
		if v == nil || v.Kind != jsontree.Number {
			return nil, false
		}
		n, err := strconv.Atoi(v.Str)
		if err != nil || n < 0 || n > maxConfigInstances {
			return nil, false
		}
		for i := range n {
			keys = append(keys, "["+strconv.Itoa(i)+"]")
		}
		return keys, true
	case forEach != nil:
		v := constant(forEach)
		if v == nil {
			return nil, false
		}
		var names []string
		switch v.Kind {
		case jsontree.Object:
			for _, m := range v.Members {
				names = append(names, m.Key)
			}
		case jsontree.Array:
			for _, it := range v.Items {
				if it.Kind != jsontree.String {
					return nil, false
				}
				names = append(names, it.Str)
			}
		default:
			return nil, false
		}
		if len(names) > maxConfigInstances {
			return nil, false
		}
		for _, n := range names {
			keys = append(keys, "["+strconv.Quote(n)+"]")
		}
		return keys, true
	}
	return []string{""}, true
}

// listAttrs are the reference arguments that hold lists, for resources
// whose planned values (and so their shapes) are missing.
var listAttrs = map[string]bool{
	"subnets": true, "subnet_ids": true, "security_groups": true, "security_group_ids": true,
	"route_table_ids": true, "roles": true, "policy_arns": true, "managed_policy_arns": true, "prefix_list_ids": true,
}

// configBody converts a resource that only the configuration describes:
// constants are known, references are followed, the rest is unknown.
func (c *converter) configBody(b block, sc scope) *terraform.Body {
	out := &terraform.Body{Type: b.typ, DefRange: b.defRange, Range: b.rng, Attrs: map[string]terraform.Attr{}}
	if b.exprs == nil || b.exprs.Kind != jsontree.Object {
		return out
	}
	for _, m := range b.exprs.Members {
		switch m.Value.Kind {
		case jsontree.Array:
			for _, item := range m.Value.Items {
				if item.Kind == jsontree.Object {
					out.Blocks = append(out.Blocks, c.configBody(block{typ: m.Key, exprs: item, defRange: openRange(item), rng: item.Range}, sc))
				}
			}
		case jsontree.Object:
			rng := memberRange(&m)
			if v := constant(m.Value); v != nil {
				out.Attrs[m.Key] = terraform.Attr{Value: c.value(m.Key, v, nil, nil, nil, sc, 0), Range: v.Range}
			} else if ts, ok := c.p.follow(m.Key, references(m.Value), sc, listAttrs[m.Key]); ok {
				out.Attrs[m.Key] = terraform.Attr{Value: tokens(ts, listAttrs[m.Key]), Range: rng}
			} else {
				out.Attrs[m.Key] = terraform.Attr{Value: cty.DynamicVal, Range: rng}
			}
		}
	}
	return out
}
