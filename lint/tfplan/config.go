package tfplan

import (
	"sort"
	"strings"

	"github.com/canpull/canpull/lint/jsontree"
)

// The plan's "configuration" section: the modules as written, with the
// constant values and references of every expression (not the expressions
// themselves: locals, function calls and for expressions are not there).

// modConfig is one module of the configuration.
type modConfig struct {
	resources map[string]*resConfig // by address within the module
	order     []*resConfig
	calls     map[string]*callConfig
	outputs   map[string]*jsontree.Value // output name → its expression
}

// resConfig is a resource or data block.
type resConfig struct {
	rel  string // "aws_subnet.private", "data.aws_iam_policy_document.x"
	typ  string
	data bool
	node *jsontree.Value
	// expressions holds the arguments written: each an expression
	// ({"constant_value": …} and/or {"references": […]}), or for a nested
	// block an array of objects of expressions.
	expressions *jsontree.Value
	providerKey string
	// count and forEach are the count_expression and for_each_expression.
	count, forEach *jsontree.Value
}

// callConfig is a module call.
type callConfig struct {
	expressions    *jsontree.Value
	count, forEach *jsontree.Value
	module         *modConfig
}

func readModConfig(v *jsontree.Value, depth int) *modConfig {
	mc := &modConfig{resources: map[string]*resConfig{}, calls: map[string]*callConfig{}, outputs: map[string]*jsontree.Value{}}
	if v == nil || v.Kind != jsontree.Object || depth > maxModuleDepth {
		return mc
	}
	if rs := get(v, "resources"); rs != nil && rs.Kind == jsontree.Array {
		for _, r := range rs.Items {
			rc := &resConfig{typ: str(r, "type"), data: str(r, "mode") == "data", node: r,
				expressions: get(r, "expressions"), providerKey: str(r, "provider_config_key"),
				count: get(r, "count_expression"), forEach: get(r, "for_each_expression")}
			name := str(r, "name")
			if rc.typ == "" || name == "" {
				continue
			}
			rc.rel = rc.typ + "." + name
			if rc.data {
				rc.rel = "data." + rc.rel
			}
			if mc.resources[rc.rel] == nil {
				mc.resources[rc.rel] = rc
				mc.order = append(mc.order, rc)
			}
		}
	}
	if cs := get(v, "module_calls"); cs != nil && cs.Kind == jsontree.Object {
		for _, m := range cs.Members {
			mc.calls[m.Key] = &callConfig{
				expressions: get(m.Value, "expressions"),
				count:       get(m.Value, "count_expression"),
				forEach:     get(m.Value, "for_each_expression"),
				module:      readModConfig(get(m.Value, "module"), depth+1),
			}
		}
	}
	if os := get(v, "outputs"); os != nil && os.Kind == jsontree.Object {
		for _, m := range os.Members {
			if e := get(m.Value, "expression"); e != nil {
				mc.outputs[m.Key] = e
			}
		}
	}
	return mc
}

// resourceAt returns the configuration of a resource of the module at a
// call path ("svc.task"), or nil.
func (mc *modConfig) resourceAt(path, rel string) *resConfig {
	m := mc.moduleAt(path)
	if m == nil {
		return nil
	}
	return m.resources[rel]
}

// moduleAt returns the module at a call path, or nil.
func (mc *modConfig) moduleAt(path string) *modConfig {
	m := mc
	if path == "" {
		return m
	}
	for _, name := range strings.Split(path, ".") {
		c := m.calls[name]
		if c == nil {
			return nil
		}
		m = c.module
	}
	return m
}

// references lists an expression's references, or nil.
func references(expr *jsontree.Value) []string {
	rs := get(expr, "references")
	if rs == nil || rs.Kind != jsontree.Array {
		return nil
	}
	out := make([]string, 0, len(rs.Items))
	for _, r := range rs.Items {
		if r.Kind == jsontree.String {
			out = append(out, r.Str)
		}
	}
	return out
}

// constant returns an expression's constant value, or nil.
func constant(expr *jsontree.Value) *jsontree.Value { return get(expr, "constant_value") }

func sortModules(ms []*modInstance) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].addr < ms[j].addr })
}
