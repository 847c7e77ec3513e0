package tfplan

import (
	"regexp"
	"strings"
)

// Following references. A subnet's id is unknown until apply, so a plan
// that creates a service and its subnets together says only that the
// service's subnets are unknown. The configuration section says which
// resources the expression refers to ("aws_subnet.private", "var.subnets"),
// and through module calls and outputs which resources those are; where
// that names one resource instance (or, for a list, a set of them) without
// doubt, the value becomes a token that names it, as source evaluation
// would have made it. Anything less certain stays unknown.
//
// Only arguments that hold the ID or ARN of another resource are followed
// (refAttrs): an unknown policy document that mentions a role's ARN is not
// that role.

// refAttrs maps the arguments the model builder reads as references to the
// resource types they may name. An argument not listed is never turned
// into a reference.
var refAttrs = map[string][]string{
	"vpc_id":                       {"aws_vpc", "aws_default_vpc"},
	"subnet_id":                    {"aws_subnet"},
	"subnets":                      {"aws_subnet"},
	"subnet_ids":                   {"aws_subnet"},
	"route_table_id":               {"aws_route_table", "aws_default_route_table", "aws_vpc", "aws_default_vpc"},
	"route_table_ids":              {"aws_route_table", "aws_default_route_table", "aws_vpc", "aws_default_vpc"},
	"default_route_table_id":       {"aws_vpc"},
	"security_groups":              {"aws_security_group", "aws_default_security_group"},
	"security_group_ids":           {"aws_security_group", "aws_default_security_group"},
	"security_group_id":            {"aws_security_group", "aws_default_security_group"},
	"source_security_group_id":     {"aws_security_group", "aws_default_security_group"},
	"referenced_security_group_id": {"aws_security_group", "aws_default_security_group"},
	"prefix_list_id":               {"aws_ec2_managed_prefix_list", "aws_vpc_endpoint"},
	"prefix_list_ids":              {"aws_ec2_managed_prefix_list", "aws_vpc_endpoint"},
	"destination_prefix_list_id":   {"aws_ec2_managed_prefix_list", "aws_vpc_endpoint"},
	"gateway_id":                   {"aws_internet_gateway", "aws_vpn_gateway"},
	"internet_gateway_id":          {"aws_internet_gateway"},
	"nat_gateway_id":               {"aws_nat_gateway"},
	"egress_only_gateway_id":       {"aws_egress_only_internet_gateway"},
	"transit_gateway_id":           {"aws_ec2_transit_gateway"},
	"vpc_peering_connection_id":    {"aws_vpc_peering_connection"},
	"network_interface_id":         {"aws_network_interface"},
	"instance_id":                  {"aws_instance"},
	"vpc_endpoint_id":              {"aws_vpc_endpoint", "aws_networkfirewall_firewall"},
	"execution_role_arn":           {"aws_iam_role"},
	"task_role_arn":                {"aws_iam_role"},
	"role":                         {"aws_iam_role"},
	"role_name":                    {"aws_iam_role"},
	"roles":                        {"aws_iam_role"},
	"policy_arn":                   {"aws_iam_policy"},
	"policy_arns":                  {"aws_iam_policy"},
	"managed_policy_arns":          {"aws_iam_policy"},
	"permissions_boundary":         {"aws_iam_policy"},
	"cluster":                      {"aws_ecs_cluster"},
	"cluster_name":                 {"aws_ecs_cluster"},
	"task_definition":              {"aws_ecs_task_definition"},
	"repository":                   {"aws_ecr_repository"},
	"secret_arn":                   {"aws_secretsmanager_secret"},
	"kms_key_id":                   {"aws_kms_key", "aws_kms_alias"},
	"key_id":                       {"aws_kms_key", "aws_kms_alias"},
	"target_key_id":                {"aws_kms_key"},
	// Network ACLs, DHCP options, pull through cache rules.
	"network_acl_id":         {"aws_network_acl", "aws_default_network_acl", "aws_vpc", "aws_default_vpc"},
	"default_network_acl_id": {"aws_vpc", "aws_default_vpc"},
	"dhcp_options_id":        {"aws_vpc_dhcp_options", "aws_default_vpc_dhcp_options"},
	"credential_arn":         {"aws_secretsmanager_secret"},
	"custom_role_arn":        {"aws_iam_role"},
	// EC2 capacity: capacity provider, Auto Scaling group, launch
	// template or configuration, instance profile. Arguments of nested
	// blocks whose names say nothing alone (id, arn, name) are keyed by
	// their block: "launch_template.id".
	"auto_scaling_group_arn":                             {"aws_autoscaling_group"},
	"vpc_zone_identifier":                                {"aws_subnet"},
	"vpc_security_group_ids":                             {"aws_security_group", "aws_default_security_group"},
	"launch_configuration":                               {"aws_launch_configuration"},
	"iam_instance_profile":                               {"aws_iam_instance_profile"},
	"launch_template.id":                                 {"aws_launch_template"},
	"launch_template.name":                               {"aws_launch_template"},
	"launch_template_specification.launch_template_id":   {"aws_launch_template"},
	"launch_template_specification.launch_template_name": {"aws_launch_template"},
	"iam_instance_profile.arn":                           {"aws_iam_instance_profile"},
	"iam_instance_profile.name":                          {"aws_iam_instance_profile"},
}

