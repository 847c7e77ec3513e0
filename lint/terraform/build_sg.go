package terraform

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// securityGroups reads security groups and merges the separate rule
// resources into them. A group with no egress block and no egress rule
// resource has no outbound rule at all: Terraform removes AWS's default.
func (b *builder) securityGroups(vpcs map[string]*model.VPC) {
	groups := map[string]*model.SecurityGroup{}
	for _, typ := range sgTypes {
		for _, ri := range b.byType[typ] {
			eb := ri.block
			g := &model.SecurityGroup{Meta: b.meta(ri), VPC: b.ref(eb.attrs["vpc_id"], vpcTypes...),
				RulesKnown: true, IsDefault: typ == "aws_default_security_group"}
			for _, dir := range []string{"ingress", "egress"} {
				blocks, known := eb.nested(dir)
				g.RulesKnown = g.RulesKnown && known
				for _, rb := range blocks {
					r := b.sgRule(rb, false)
					if dir == "ingress" {
						g.Ingress = append(g.Ingress, r)
					} else {
						g.Egress = append(g.Egress, r)
					}
				}
			}
			if g.IsDefault {
				if v := vpcs[g.VPC.Addr]; v != nil {
					v.DefaultSecurityGroup = model.Ref{Addr: g.Addr, Known: true, Range: g.Range}
				}
			}
			groups[ri.addr] = g
			b.cfg.Add(g)
		}
	}
	unknown := false
	attach := func(groupAttr *evalAttr, egress bool, r *model.SGRule) {
		gr := b.ref(groupAttr, sgTypes...)
		g := groups[gr.Addr]
		if g == nil {
			unknown = unknown || !gr.Known
			return
		}
		if egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
	for _, ri := range b.byType["aws_security_group_rule"] {
		eb := ri.block
		typ := eb.str("type", "")
		if !typ.Known {
			unknown = true
			continue
		}
		r := b.sgRule(eb, false)
		r.Range = eb.defRange
		attach(eb.attrs["security_group_id"], typ.V == "egress", r)
	}
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		unknown = unknown || b.unknownTypes[typ]
		for _, ri := range b.byType[typ] {
			r := b.sgRule(ri.block, true)
			r.Range = ri.block.defRange
			attach(ri.block.attrs["security_group_id"], typ == "aws_vpc_security_group_egress_rule", r)
		}
	}
	if unknown || b.unknownTypes["aws_security_group_rule"] {
		for _, g := range groups {
			g.RulesKnown = false
		}
	}
}

// sgRule reads an inline rule, an aws_security_group_rule, or (vpcRule) an
// aws_vpc_security_group_*_rule, whose arguments are named differently.
func (b *builder) sgRule(eb *evalBlock, vpcRule bool) *model.SGRule {
	r := &model.SGRule{Range: eb.rng}
	if r.Range.Filename == "" {
		r.Range = eb.defRange
	}
	if vpcRule {
		r.Protocol = eb.str("ip_protocol", "")
		r.FromPort = eb.integer("from_port", -1)
		r.ToPort = eb.integer("to_port", -1)
		r.CIDRs = single(eb.str("cidr_ipv4", ""))
		r.IPv6CIDRs = single(eb.str("cidr_ipv6", ""))
		r.PrefixLists = refList(b.ref(eb.attrs["prefix_list_id"], "aws_ec2_managed_prefix_list"), eb.defRange)
		r.Groups = refList(b.ref(eb.attrs["referenced_security_group_id"], sgTypes...), eb.defRange)
		return r
	}
	r.Protocol = eb.str("protocol", "")
	r.FromPort = eb.integer("from_port", 0)
	r.ToPort = eb.integer("to_port", 0)
	r.CIDRs = eb.strings("cidr_blocks")
	r.IPv6CIDRs = eb.strings("ipv6_cidr_blocks")
	r.PrefixLists = b.refs(eb, "prefix_list_ids", "aws_ec2_managed_prefix_list")
	r.Groups = b.refs(eb, "security_groups", sgTypes...)
	if a := eb.attrs["source_security_group_id"]; a != nil {
		r.Groups = refList(b.ref(a, sgTypes...), eb.defRange)
	}
	r.Self = eb.boolean("self", false).V
	return r
}

func single(f model.Fact[string]) model.Fact[[]string] {
	if !f.Known {
		return model.UnknownFact[[]string](f.Range)
	}
	if !f.Set || f.V == "" {
		return model.DefaultFact[[]string](nil, f.Range)
	}
	return model.KnownFact([]string{f.V}, f.Range)
}

func refList(r model.Ref, def hcl.Range) model.Refs {
	if r.IsZero() {
		return model.Refs{Known: true, Range: def}
	}
	return model.Refs{Items: []model.Ref{r}, Known: true, Set: true, Range: r.Range}
}
