package tfplan

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// plan indexes the parts of a plan file that the model is built from.
type plan struct {
	file string
	doc  *jsontree.Value

	// errored is the "errored" member when it is true: Terraform stopped
	// planning, and some resources are only in the configuration.
	errored *jsontree.Member

	// instances are the resource instances of planned_values, then the
	// data sources of prior_state, in file order.
	instances []*instance
	byAddr    map[string]*instance
	// byResource lists the instances of each resource: module instance
	// address + "|" + the resource's address within it.
	byResource map[string][]*instance
	// modules are the module instances, by address ("" for the root).
	modules map[string]*modInstance

	// changes are the resource_changes entries' "change" objects by
	// address.
	changes map[string]*jsontree.Value

	config    *modConfig
	providers map[string]*jsontree.Value // configuration.provider_config
	// variables are the root module's variable values.
	variables map[string]*jsontree.Value
}

// instance is one resource instance of the plan.
type instance struct {
	addr string
	ia   instanceAddr
	typ  string
	data bool
	node *jsontree.Value // the resource's object in planned_values
	// values are the planned values (prior_state's for data sources
	// read while planning); nil for a resource only in the configuration.
	values *jsontree.Value
	// addrRange is where the plan names the instance: its "address"
	// member in planned_values.
	addrRange hcl.Range
	cfg       *resConfig
	// known is false for a data source that is read only during apply.
	known bool
	// configOnly marks a resource of an errored plan that Terraform did
	// not plan: only the configuration describes it.
	configOnly bool
}

// modInstance is one instance of a module.
type modInstance struct {
	addr   string // "" for the root, `module.svc["api"]`
	cfg    *modConfig
	parent *modInstance
	call   string // its name in the parent's module_calls
	key    string // its count index or for_each key as written, when hasKey
	hasKey bool
}

// get returns the member named key of an object, or nil.
func get(v *jsontree.Value, key string) *jsontree.Value {
	if m := v.Get(key); m != nil {
		return m.Value
	}
	return nil
}

// str returns a string member, or "".
func str(v *jsontree.Value, key string) string {
	if s := get(v, key); s != nil && s.Kind == jsontree.String {
		return s.Str
	}
	return ""
}

// isTrue reports whether v is the JSON literal true.
func isTrue(v *jsontree.Value) bool { return v != nil && v.Kind == jsontree.Bool && v.Bool }

// memberRange covers a member from its key to the end of its value.
func memberRange(m *jsontree.Member) hcl.Range {
	return hcl.RangeBetween(m.KeyRange, m.Value.Range)
}

// index reads the plan's sections.
func index(file string, doc *jsontree.Value) *plan {
	p := &plan{
		file: file, doc: doc,
		byAddr:     map[string]*instance{},
		byResource: map[string][]*instance{},
		modules:    map[string]*modInstance{},
		changes:    map[string]*jsontree.Value{},
		providers:  map[string]*jsontree.Value{},
		variables:  map[string]*jsontree.Value{},
	}
	if m := doc.Get("errored"); m != nil && isTrue(m.Value) {
		p.errored = m
	}
	cfg := get(doc, "configuration")
	p.config = readModConfig(get(cfg, "root_module"), 0)
	if pc := get(cfg, "provider_config"); pc != nil && pc.Kind == jsontree.Object {
		for _, m := range pc.Members {
			p.providers[m.Key] = m.Value
		}
	}
	if vs := get(doc, "variables"); vs != nil && vs.Kind == jsontree.Object {
		for _, m := range vs.Members {
			if v := get(m.Value, "value"); v != nil {
				p.variables[m.Key] = v
			}
		}
	}
	p.modules[""] = &modInstance{cfg: p.config}
	if rcs := get(doc, "resource_changes"); rcs != nil && rcs.Kind == jsontree.Array {
		for _, rc := range rcs.Items {
			if a := str(rc, "address"); a != "" {
				p.changes[a] = get(rc, "change")
			}
		}
	}
	p.readModule(get(get(doc, "planned_values"), "root_module"), false, 0)
	// Data sources read while planning are in prior_state: their values
	// are known, so references to them cannot make a value unknown.
	p.readModule(get(get(get(doc, "prior_state"), "values"), "root_module"), true, 0)
	// Data sources whose reading waits for apply are only in
	// resource_changes.
	for addr, ch := range p.changes {
		ia, ok := parseInstance(addr)
		if !ok || p.byAddr[addr] != nil || !isData(ia.resource) || !isRead(ch) {
			continue
		}
		p.add(&instance{addr: addr, ia: ia, typ: dataType(ia.resource), data: true})
	}
	return p
}

