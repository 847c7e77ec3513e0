package model

import "github.com/hashicorp/hcl/v2"

// VPC is an aws_vpc (or aws_default_vpc).
type VPC struct {
	Meta
	CIDR               Fact[string]
	EnableDNSSupport   Fact[bool] // default true
	EnableDNSHostnames Fact[bool] // default false
	// MainRouteTable is set by aws_main_route_table_association or
	// aws_default_route_table; zero when neither is in the configuration.
	MainRouteTable Ref
	// DefaultSecurityGroup is the VPC's default group: its
	// aws_default_security_group when the configuration manages it, else the
	// group AWS creates with the VPC (SecurityGroup.Implicit). Zero when
	// canpull cannot tell (an aws_default_vpc, whose group may have been
	// changed long ago).
	DefaultSecurityGroup Ref
	// Default is true for aws_default_vpc: AWS made it before Terraform, so
	// its main route table and default group hold what canpull cannot see.
	Default bool
}

// Subnet is an aws_subnet.
type Subnet struct {
	Meta
	VPC                 Ref
	CIDR                Fact[string]
	AvailabilityZone    Fact[string]
	MapPublicIPOnLaunch Fact[bool]
	// RouteTable is the explicit aws_route_table_association; zero when the
	// subnet has none (it then uses its VPC's main route table). Unknown when
	// an association exists whose route table cannot be determined.
	RouteTable Ref
}

// RouteTable is an aws_route_table or aws_default_route_table.
type RouteTable struct {
	Meta
	VPC    Ref
	Routes []*Route
	// RoutesKnown is false when some routes could not be determined (a
	// dynamic block over an unknown collection, a route with an unknown
	// table).
	RoutesKnown bool
	// IsDefault is true for aws_default_route_table (the VPC's main table).
	IsDefault bool
	// Propagates is true when a virtual private gateway may add routes at
	// run time (propagating_vgws, aws_vpn_gateway_route_propagation): a
	// default route from on-premises among them.
	Propagates bool
}

// TargetKind classifies where a route sends traffic, by the resource it
// refers to rather than by the attribute name.
type TargetKind int

const (
	TargetUnknown TargetKind = iota
	TargetInternetGateway
	TargetEgressOnlyInternetGateway
	TargetNATGateway
	TargetTransitGateway
	TargetPeering
	TargetInstance    // an instance or network interface: a NAT instance, an appliance
	TargetVPCEndpoint // a Gateway Load Balancer or firewall endpoint
	TargetLocal       // the VPC's own range
	TargetOther       // something canpull does not follow (carrier, core network, …)
)

func (k TargetKind) String() string {
	return [...]string{"unknown target", "internet gateway", "egress-only internet gateway", "NAT gateway",
		"transit gateway", "VPC peering connection", "instance or network interface", "VPC endpoint",
		"local", "other target"}[k]
}

// Route is one route of a route table.
type Route struct {
	// Destination is the CIDR block, IPv6 CIDR block or prefix list.
	Destination Fact[string]
	IPv6        bool
	PrefixList  bool
	Target      Ref
	TargetKind  TargetKind
	Range       hcl.Range
}

// InternetGateway is an aws_internet_gateway or an
// aws_egress_only_internet_gateway.
type InternetGateway struct {
	Meta
	VPC        Ref
	EgressOnly bool
}

// NATGateway is an aws_nat_gateway.
type NATGateway struct {
	Meta
	Subnet Ref
	// ConnectivityType is "public" (the default) or "private".
	ConnectivityType Fact[string]
}

// VPCEndpoint is an aws_vpc_endpoint, with the associations made by
// separate resources merged in.
type VPCEndpoint struct {
	Meta
	VPC         Ref
	ServiceName Fact[string]
	// Type is "Gateway" (the default), "Interface", "GatewayLoadBalancer".
	Type           Fact[string]
	PrivateDNS     Fact[bool] // default false
	Subnets        Refs
	RouteTables    Refs
	SecurityGroups Refs
	Policy         Fact[string]
}

// SecurityGroup is an aws_security_group or aws_default_security_group, with
// its separate rule resources merged in.
type SecurityGroup struct {
	Meta
	VPC     Ref
	Ingress []*SGRule
	Egress  []*SGRule
	// RulesKnown is false when some rules could not be determined.
	RulesKnown bool
	IsDefault  bool
	// Implicit marks the default group that AWS creates with a VPC of the
	// configuration that does not manage it: inbound from itself, outbound
	// to everywhere. Its Range is the VPC's.
	Implicit bool
}

// SGRule is one security group rule.
type SGRule struct {
	Protocol    Fact[string] // "tcp", "udp", "icmp", "-1", or a number
	FromPort    Fact[int]
	ToPort      Fact[int]
	CIDRs       Fact[[]string]
	IPv6CIDRs   Fact[[]string]
	PrefixLists Refs
	Groups      Refs
	Self        bool
	Range       hcl.Range
}
