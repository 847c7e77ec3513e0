package cloudformation

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

var (
	vpcTypes    = []string{"AWS::EC2::VPC"}
	subnetTypes = []string{"AWS::EC2::Subnet"}
	rtTypes     = []string{"AWS::EC2::RouteTable"}
	sgTypes     = []string{"AWS::EC2::SecurityGroup"}
	// prefixListTypes are what a rule's prefix list may name.
	prefixListTypes = []string{"AWS::EC2::PrefixList", "AWS::EC2::VPCEndpoint"}
)

type netBuild struct {
	*builder
	vpcs   map[string]*model.VPC
	tables map[string]*model.RouteTable
	groups map[string]*model.SecurityGroup
}

func (b *builder) network() {
	nb := &netBuild{builder: b, vpcs: map[string]*model.VPC{}, tables: map[string]*model.RouteTable{}, groups: map[string]*model.SecurityGroup{}}
	nb.readVPCs()
	nb.readSubnets()
	nb.readRouteTables()
	nb.readRoutes()
	nb.readAssociations()
	nb.readGateways()
	nb.securityGroups()
	nb.endpoints()
	nb.networkACLs()
	nb.dhcpOptions()
}

func (nb *netBuild) readVPCs() {
	for _, r := range nb.byType["AWS::EC2::VPC"] {
		p := nb.props(r)
		v := &model.VPC{
			Meta:               nb.meta(r),
			CIDR:               p.str("CidrBlock", ""),
			EnableDNSSupport:   p.boolean("EnableDnsSupport", true),
			EnableDNSHostnames: p.boolean("EnableDnsHostnames", false),
		}
		if !v.CIDR.Set {
			v.CIDR = model.Fact[string]{Range: r.keyRange} // from an IPAM pool: AWS picks it
		}
		nb.vpcs[r.addr] = v
		nb.cfg.Add(v)
	}
}

func (nb *netBuild) readSubnets() {
	for _, r := range nb.byType["AWS::EC2::Subnet"] {
		p := nb.props(r)
		nb.cfg.Add(&model.Subnet{
			Meta:                 nb.meta(r),
			VPC:                  nb.ref(p, "VpcId", vpcTypes...),
			CIDR:                 p.str("CidrBlock", ""),
			AvailabilityZone:     p.str("AvailabilityZone", ""),
			MapPublicIPOnLaunch:  p.boolean("MapPublicIpOnLaunch", false),
			IPv6CIDR:             p.str("Ipv6CidrBlock", ""),
			IPv6Native:           p.boolean("Ipv6Native", false),
			AssignIPv6OnCreation: p.boolean("AssignIpv6AddressOnCreation", false),
			EnableDNS64:          p.boolean("EnableDns64", false),
		})
	}
}

// readRouteTables reads route tables. CloudFormation cannot manage a VPC's
// main route table: a subnet without an association uses the one AWS
// creates, with the local route only (the rules know it).
func (nb *netBuild) readRouteTables() {
	for _, r := range nb.byType["AWS::EC2::RouteTable"] {
		rt := &model.RouteTable{Meta: nb.meta(r), VPC: nb.ref(nb.props(r), "VpcId", vpcTypes...), RoutesKnown: true}
		nb.tables[r.addr] = rt
		nb.cfg.Add(rt)
	}
}

func (nb *netBuild) readRoutes() {
	unknown := nb.unknownTypes["AWS::EC2::Route"]
	for _, r := range nb.byType["AWS::EC2::Route"] {
		p := nb.props(r)
		rt := nb.tables[nb.ref(p, "RouteTableId", rtTypes...).Addr]
		if rt == nil {
			unknown = true // a route of an unknown table could be in any
			continue
		}
		rt.Routes = append(rt.Routes, nb.route(p, r.keyRange))
	}
	if unknown {
		for _, t := range nb.tables {
			t.RoutesKnown = false
		}
	}
	unknown = nb.unknownTypes["AWS::EC2::VPNGatewayRoutePropagation"]
	for _, r := range nb.byType["AWS::EC2::VPNGatewayRoutePropagation"] {
		rs := nb.refs(nb.props(r), "RouteTableIds", nb.typed(rtTypes...))
		if !rs.Known {
			unknown = true
		}
		for _, ref := range rs.Items {
			if rt := nb.tables[ref.Addr]; rt != nil {
				rt.Propagates = true
			} else {
				unknown = true
			}
		}
	}
	if unknown {
		for _, t := range nb.tables {
			t.Propagates = true
		}
	}
}