// maxModuleDepth bounds the nesting of modules the plan may describe.
const maxModuleDepth = 64

// readModule reads a module of planned_values (or of prior_state, for its
// data sources), then its child modules.
func (p *plan) readModule(mod *jsontree.Value, prior bool, depth int) {
	if mod == nil || mod.Kind != jsontree.Object || depth > maxModuleDepth {
		return
	}
	if rs := get(mod, "resources"); rs != nil && rs.Kind == jsontree.Array {
		for _, r := range rs.Items {
			addrM := r.Get("address")
			if addrM == nil || addrM.Value.Kind != jsontree.String {
				continue
			}
			addr := addrM.Value.Str
			ia, ok := parseInstance(addr)
			if !ok || p.byAddr[addr] != nil {
				continue
			}
			data := str(r, "mode") == "data"
			if prior && !data {
				continue // an existing resource: planned_values has what it becomes
			}
			values := get(r, "values")
			if values == nil {
				// Terraform leaves "values" out when every one is unknown.
				values = &jsontree.Value{Kind: jsontree.Object, Range: r.Range}
			}
			p.add(&instance{addr: addr, ia: ia, typ: str(r, "type"), data: data, node: r, values: values,
				addrRange: memberRange(addrM), known: true})
		}
	}
	if cs := get(mod, "child_modules"); cs != nil && cs.Kind == jsontree.Array {
		for _, c := range cs.Items {
			p.readModule(c, prior, depth+1)
		}
	}
}

// add indexes an instance, creating its module instances on the way.
func (p *plan) add(in *instance) {
	in.cfg = p.config.resourceAt(in.ia.modulePath, in.ia.resource)
	p.instances = append(p.instances, in)
	p.byAddr[in.addr] = in
	k := in.ia.module + "|" + in.ia.resource
	p.byResource[k] = append(p.byResource[k], in)
	p.moduleInstance(in.ia.module)
}

// moduleInstance returns the module instance at addr, creating it and its
// ancestors; nil when addr does not scan or the configuration lacks it.
func (p *plan) moduleInstance(addr string) *modInstance {
	if mi, ok := p.modules[addr]; ok {
		return mi
	}
	parts, ok := splitParts(addr)
	if !ok || len(parts)%2 != 0 {
		p.modules[addr] = nil
		return nil
	}
	last := parts[len(parts)-1]
	parentAddr := ""
	for i := 0; i < len(parts)-2; i += 2 {
		parentAddr = join(parentAddr, "module."+parts[i+1].String())
	}
	parent := p.moduleInstance(parentAddr)
	var mi *modInstance
	if parent != nil && parent.cfg != nil {
		if call := parent.cfg.calls[last.name]; call != nil {
			mi = &modInstance{addr: addr, cfg: call.module, parent: parent, call: last.name, key: last.key, hasKey: last.hasKey}
		}
	}
	p.modules[addr] = mi
	return mi
}

// children returns the instances of a module call of mi that the plan has.
func (p *plan) children(mi *modInstance, call string) []*modInstance {
	var out []*modInstance
	prefix := join(mi.addr, "module."+call)
	for addr, c := range p.modules {
		if c != nil && c.parent == mi && c.call == call && (addr == prefix || len(addr) > len(prefix) && addr[:len(prefix)] == prefix && addr[len(prefix)] == '[') {
			out = append(out, c)
		}
	}
	sortModules(out)
	return out
}

func isData(rel string) bool { return len(rel) > 5 && rel[:5] == "data." }

// dataType is the type of a data source's module-relative address.
func dataType(rel string) string {
	parts, _ := splitParts(rel)
	if len(parts) == 3 {
		return parts[1].name
	}
	return ""
}

// isRead reports whether a change reads a data source.
func isRead(ch *jsontree.Value) bool {
	acts := get(ch, "actions")
	if acts == nil || acts.Kind != jsontree.Array {
		return false
	}
	for _, a := range acts.Items {
		if a.Kind == jsontree.String && a.Str == "read" {
			return true
		}
	}
	return false
}