// refKey is the key of refAttrs for argument k of a block named typ (""
// for a resource's own arguments): "launch_template.id" where refAttrs
// lists it, else k.
func refKey(typ, k string) string {
	if typ != "" {
		if q := typ + "." + k; refAttrs[q] != nil {
			return q
		}
	}
	return k
}

// target is what a reference names: an attribute of a resource instance.
type target struct {
	addr, attr string
}

// scope is where an expression is: the module instance, and the count
// index or for_each key of the resource instance (or module call) it
// belongs to, with the references of that for_each.
type scope struct {
	mod    *modInstance
	key    string
	hasKey bool
	// forEach are the references of the for_each expression.
	forEach []string
	// siblings counts the instances of the resource (or module call) the
	// expression belongs to.
	siblings int
}

// resolution is what a list of references names.
type resolution struct {
	targets []target
	// resources counts the distinct resources among the targets.
	resources map[string]bool
	// selectors is set when other references (variables, count.index,
	// known data sources) may choose among the targets.
	selectors bool
}

// maxRefDepth bounds how far references are followed through module
// variables and outputs.
const maxRefDepth = 32

// follow resolves an argument's references into the resource instances it
// names. list says the argument is a list or set. ok is false when the
// references cannot name the value for certain.
func (p *plan) follow(attr string, refs []string, sc scope, list bool) ([]target, bool) {
	types := refAttrs[attr]
	if types == nil || len(refs) == 0 {
		return nil, false
	}
	res, ok := p.resolve(refs, sc, list, 0)
	if !ok {
		return nil, false
	}
	var out []target
	kept := map[string]bool{}
	for _, t := range res.targets {
		in := p.byAddr[t.addr]
		if in == nil || !contains(types, in.typ) {
			continue
		}
		out = append(out, t)
		kept[in.ia.module+"|"+in.ia.resource] = true
	}
	switch {
	case len(out) == 0:
		return nil, false
	case !list && len(out) != 1:
		return nil, false
	case list && res.selectors && len(kept) > 1:
		// var.public ? aws_subnet.public[*].id : aws_subnet.private[*].id
		return nil, false
	}
	return out, true
}

