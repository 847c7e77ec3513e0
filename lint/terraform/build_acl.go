package terraform

import (
	"github.com/canpull/canpull/lint/model"
)

// Network ACLs and DHCP options.

var (
	aclTypes  = []string{"aws_network_acl", "aws_default_network_acl"}
	dhcpTypes = []string{"aws_vpc_dhcp_options", "aws_default_vpc_dhcp_options"}
)

// networkACLs reads network ACLs, merges aws_network_acl_rule resources
// into them and gives each subnet its explicit ACL.
func (nb *netBuild) networkACLs() {
	acls := map[string]*model.NetworkACL{}
	inline := map[string]bool{} // ACLs that declare rules inline
	unknownDefault := nb.unknownTypes["aws_default_network_acl"]
	for _, typ := range aclTypes {
		for _, ri := range nb.byType[typ] {
			eb := ri.block
			acl := &model.NetworkACL{Meta: nb.meta(ri), RulesKnown: true, IsDefault: typ == "aws_default_network_acl"}
			if acl.IsDefault {
				// default_network_acl_id = aws_vpc.x.default_network_acl_id
				if t, ok := nb.tokenOf(eb.attrs["default_network_acl_id"]); ok && contains(vpcTypes, nb.typeOf[t.Addr]) {
					acl.VPC = model.Ref{Addr: t.Addr, Known: true, Range: eb.rangeOf("default_network_acl_id")}
					if v := nb.vpcs[t.Addr]; v != nil {
						v.DefaultNetworkACL = model.Ref{Addr: ri.addr, Known: true, Range: eb.defRange}
					}
				} else {
					acl.VPC = model.Ref{Range: eb.rangeOf("default_network_acl_id")}
					unknownDefault = true // it may be any VPC's default ACL
				}
			} else {
				acl.VPC = nb.ref(eb.attrs["vpc_id"], vpcTypes...)
			}
			for _, dir := range []string{"ingress", "egress"} {
				inline[ri.addr] = inline[ri.addr] || eb.attrs[dir] != nil
				blocks, known := eb.nested(dir)
				inline[ri.addr] = inline[ri.addr] || len(blocks) > 0 || !known
				acl.RulesKnown = acl.RulesKnown && known
				for _, rb := range blocks {
					r := aclRule(rb, "rule_no", "action")
					if dir == "ingress" {
						acl.Ingress = append(acl.Ingress, r)
					} else {
						acl.Egress = append(acl.Egress, r)
					}
				}
			}
			acls[ri.addr] = acl
			nb.cfg.Add(acl)
		}
	}
	for _, v := range nb.vpcs {
		switch {
		case !v.DefaultNetworkACL.IsZero():
		case v.Default || unknownDefault:
			v.DefaultNetworkACL = model.Ref{Range: v.Range} // changed by hand or by something canpull cannot read
		default:
			acl := implicitACL(v)
			v.DefaultNetworkACL = model.Ref{Addr: acl.Addr, Known: true, Range: v.Range}
			acls[acl.Addr] = acl
			nb.cfg.Add(acl)
		}
	}
	nb.aclRules(acls, inline)
	nb.aclAssociations(acls)
}

// implicitACL is the default network ACL AWS creates with a VPC: all
// traffic allowed both ways, IPv4 by rule 100 and IPv6 by rule 101 (AWS
// adds the IPv6 rules when the VPC has an IPv6 block; without one there is
// no IPv6 traffic to judge).
func implicitACL(v *model.VPC) *model.NetworkACL {
	all := func(v6 bool) *model.ACLRule {
		r := &model.ACLRule{
			Number:   model.KnownFact(100, v.Range),
			Action:   model.KnownFact("allow", v.Range),
			Protocol: model.KnownFact("-1", v.Range),
			FromPort: model.KnownFact(0, v.Range),
			ToPort:   model.KnownFact(0, v.Range),
			CIDR:     model.KnownFact("0.0.0.0/0", v.Range),
			IPv6CIDR: model.DefaultFact("", v.Range),
			Range:    v.Range,
		}
		if v6 {
			r.Number = model.KnownFact(101, v.Range)
			r.CIDR, r.IPv6CIDR = model.DefaultFact("", v.Range), model.KnownFact("::/0", v.Range)
		}
		return r
	}
	return &model.NetworkACL{
		Meta:       model.Meta{Addr: v.Addr + ".default_network_acl", Range: v.Range, Account: v.Account, Region: v.Region},
		VPC:        model.Ref{Addr: v.Addr, Known: true, Range: v.Range},
		Ingress:    []*model.ACLRule{all(false), all(true)},
		Egress:     []*model.ACLRule{all(false), all(true)},
		RulesKnown: true, IsDefault: true, Implicit: true,
	}
}

// aclRule reads an inline rule (rule_no, action) or an aws_network_acl_rule
// (rule_number, rule_action).
func aclRule(eb *evalBlock, number, action string) *model.ACLRule {
	r := &model.ACLRule{
		Number:   eb.integer(number, -1),
		Action:   eb.str(action, ""),
		Protocol: eb.str("protocol", ""),
		FromPort: eb.integer("from_port", 0),
		ToPort:   eb.integer("to_port", 0),
		CIDR:     eb.str("cidr_block", ""),
		IPv6CIDR: eb.str("ipv6_cidr_block", ""),
		Range:    eb.rng,
	}
	if r.Range.Filename == "" {
		r.Range = eb.defRange
	}
	return r
}

