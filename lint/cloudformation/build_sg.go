package cloudformation

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// securityGroups reads AWS::EC2::SecurityGroup with the separate ingress
// and egress resources merged in. Where CloudFormation differs from the
// Terraform provider: a group created without SecurityGroupEgress keeps
// the rules AWS adds, all outbound IPv4 and IPv6 traffic; separate
// AWS::EC2::SecurityGroupEgress resources come after the group is created
// and do not remove them.
func (nb *netBuild) securityGroups() {
	for _, r := range nb.byType["AWS::EC2::SecurityGroup"] {
		p := nb.props(r)
		g := &model.SecurityGroup{Meta: nb.meta(r), VPC: nb.ref(p, "VpcId", vpcTypes...), RulesKnown: p.known()}
		for _, dir := range []string{"SecurityGroupIngress", "SecurityGroupEgress"} {
			m := p.get(dir)
			egress := dir == "SecurityGroupEgress"
			switch {
			case m == nil || m.Value.Kind == jsontree.Null:
				if egress && p.known() {
					g.Egress = append(g.Egress, allTraffic(r.keyRange, []string{"0.0.0.0/0"}, []string{"::/0"}))
				}
				continue
			case m.Value.Kind != jsontree.Array:
				g.RulesKnown = false
				continue
			case len(m.Value.Items) == 0 && egress:
				// An empty list: whether AWS then keeps its default rule
				// is not documented.
				g.RulesKnown = false
				continue
			}
			for _, it := range m.Value.Items {
				rule := nb.sgRule(obj{v: it, def: it.Range}, egress)
				rule.Range = it.Range
				if egress {
					g.Egress = append(g.Egress, rule)
				} else {
					g.Ingress = append(g.Ingress, rule)
				}
			}
		}
		nb.groups[r.addr] = g
		nb.cfg.Add(g)
	}
	nb.implicitGroups()
	unknown := nb.unknownTypes["AWS::EC2::SecurityGroupIngress"] || nb.unknownTypes["AWS::EC2::SecurityGroupEgress"]
	for _, typ := range []string{"AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"} {
		egress := typ == "AWS::EC2::SecurityGroupEgress"
		for _, r := range nb.byType[typ] {
			p := nb.props(r)
			gr := model.Ref{Range: r.keyRange}
			if m := p.get("GroupId"); m != nil {
				gr = nb.groupRef(m.Value, memberRange(m))
			}
			g := nb.groups[gr.Addr]
			if g == nil {
				unknown = unknown || !gr.Known
				continue
			}
			rule := nb.sgRule(p, egress)
			rule.Range = r.keyRange
			if egress {
				g.Egress = append(g.Egress, rule)
			} else {
				g.Ingress = append(g.Ingress, rule)
			}
		}
	}
	if unknown {
		for _, g := range nb.groups {
			g.RulesKnown = false
		}
	}
}

// allTraffic is a rule for every protocol and port.
func allTraffic(rng hcl.Range, cidrs, ipv6 []string) *model.SGRule {
	return &model.SGRule{
		Protocol:    model.DefaultFact("-1", rng),
		FromPort:    model.DefaultFact(0, rng),
		ToPort:      model.DefaultFact(0, rng),
		CIDRs:       model.DefaultFact(cidrs, rng),
		IPv6CIDRs:   model.DefaultFact(ipv6, rng),
		PrefixLists: model.Refs{Known: true, Range: rng},
		Groups:      model.Refs{Known: true, Range: rng},
		Range:       rng,
	}
}

// implicitGroups adds the default group AWS creates with each VPC:
// inbound from its members, outbound to everywhere. CloudFormation has no
// resource that manages it.
func (nb *netBuild) implicitGroups() {
	for _, v := range nb.cfg.VPCs {
		in := allTraffic(v.Range, nil, nil)
		in.Self = true
		g := &model.SecurityGroup{
			Meta:       model.Meta{Addr: v.Addr + ".default_security_group", Range: v.Range, Account: v.Account, Region: v.Region},
			VPC:        model.Ref{Addr: v.Addr, Known: true, Range: v.Range},
			Ingress:    []*model.SGRule{in},
			Egress:     []*model.SGRule{allTraffic(v.Range, []string{"0.0.0.0/0"}, nil)},
			RulesKnown: true, IsDefault: true, Implicit: true,
		}
		v.DefaultSecurityGroup = model.Ref{Addr: g.Addr, Known: true, Range: v.Range}
		nb.groups[g.Addr] = g
		nb.cfg.Add(g)
	}
}

// sgRule reads an inline rule or an ingress/egress resource's properties.
// The source or destination is a CIDR, a prefix list or a group.
func (nb *netBuild) sgRule(p obj, egress bool) *model.SGRule {
	r := &model.SGRule{
		Protocol:  p.str("IpProtocol", ""),
		FromPort:  p.integer("FromPort", -1),
		ToPort:    p.integer("ToPort", -1),
		CIDRs:     single(p.str("CidrIp", "")),
		IPv6CIDRs: single(p.str("CidrIpv6", "")),
	}
	plKey, groupKey := "SourcePrefixListId", "SourceSecurityGroupId"
	if egress {
		plKey, groupKey = "DestinationPrefixListId", "DestinationSecurityGroupId"
	}
	r.PrefixLists = refList(nb.ref(p, plKey, prefixListTypes...), p.def)
	r.Groups = model.Refs{Known: true, Range: p.def}
	if m := p.get(groupKey); m != nil {
		r.Groups = refList(nb.groupRef(m.Value, memberRange(m)), p.def)
	} else if m := p.get("SourceSecurityGroupName"); m != nil && !egress {
		// A group named in the default VPC: not one canpull can follow.
		r.Groups = model.Refs{Items: []model.Ref{{Range: memberRange(m)}}, Known: true, Set: true, Range: memberRange(m)}
	}
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
