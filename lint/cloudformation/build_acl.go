package cloudformation

import (
	"github.com/canpull/canpull/lint/model"
)

// Network ACLs and DHCP options, as the Terraform adapter reads them
// (lint/terraform/build_acl.go). CloudFormation cannot manage a VPC's
// default network ACL, but entries can be added to it (NetworkAclId:
// !GetAtt VPC.DefaultNetworkAcl); a new AWS::EC2::NetworkAcl has no rule
// but the final deny.

var aclTypes = []string{"AWS::EC2::NetworkAcl"}

func (nb *netBuild) networkACLs() {
	acls := map[string]*model.NetworkACL{}
	for _, r := range nb.byType["AWS::EC2::NetworkAcl"] {
		acl := &model.NetworkACL{Meta: nb.meta(r), VPC: nb.ref(nb.props(r), "VpcId", vpcTypes...), RulesKnown: true}
		acls[r.addr] = acl
		nb.cfg.Add(acl)
	}
	for _, v := range nb.cfg.VPCs {
		acl := implicitACL(v)
		v.DefaultNetworkACL = model.Ref{Addr: acl.Addr, Known: true, Range: v.Range}
		acls[acl.Addr] = acl
		nb.cfg.Add(acl)
	}
	unknown := nb.unknownTypes["AWS::EC2::NetworkAclEntry"]
	for _, r := range nb.byType["AWS::EC2::NetworkAclEntry"] {
		p := nb.props(r)
		ar := nb.aclRef(p, "NetworkAclId")
		acl := acls[ar.Addr]
		egress := p.boolean("Egress", false)
		if acl == nil || !egress.Known {
			unknown = unknown || acl == nil && !ar.Known || !egress.Known
			continue
		}
		rule := &model.ACLRule{
			Number:   p.integer("RuleNumber", -1),
			Action:   p.str("RuleAction", ""),
			Protocol: p.str("Protocol", ""),
			FromPort: model.DefaultFact(0, r.keyRange),
			ToPort:   model.DefaultFact(0, r.keyRange),
			CIDR:     p.str("CidrBlock", ""),
			IPv6CIDR: p.str("Ipv6CidrBlock", ""),
			Range:    r.keyRange,
		}
		if pr, ok := p.child("PortRange"); ok {
			rule.FromPort, rule.ToPort = pr.integer("From", 0), pr.integer("To", 0)
		}
		if egress.V {
			acl.Egress = append(acl.Egress, rule)
		} else {
			acl.Ingress = append(acl.Ingress, rule)
		}
	}
	if unknown {
		for _, acl := range acls {
			acl.RulesKnown = false
		}
	}
	nb.aclAssociations(acls)
}

// implicitACL is the default network ACL AWS creates with a VPC: all
// traffic allowed both ways, IPv4 by rule 100 and IPv6 by rule 101.
func implicitACL(v *model.VPC) *model.NetworkACL {
	all := func(v6 bool) *model.ACLRule {
		r := &model.ACLRule{
			Number: model.KnownFact(100, v.Range), Action: model.KnownFact("allow", v.Range), Protocol: model.KnownFact("-1", v.Range),
			FromPort: model.KnownFact(0, v.Range), ToPort: model.KnownFact(0, v.Range),
			CIDR: model.KnownFact("0.0.0.0/0", v.Range), IPv6CIDR: model.DefaultFact("", v.Range), Range: v.Range,
		}
		if v6 {
			r.Number = model.KnownFact(101, v.Range)
			r.CIDR, r.IPv6CIDR = model.DefaultFact("", v.Range), model.KnownFact("::/0", v.Range)
		}
		return r
	}
	return &model.NetworkACL{
		Meta:    model.Meta{Addr: v.Addr + ".default_network_acl", Range: v.Range, Account: v.Account, Region: v.Region},
		VPC:     model.Ref{Addr: v.Addr, Known: true, Range: v.Range},
		Ingress: []*model.ACLRule{all(false), all(true)}, Egress: []*model.ACLRule{all(false), all(true)},
		RulesKnown: true, IsDefault: true, Implicit: true,
	}
}

