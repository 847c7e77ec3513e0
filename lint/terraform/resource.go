package terraform

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

// resState is a resource or data block of one module instance, expanded
// into its instances on first use.
type resState struct {
	state  state
	r      *resource
	insts  []*resInst
	keyed  bool
	known  bool // the instances could be determined
	counts []eachData
}

// resInst is one instance of a resource, its arguments evaluated.
type resInst struct {
	addr  string // full address: `module.net.aws_subnet.private["a"]`
	typ   string
	mod   *modInst
	res   *resource
	each  eachData
	block *evalBlock
	// base is the value that references see: arguments, nested blocks and
	// the computed attributes of its type as tokens.
	base cty.Value
}

// instances evaluates a resource block once.
func (in *modInst) instances(rs *resState) *resState {
	if rs.state == done {
		return rs
	}
	addr := in.prefix() + rs.r.addr()
	if !in.ev.enter(&rs.state, addr, rs.r.block.DefRange) {
		return rs
	}
	defer in.ev.leave(&rs.state)
	counts, keyed, known := in.ev.expand(rs.r.count, rs.r.forEach, in.scope())
	rs.keyed, rs.known, rs.counts = keyed, known, counts
	if !known {
		in.ev.l.missing = append(in.ev.l.missing, Missing{
			What:  "how many instances of " + addr + " there are (count or for_each is unknown)",
			Hint:  "give the variables it depends on values with --var-file or --var",
			Range: rs.r.block.DefRange,
		})
		in.ev.noteUnknownCount(rs.r.count, rs.r.forEach, in.scope(), nil)
		return rs
	}
	for _, e := range counts {
		ri := &resInst{addr: instanceAddr(addr, e), typ: rs.r.typ, mod: in, res: rs.r, each: e}
		sc := &scope{inst: in, each: e}
		strs, lookup := awsDataStrings[rs.r.typ]
		modeled := modeledData[rs.r.typ] || isTemplateFile(in, rs.r)
		switch {
		case rs.r.mode == "data" && !modeled && !lookup:
			// Data sources of other providers read the world at plan
			// time: canpull cannot.
			ri.block = &evalBlock{typ: rs.r.typ, defRange: rs.r.block.DefRange, rng: rs.r.block.Body.MissingItemRange(), attrs: map[string]*evalAttr{}}
			ri.base = cty.DynamicVal
		case rs.r.mode == "data" && !modeled:
			ri.block = in.ev.evalBody(rs.r.body, blockPath(rs.r.mode, rs.r.typ), rs.r.block.DefRange, sc)
			ri.base = lookupValue(ri, strs)
		default:
			ri.block = in.ev.evalBody(rs.r.body, blockPath(rs.r.mode, rs.r.typ), rs.r.block.DefRange, sc)
			ri.base = in.ev.instanceValue(ri)
			// An instance's value holds the values of its arguments, which
			// may hold other instances: charged like any value built, so
			// that references alone cannot build a value that doubles.
			if !in.ev.l.charge(ri.base, rs.r.block.DefRange) {
				ri.base = cty.DynamicVal
			}
		}
		in.ev.resourceCount++
		in.ev.all = append(in.ev.all, ri)
		rs.insts = append(rs.insts, ri)
	}
	return rs
}

// resourceValue is what a reference to the resource evaluates to. extra
// names attributes the referring expression reads, so that an attribute
// canpull does not model becomes a token rather than an error.
func (in *modInst) resourceValue(rs *resState, extra []string) cty.Value {
	in.instances(rs)
	if rs.state != done || !rs.known {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, len(rs.insts))
	for i, ri := range rs.insts {
		vals[i] = ri.withAttrs(extra)
	}
	return collect(rs.counts, vals, rs.keyed)
}

// withAttrs adds tokens for attributes the base value lacks.
func (ri *resInst) withAttrs(extra []string) cty.Value {
	if !ri.base.Type().IsObjectType() || !ri.base.IsKnown() || ri.base.IsNull() {
		return ri.base
	}
	var missing []string
	for _, name := range extra {
		if !ri.base.Type().HasAttribute(name) {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return ri.base
	}
	m := ri.base.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	for _, name := range missing {
		if ri.res.mode == "data" {
			// A data source's attributes are modelled or listed (see
			// awsdata.go): any other is not a string canpull can stand for.
			m[name] = cty.DynamicVal
			continue
		}
		m[name] = cty.StringVal(model.Token(ri.addr, name))
	}
	return cty.ObjectVal(m)
}

// instanceValue builds the base value of a resource instance.
func (ev *evaluator) instanceValue(ri *resInst) cty.Value {
	if ri.res.mode == "data" {
		return ev.dataValue(ri)
	}
	m := ri.block.value()
	for _, name := range computedAttrs(ri.typ) {
		if v, ok := m[name]; !ok || v.IsNull() || isEmptyString(v) {
			// The provider takes "" for not set: it names the resource
			// itself (name = "" on a log group gets a generated name).
			m[name] = cty.StringVal(model.Token(ri.addr, name))
		}
	}
	return cty.ObjectVal(m)
}

// isEmptyString reports whether v is the known string "".
func isEmptyString(v cty.Value) bool {
	v, _ = v.Unmark()
	return v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() == ""
}

// computedAttrs are the attributes AWS sets, by resource type; every type
// gets id, arn and name.
func computedAttrs(typ string) []string {
	attrs := []string{"id", "arn", "name"}
	switch typ {
	case "aws_ecr_repository":
		attrs = append(attrs, "repository_url", "registry_id")
	case "aws_vpc":
		attrs = append(attrs, "default_route_table_id", "main_route_table_id", "default_security_group_id", "default_network_acl_id", "owner_id")
	case "aws_ecs_task_definition":
		attrs = append(attrs, "revision", "arn_without_revision", "family")
	case "aws_iam_role":
		attrs = append(attrs, "unique_id")
	case "aws_secretsmanager_secret", "aws_ssm_parameter", "aws_kms_key":
		attrs = append(attrs, "key_id", "version")
	case "aws_nat_gateway":
		attrs = append(attrs, "public_ip", "private_ip", "network_interface_id")
	case "aws_ecr_pull_through_cache_rule":
		attrs = append(attrs, "registry_id")
	case "aws_vpc_endpoint":
		attrs = append(attrs, "prefix_list_id", "cidr_blocks", "dns_entry", "network_interface_ids")
	}
	return attrs
}