// aclRef turns an argument into a reference to a network ACL, following a
// VPC's default_network_acl_id to its default ACL.
func (nb *netBuild) aclRef(a *evalAttr) model.Ref {
	if t, ok := nb.tokenOf(a); ok && t.Attr == "default_network_acl_id" && contains(vpcTypes, nb.typeOf[t.Addr]) {
		if v := nb.vpcs[t.Addr]; v != nil && v.DefaultNetworkACL.Addr != "" {
			return model.Ref{Addr: v.DefaultNetworkACL.Addr, Known: true, Range: a.rng}
		}
		return model.Ref{Range: a.rng}
	}
	return nb.ref(a, aclTypes...)
}

// aclRules merges aws_network_acl_rule resources. One whose ACL is
// unknown could be any ACL's. The provider documents that separate rules
// and inline rules of one ACL (and any separate rule of an
// aws_default_network_acl, which keeps only its inline rules) overwrite
// each other: such an ACL's rules are unknown.
func (nb *netBuild) aclRules(acls map[string]*model.NetworkACL, inline map[string]bool) {
	unknown := nb.unknownTypes["aws_network_acl_rule"]
	for _, ri := range nb.byType["aws_network_acl_rule"] {
		eb := ri.block
		acl := acls[nb.aclRef(eb.attrs["network_acl_id"]).Addr]
		egress := eb.boolean("egress", false)
		if acl == nil || !egress.Known {
			unknown = unknown || acl == nil && !nb.aclRef(eb.attrs["network_acl_id"]).Known || !egress.Known
			continue
		}
		if inline[acl.Addr] || acl.IsDefault && !acl.Implicit {
			acl.RulesKnown = false
		}
		r := aclRule(eb, "rule_number", "rule_action")
		r.Range = eb.defRange
		if egress.V {
			acl.Egress = append(acl.Egress, r)
		} else {
			acl.Ingress = append(acl.Ingress, r)
		}
	}
	if unknown {
		for _, acl := range acls {
			acl.RulesKnown = false
		}
	}
}

// aclAssociations gives subnets their explicit network ACL: subnet_ids of
// an ACL, or an aws_network_acl_association. A subnet named by two is
// unknown; an association whose subnet is unknown could be any subnet's.
func (nb *netBuild) aclAssociations(acls map[string]*model.NetworkACL) {
	anyUnknown := nb.unknownTypes["aws_network_acl_association"] || nb.unknownTypes["aws_network_acl"]
	assign := func(sr model.Ref, acl model.Ref) {
		s := nb.subnets[sr.Addr]
		switch {
		case s == nil:
			if !sr.Known {
				anyUnknown = true
			}
		case s.NetworkACL.IsZero():
			s.NetworkACL = acl
		case s.NetworkACL.Addr != acl.Addr || acl.Addr == "":
			s.NetworkACL = model.Ref{Range: acl.Range} // claimed twice: Terraform fights itself
		}
	}
	for _, typ := range aclTypes {
		for _, ri := range nb.byType[typ] {
			eb := ri.block
			a := eb.attrs["subnet_ids"]
			if a == nil || a.val.IsKnown() && a.val.IsNull() {
				continue
			}
			refs := nb.refs(eb, "subnet_ids", subnetTypes...)
			if !refs.Known {
				anyUnknown = true
				continue
			}
			for _, sr := range refs.Items {
				assign(sr, model.Ref{Addr: ri.addr, Known: true, Range: refs.Range})
			}
		}
	}
	for _, ri := range nb.byType["aws_network_acl_association"] {
		eb := ri.block
		ar := nb.aclRef(eb.attrs["network_acl_id"])
		ar.Range = eb.defRange
		if acls[ar.Addr] == nil {
			ar = model.Ref{Range: eb.defRange}
		}
		assign(nb.ref(eb.attrs["subnet_id"], subnetTypes...), ar)
	}
	if anyUnknown {
		for _, s := range nb.subnets {
			if s.NetworkACL.IsZero() {
				s.NetworkACL = model.Ref{Range: s.Range}
			}
		}
	}
}

// dhcpOptions reads DHCP options sets and the VPCs they are associated
// with. An association canpull cannot place could be any VPC's.
func (nb *netBuild) dhcpOptions() {
	for _, ri := range nb.byType["aws_vpc_dhcp_options"] {
		nb.cfg.Add(&model.DHCPOptions{Meta: nb.meta(ri), DomainNameServers: ri.block.strings("domain_name_servers")})
	}
	for _, ri := range nb.byType["aws_default_vpc_dhcp_options"] {
		// The set AWS made with the default VPC. Sets cannot be changed:
		// its name server is still AmazonProvidedDNS.
		nb.cfg.Add(&model.DHCPOptions{Meta: nb.meta(ri),
			DomainNameServers: model.DefaultFact([]string{"AmazonProvidedDNS"}, ri.block.defRange)})
	}
	unknown := nb.unknownTypes["aws_vpc_dhcp_options_association"]
	for _, ri := range nb.byType["aws_vpc_dhcp_options_association"] {
		eb := ri.block
		vr := nb.ref(eb.attrs["vpc_id"], vpcTypes...)
		v := nb.vpcs[vr.Addr]
		if v == nil {
			unknown = unknown || !vr.Known
			continue
		}
		or := nb.ref(eb.attrs["dhcp_options_id"], dhcpTypes...)
		if or.Addr == "" {
			or = model.Ref{Value: or.Value, Range: eb.defRange} // a set outside the configuration, or "default"
		}
		or.Range = eb.defRange
		if !v.DHCPOptions.IsZero() && v.DHCPOptions.Addr != or.Addr {
			or = model.Ref{Range: eb.defRange}
		}
		v.DHCPOptions = or
	}
	for _, v := range nb.vpcs {
		if v.DHCPOptions.IsZero() && (unknown || v.Default) {
			v.DHCPOptions = model.Ref{Range: v.Range}
		}
	}
}
