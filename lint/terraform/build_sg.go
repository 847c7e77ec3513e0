package terraform

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// prefixListTypes are what a rule's prefix list may refer to: a managed
// prefix list, or a gateway endpoint's prefix_list_id (S3's addresses).
var prefixListTypes = []string{"aws_ec2_managed_prefix_list", "aws_vpc_endpoint"}

// securityGroups reads security groups and merges the separate rule
// resources into them. A group with no egress block and no egress rule
// resource has no outbound rule at all: Terraform removes AWS's default.
func (nb *netBuild) securityGroups() {
	for _, typ := range sgTypes {
		for _, ri := range nb.byType[typ] {
			eb := ri.block
			g := &model.SecurityGroup{Meta: nb.meta(ri), VPC: nb.ref(eb.attrs["vpc_id"], vpcTypes...),
				RulesKnown: true, IsDefault: typ == "aws_default_security_group"}
			for _, dir := range []string{"ingress", "egress"} {
				blocks, known := eb.nested(dir)
				g.RulesKnown = g.RulesKnown && known
				for _, rb := range blocks {
					r := nb.sgRule(rb, false)
					if dir == "ingress" {
						g.Ingress = append(g.Ingress, r)
					} else {
						g.Egress = append(g.Egress, r)
					}
				}
			}
			if v := nb.vpcs[g.VPC.Addr]; v != nil && g.IsDefault {
				v.DefaultSecurityGroup = model.Ref{Addr: g.Addr, Known: true, Range: g.Range}
			}
			nb.groups[ri.addr] = g
			nb.cfg.Add(g)
		}
	}
	nb.implicitGroups()
	unknown := false
	attach := func(groupAttr *evalAttr, egress bool, r *model.SGRule) {
		gr := nb.groupRef(groupAttr)
		g := nb.groups[gr.Addr]
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
	for _, ri := range nb.byType["aws_security_group_rule"] {
		eb := ri.block
		typ := eb.str("type", "")
		if !typ.Known {
			unknown = true
			continue
		}
		r := nb.sgRule(eb, false)
		r.Range = eb.defRange
		attach(eb.attrs["security_group_id"], typ.V == "egress", r)
	}
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		unknown = unknown || nb.unknownTypes[typ]
		for _, ri := range nb.byType[typ] {
			r := nb.sgRule(ri.block, true)
			r.Range = ri.block.defRange
			attach(ri.block.attrs["security_group_id"], typ == "aws_vpc_security_group_egress_rule", r)
		}
	}
	if unknown || nb.unknownTypes["aws_security_group_rule"] {
		for _, g := range nb.groups {
			g.RulesKnown = false
		}
	}
}

// implicitGroups adds the default group that AWS creates with each VPC of
// the configuration that does not manage it with aws_default_security_group:
// inbound from members of the group, outbound to everywhere. The default
// VPC's group predates the configuration and stays unknown.
func (nb *netBuild) implicitGroups() {
	unknown := nb.unknownTypes["aws_default_security_group"]
	for _, g := range nb.groups {
		if g.IsDefault && g.VPC.Addr == "" && g.VPC.Range.Filename != "" {
			unknown = true // a managed default group of a VPC canpull cannot tell
		}
	}
	for _, v := range nb.vpcs {
		if !v.DefaultSecurityGroup.IsZero() || v.Default || unknown {
			continue
		}
		all := func(cidrs []string, self bool) *model.SGRule {
			return &model.SGRule{
				Protocol:    model.KnownFact("-1", v.Range),
				FromPort:    model.KnownFact(0, v.Range),
				ToPort:      model.KnownFact(0, v.Range),
				CIDRs:       model.KnownFact(cidrs, v.Range),
				IPv6CIDRs:   model.DefaultFact[[]string](nil, v.Range),
				PrefixLists: model.Refs{Known: true, Range: v.Range},
				Groups:      model.Refs{Known: true, Range: v.Range},
				Self:        self,
				Range:       v.Range,
			}
		}
		// Outbound to everywhere: AWS adds ::/0 too when the VPC has an
		// IPv6 block, which canpull does not follow.
		allOut := all([]string{"0.0.0.0/0"}, false)
		allOut.IPv6CIDRs = model.UnknownFact[[]string](v.Range)
		g := &model.SecurityGroup{
			Meta:       model.Meta{Addr: v.Addr + ".default_security_group", Range: v.Range, Account: v.Account, Region: v.Region},
			VPC:        model.Ref{Addr: v.Addr, Known: true, Range: v.Range},
			Ingress:    []*model.SGRule{all(nil, true)},
			Egress:     []*model.SGRule{allOut},
			RulesKnown: true, IsDefault: true, Implicit: true,
		}
		v.DefaultSecurityGroup = model.Ref{Addr: g.Addr, Known: true, Range: v.Range}
		nb.groups[g.Addr] = g
		nb.cfg.Add(g)
	}
}

// groupRef turns an argument into a reference to a security group,
// following a VPC's default_security_group_id to the VPC's default group.
func (b *builder) groupRef(a *evalAttr) model.Ref {
	if t, ok := b.tokenOf(a); ok && t.Attr == "default_security_group_id" && contains(vpcTypes, b.typeOf[t.Addr]) {
		if v, ok := b.cfg.Lookup(t.Addr).(*model.VPC); ok && v.DefaultSecurityGroup.Addr != "" {
			return model.Ref{Addr: v.DefaultSecurityGroup.Addr, Known: true, Range: a.rng}
		}
		return model.Ref{Range: a.rng}
	}
	return b.ref(a, sgTypes...)
}

// groupRefs is groupRef for a list argument.
func (b *builder) groupRefs(eb *evalBlock, name string) model.Refs {
	return b.refsWith(eb, name, b.groupRef)
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
		r.PrefixLists = refList(b.ref(eb.attrs["prefix_list_id"], prefixListTypes...), eb.defRange)
		r.Groups = refList(b.groupRef(eb.attrs["referenced_security_group_id"]), eb.defRange)
		return r
	}
	r.Protocol = eb.str("protocol", "")
	r.FromPort = eb.integer("from_port", 0)
	r.ToPort = eb.integer("to_port", 0)
	r.CIDRs = eb.strings("cidr_blocks")
	r.IPv6CIDRs = eb.strings("ipv6_cidr_blocks")
	r.PrefixLists = b.refs(eb, "prefix_list_ids", prefixListTypes...)
	r.Groups = b.groupRefs(eb, "security_groups")
	if a := eb.attrs["source_security_group_id"]; a != nil {
		r.Groups = refList(b.groupRef(a), eb.defRange)
	}
	self := eb.boolean("self", false)
	r.Self = self.V || !self.Known // an unknown self may admit the group itself
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