// routeTargets are AWS::EC2::Route's target properties.
var routeTargets = []string{"GatewayId", "NatGatewayId", "EgressOnlyInternetGatewayId", "TransitGatewayId",
	"VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId", "VpcEndpointId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn"}

// targetKinds classifies a route target by the resource it refers to.
var targetKinds = map[string]model.TargetKind{
	"AWS::EC2::InternetGateway":           model.TargetInternetGateway,
	"AWS::EC2::EgressOnlyInternetGateway": model.TargetEgressOnlyInternetGateway,
	"AWS::EC2::NatGateway":                model.TargetNATGateway,
	"AWS::EC2::TransitGateway":            model.TargetTransitGateway,
	"AWS::EC2::VPCPeeringConnection":      model.TargetPeering,
	"AWS::EC2::Instance":                  model.TargetInstance,
	"AWS::EC2::NetworkInterface":          model.TargetInstance,
	"AWS::EC2::VPCEndpoint":               model.TargetVPCEndpoint,
	"AWS::NetworkFirewall::Firewall":      model.TargetVPCEndpoint,
}

var targetPrefixes = []struct {
	prefix string
	kind   model.TargetKind
}{
	{"igw-", model.TargetInternetGateway}, {"eigw-", model.TargetEgressOnlyInternetGateway},
	{"nat-", model.TargetNATGateway}, {"tgw-", model.TargetTransitGateway}, {"pcx-", model.TargetPeering},
	{"eni-", model.TargetInstance}, {"i-", model.TargetInstance}, {"vpce-", model.TargetVPCEndpoint},
}

// route reads an AWS::EC2::Route.
func (nb *netBuild) route(p obj, rng hcl.Range) *model.Route {
	r := &model.Route{Range: rng}
	if f := p.str("DestinationCidrBlock", ""); f.Set {
		r.Destination = f
	}
	if f := p.str("DestinationIpv6CidrBlock", ""); f.Set {
		r.Destination, r.IPv6 = f, true
	}
	if f := p.str("DestinationPrefixListId", ""); f.Set {
		r.Destination, r.PrefixList = f, true
	}
	for _, name := range routeTargets {
		m := p.get(name)
		if m == nil || m.Value.Kind == jsontree.Null {
			continue
		}
		r.Target, r.TargetKind = nb.routeTarget(m)
		break
	}
	return r
}

func (nb *netBuild) routeTarget(m *jsontree.Member) (model.Ref, model.TargetKind) {
	rng := memberRange(m)
	s, ok := scalarString(m.Value)
	if !ok {
		return model.Ref{Range: rng}, model.TargetUnknown
	}
	if t, ok := model.ParseToken(s); ok {
		kind, modeled := targetKinds[nb.typeOf[t.Addr]]
		if !modeled {
			kind = model.TargetOther
		}
		return model.Ref{Addr: t.Addr, Known: true, Range: rng}, kind
	}
	if model.HasToken(s) {
		return model.Ref{Range: rng}, model.TargetUnknown
	}
	if s == "local" {
		return model.Ref{Value: s, Known: true, Range: rng}, model.TargetLocal
	}
	for _, tp := range targetPrefixes {
		if strings.HasPrefix(s, tp.prefix) {
			return model.Ref{Value: s, Known: true, Range: rng}, tp.kind
		}
	}
	return model.Ref{Value: s, Known: true, Range: rng}, model.TargetOther
}