// resolve collects the resource instances that references name, following
// module variables and outputs.
func (p *plan) resolve(refs []string, sc scope, list bool, depth int) (resolution, bool) {
	res := resolution{resources: map[string]bool{}}
	if depth > maxRefDepth || sc.mod == nil {
		return res, false
	}
	add := func(t target) {
		for i, have := range res.targets {
			if have.addr == t.addr {
				// "${aws_x.a.family}:${aws_x.a.revision}" names one instance.
				if have.attr == "id" {
					res.targets[i] = t
				}
				return
			}
		}
		res.targets = append(res.targets, t)
		if in := p.byAddr[t.addr]; in != nil {
			res.resources[in.ia.module+"|"+in.ia.resource] = true
		}
	}
	// whole lists resources referred to without an instance key or
	// attribute (aws_subnet.private[*].id), in order of mention.
	var whole []string
	specific := map[string]bool{}
	var wholeModules []string
	usedModules := map[string]bool{}
	// byIndex and byCount are set when each.key or count.index is among
	// the references: aws_subnet.private[count.index].id, or
	// element(aws_subnet.private[*].id, count.index).
	byIndex, byCount := false, false
	for _, ref := range refs {
		parts, ok := splitParts(ref)
		if !ok {
			return res, false
		}
		switch parts[0].name {
		case "count":
			byCount = true
			res.selectors = true
		case "each":
			switch {
			case len(parts) >= 2 && parts[1].name == "key":
				byIndex = true
				res.selectors = true
			case len(parts) >= 2 && parts[1].name == "value":
				// for_each = aws_subnet.public, subnet_id = each.value.id
				t, ok := p.eachValue(sc, parts[2:])
				if !ok {
					return res, false
				}
				add(t)
			default:
				return res, false
			}
		case "path", "terraform":
			res.selectors = true
		case "local", "self":
			// Locals are not in the plan: what they hold is unknown.
			return res, false
		case "var":
			if len(parts) < 2 {
				return res, false
			}
			sub, ok := p.variable(sc.mod, parts[1].name, list, depth)
			if !ok {
				return res, false
			}
			res.selectors = res.selectors || sub.selectors
			for _, t := range sub.targets {
				add(t)
			}
		case "module":
			if len(parts) < 2 {
				return res, false
			}
			if len(parts) == 2 {
				// Terraform lists "module.vpc" beside "module.vpc.out";
				// alone, the whole module's outputs are used.
				wholeModules = append(wholeModules, parts[1].name)
				continue
			}
			usedModules[parts[1].name] = true
			sub, ok := p.output(sc.mod, parts[1], parts[2].name, list, depth)
			if !ok {
				return res, false
			}
			res.selectors = res.selectors || sub.selectors
			for _, t := range sub.targets {
				add(t)
			}
		case "data":
			if len(parts) < 3 {
				return res, false
			}
			rel := "data." + parts[1].name + "." + parts[2].name
			for _, in := range p.byResource[sc.mod.addr+"|"+rel] {
				if !in.known {
					return res, false // read during apply: unknown, and not modeled
				}
			}
			res.selectors = true
		default:
			if len(parts) < 2 {
				return res, false
			}
			rel := parts[0].name + "." + parts[1].name
			insts := p.byResource[sc.mod.addr+"|"+rel]
			attr := ""
			if len(parts) > 2 {
				attr = parts[2].name
			}
			switch {
			case parts[1].hasKey:
				specific[rel] = true
				if in := p.byAddr[join(sc.mod.addr, parts[0].name+"."+parts[1].String())]; in != nil {
					add(target{in.addr, orID(attr)})
				}
			case attr != "":
				specific[rel] = true
				for _, in := range insts {
					if !in.ia.hasKey {
						add(target{in.addr, attr})
					}
				}
			default:
				whole = append(whole, rel)
			}
		}
	}
	for _, name := range wholeModules {
		if !usedModules[name] {
			return res, false
		}
	}
	for _, rel := range whole {
		if specific[rel] {
			continue
		}
		insts := p.byResource[sc.mod.addr+"|"+rel]
		switch {
		case (byIndex || byCount) && sc.hasKey:
			// aws_subnet.private[each.key].id is the instance of the same
			// key. With count.index the index may be computed
			// (element(…, var.single ? 0 : count.index)): only where there
			// are as many of one as of the other is it taken to pair them.
			in := p.byAddr[join(sc.mod.addr, rel+"["+sc.key+"]")]
			if in == nil || byCount && !byIndex && len(insts) != sc.siblings {
				return res, false
			}
			add(target{in.addr, "id"})
		case list || len(insts) == 1:
			for _, in := range insts {
				add(target{in.addr, "id"})
			}
		default:
			return res, false
		}
	}
	return res, true
}

// eachValue resolves each.value.ATTR where for_each iterates over the
// instances of one resource: it is the instance with the same key.
func (p *plan) eachValue(sc scope, rest []part) (target, bool) {
	if !sc.hasKey || len(sc.forEach) == 0 {
		return target{}, false
	}
	rel := ""
	for _, ref := range sc.forEach {
		parts, ok := splitParts(ref)
		if !ok || len(parts) != 2 || parts[1].hasKey || parts[0].name == "var" || parts[0].name == "local" ||
			parts[0].name == "module" || parts[0].name == "data" || parts[0].name == "each" || parts[0].name == "count" {
			return target{}, false
		}
		if r := parts[0].name + "." + parts[1].name; rel == "" || rel == r {
			rel = r
		} else {
			return target{}, false
		}
	}
	in := p.byAddr[join(sc.mod.addr, rel+"["+sc.key+"]")]
	if in == nil {
		return target{}, false
	}
	attr := "id"
	if len(rest) > 0 {
		attr = rest[0].name
	}
	return target{in.addr, attr}, true
}