// aclRef reads a network ACL, following a VPC's DefaultNetworkAcl to the
// ACL AWS made with it.
func (nb *netBuild) aclRef(p obj, key string) model.Ref {
	m := p.get(key)
	if m == nil {
		return model.Ref{Range: p.def}
	}
	if s, ok := scalarString(m.Value); ok {
		if t, ok := model.ParseToken(s); ok && t.Attr == "default_network_acl_id" && contains(vpcTypes, nb.typeOf[t.Addr]) {
			if v, ok := nb.cfg.Lookup(t.Addr).(*model.VPC); ok && v.DefaultNetworkACL.Addr != "" {
				return model.Ref{Addr: v.DefaultNetworkACL.Addr, Known: true, Range: memberRange(m)}
			}
			return model.Ref{Range: memberRange(m)}
		}
	}
	return nb.ref(p, key, aclTypes...)
}

// aclAssociations reads AWS::EC2::SubnetNetworkAclAssociation. A subnet
// claimed twice is unknown; an association whose subnet is unknown could
// be any subnet's.
func (nb *netBuild) aclAssociations(acls map[string]*model.NetworkACL) {
	anyUnknown := nb.unknownTypes["AWS::EC2::SubnetNetworkAclAssociation"]
	for _, r := range nb.byType["AWS::EC2::SubnetNetworkAclAssociation"] {
		p := nb.props(r)
		ar := nb.aclRef(p, "NetworkAclId")
		ar.Range = r.keyRange
		if acls[ar.Addr] == nil {
			ar = model.Ref{Range: r.keyRange}
		}
		sr := nb.ref(p, "SubnetId", subnetTypes...)
		s, ok := model.Resolve[*model.Subnet](nb.cfg, sr)
		switch {
		case !ok:
			anyUnknown = anyUnknown || !sr.Known
		case s.NetworkACL.IsZero():
			s.NetworkACL = ar
		case s.NetworkACL.Addr != ar.Addr || ar.Addr == "":
			s.NetworkACL = model.Ref{Range: ar.Range}
		}
	}
	if anyUnknown {
		for _, s := range nb.cfg.Subnets {
			if s.NetworkACL.IsZero() {
				s.NetworkACL = model.Ref{Range: s.Range}
			}
		}
	}
}

// dhcpOptions reads AWS::EC2::DHCPOptions and their VPCs.
func (nb *netBuild) dhcpOptions() {
	for _, r := range nb.byType["AWS::EC2::DHCPOptions"] {
		nb.cfg.Add(&model.DHCPOptions{Meta: nb.meta(r), DomainNameServers: nb.props(r).strs("DomainNameServers")})
	}
	unknown := nb.unknownTypes["AWS::EC2::VPCDHCPOptionsAssociation"]
	for _, r := range nb.byType["AWS::EC2::VPCDHCPOptionsAssociation"] {
		p := nb.props(r)
		v, ok := model.Resolve[*model.VPC](nb.cfg, nb.ref(p, "VpcId", vpcTypes...))
		if !ok {
			unknown = unknown || !nb.ref(p, "VpcId", vpcTypes...).Known
			continue
		}
		or := nb.ref(p, "DhcpOptionsId", "AWS::EC2::DHCPOptions")
		if or.Addr == "" {
			or = model.Ref{Value: or.Value, Range: r.keyRange} // a set outside the templates, or "default"
		}
		or.Range = r.keyRange
		if !v.DHCPOptions.IsZero() && v.DHCPOptions.Addr != or.Addr {
			or = model.Ref{Range: r.keyRange}
		}
		v.DHCPOptions = or
	}
	if unknown {
		for _, v := range nb.cfg.VPCs {
			if v.DHCPOptions.IsZero() {
				v.DHCPOptions = model.Ref{Range: v.Range}
			}
		}
	}
}