// readAssociations reads AWS::EC2::SubnetRouteTableAssociation. One whose
// subnet is unknown could be any subnet's.
func (nb *netBuild) readAssociations() {
	anyUnknown := nb.unknownTypes["AWS::EC2::SubnetRouteTableAssociation"]
	for _, r := range nb.byType["AWS::EC2::SubnetRouteTableAssociation"] {
		p := nb.props(r)
		sr := nb.ref(p, "SubnetId", subnetTypes...)
		s, ok := model.Resolve[*model.Subnet](nb.cfg, sr)
		if !ok {
			if !sr.Known || sr.Addr == "" && sr.Value == "" {
				anyUnknown = true
			}
			continue
		}
		s.RouteTable = nb.ref(p, "RouteTableId", rtTypes...)
		s.RouteTable.Range = r.keyRange
	}
	if anyUnknown {
		for _, s := range nb.cfg.Subnets {
			if s.RouteTable.IsZero() {
				s.RouteTable = model.Ref{Range: s.Range}
			}
		}
	}
}

func (nb *netBuild) readGateways() {
	for _, r := range nb.byType["AWS::EC2::InternetGateway"] {
		nb.cfg.Add(&model.InternetGateway{Meta: nb.meta(r)})
	}
	for _, r := range nb.byType["AWS::EC2::EgressOnlyInternetGateway"] {
		nb.cfg.Add(&model.InternetGateway{Meta: nb.meta(r), VPC: nb.ref(nb.props(r), "VpcId", vpcTypes...), EgressOnly: true})
	}
	for _, r := range nb.byType["AWS::EC2::VPCGatewayAttachment"] {
		p := nb.props(r)
		gr := nb.ref(p, "InternetGatewayId", "AWS::EC2::InternetGateway")
		if g, ok := model.Resolve[*model.InternetGateway](nb.cfg, gr); ok {
			g.VPC = nb.ref(p, "VpcId", vpcTypes...)
		}
	}
	for _, r := range nb.byType["AWS::EC2::NatGateway"] {
		p := nb.props(r)
		nb.cfg.Add(&model.NATGateway{
			Meta:             nb.meta(r),
			Subnet:           nb.ref(p, "SubnetId", subnetTypes...),
			ConnectivityType: p.str("ConnectivityType", "public"),
		})
	}
}

// endpoints reads AWS::EC2::VPCEndpoint. Unlike the Terraform provider's
// private_dns_enabled, CloudFormation's PrivateDnsEnabled is false when left
// out, for interface endpoints too; VpcEndpointType is Gateway when left out.
func (nb *netBuild) endpoints() {
	for _, r := range nb.byType["AWS::EC2::VPCEndpoint"] {
		p := nb.props(r)
		e := &model.VPCEndpoint{
			Meta:           nb.meta(r),
			VPC:            nb.ref(p, "VpcId", vpcTypes...),
			ServiceName:    p.str("ServiceName", ""),
			Type:           p.str("VpcEndpointType", "Gateway"),
			PrivateDNS:     p.boolean("PrivateDnsEnabled", false),
			Subnets:        nb.refs(p, "SubnetIds", nb.typed(subnetTypes...)),
			RouteTables:    nb.refs(p, "RouteTableIds", nb.typed(rtTypes...)),
			SecurityGroups: nb.refs(p, "SecurityGroupIds", nb.groupRef),
			Policy:         p.doc("PolicyDocument"),
			IPAddressType:  p.str("IpAddressType", ""),
		}
		if !e.Policy.Set && e.Policy.Known {
			e.Policy = model.DefaultFact("", r.keyRange)
		}
		nb.cfg.Add(e)
	}
}

// groupRef turns a value into a reference to a security group, following
// a VPC's DefaultSecurityGroup to the group AWS created with it.
func (b *builder) groupRef(v *jsontree.Value, rng hcl.Range) model.Ref {
	if s, ok := scalarString(v); ok {
		if t, ok := model.ParseToken(s); ok && t.Attr == "default_security_group_id" && contains(vpcTypes, b.typeOf[t.Addr]) {
			if vpc, ok := b.cfg.Lookup(t.Addr).(*model.VPC); ok && vpc.DefaultSecurityGroup.Addr != "" {
				return model.Ref{Addr: vpc.DefaultSecurityGroup.Addr, Known: true, Range: rng}
			}
			return model.Ref{Range: rng}
		}
	}
	return b.refValue(v, rng, sgTypes...)
}