func orID(attr string) string {
	if attr == "" {
		return "id"
	}
	return attr
}

// variable resolves var.NAME in a module instance: the module call's
// argument in the parent. A root variable's value is known (and written in
// the plan), so it only selects.
func (p *plan) variable(mi *modInstance, name string, list bool, depth int) (resolution, bool) {
	if mi.parent == nil {
		return resolution{selectors: true}, true
	}
	call := mi.parent.cfg.calls[mi.call]
	if call == nil {
		return resolution{}, false
	}
	m := call.expressions.Get(name)
	if m == nil {
		return resolution{selectors: true}, true // the variable's default
	}
	refs := references(m.Value)
	if len(refs) == 0 {
		return resolution{selectors: true}, true
	}
	sc := scope{mod: mi.parent, key: mi.key, hasKey: mi.hasKey, siblings: len(p.children(mi.parent, mi.call))}
	if call.forEach != nil {
		sc.forEach = references(call.forEach)
	}
	return p.resolve(refs, sc, list, depth+1)
}

// output resolves module.CALL.NAME from a module instance.
func (p *plan) output(mi *modInstance, call part, name string, list bool, depth int) (resolution, bool) {
	var insts []*modInstance
	if call.hasKey {
		if c := p.modules[join(mi.addr, "module."+call.String())]; c != nil {
			insts = append(insts, c)
		}
	} else {
		insts = p.children(mi, call.name)
	}
	if len(insts) == 0 || len(insts) > 1 && !list {
		return resolution{}, false
	}
	res := resolution{resources: map[string]bool{}}
	for _, c := range insts {
		expr := c.cfg.outputs[name]
		if expr == nil {
			return resolution{}, false
		}
		refs := references(expr)
		if len(refs) == 0 {
			res.selectors = true
			continue
		}
		sub, ok := p.resolve(refs, scope{mod: c}, list, depth+1)
		if !ok {
			return resolution{}, false
		}
		res.selectors = res.selectors || sub.selectors
		res.targets = append(res.targets, sub.targets...)
	}
	return res, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// idShape matches the IDs AWS gives network objects ("subnet-0a1b2c3d",
// "rtb-…", "sg-…"): a literal of this shape or an ARN, equal to the id of
// a resource instance of the plan, names that instance.
var idShape = regexp.MustCompile(`^[a-z]+(-[a-z]+)?-[0-9a-f]{8,17}$`)

// idAttrs are the attributes whose known values identify their resource;
// derived ones (a VPC's main route table) count only when no resource has
// the value as its own id or ARN.
var (
	idAttrs      = []string{"id", "arn"}
	derivedAttrs = map[string][]string{
		"aws_vpc":         {"main_route_table_id", "default_route_table_id", "default_security_group_id"},
		"aws_default_vpc": {"main_route_table_id", "default_route_table_id", "default_security_group_id"},
	}
)

// idIndex maps the known IDs and ARNs of the plan's resource instances to
// them. A value two instances share maps to nothing.
func (p *plan) idIndex() map[string]target {
	own := map[string]target{}
	derived := map[string]target{}
	put := func(m map[string]target, s string, t target) {
		if s == "" || !(strings.HasPrefix(s, "arn:") || idShape.MatchString(s)) {
			return
		}
		if prev, dup := m[s]; dup && prev.addr != t.addr {
			m[s] = target{}
			return
		}
		m[s] = t
	}
	for _, in := range p.instances {
		if in.data || in.values == nil {
			continue
		}
		for _, a := range idAttrs {
			put(own, str(in.values, a), target{in.addr, a})
		}
		for _, a := range derivedAttrs[in.typ] {
			put(derived, str(in.values, a), target{in.addr, a})
		}
	}
	for s, t := range derived {
		if _, ok := own[s]; !ok {
			own[s] = t
		}
	}
	return own
}
