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
	// DefaultNetworkACL is the network ACL of subnets without an explicit
	// one: the aws_default_network_acl when the configuration manages it;
	// zero when it does not (the ACL AWS made with the VPC, which allows
	// all traffic); unknown (no Addr, a Range) when canpull cannot tell,
	// as for an aws_default_vpc whose ACL may have been changed long ago.
	DefaultNetworkACL Ref
	// DHCPOptions is the DHCP options set of its
	// aws_vpc_dhcp_options_association; zero when there is none (AWS's
	// default set, whose name server is AmazonProvidedDNS); unknown when
	// canpull cannot tell.
	DHCPOptions Ref
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
	// IPv6CIDR is ipv6_cidr_block ("" when left out). A subnet with an
	// IPv6 block and an IPv4 one is dual-stack; IPv6Native marks one
	// without IPv4 (cidr_block is then left out).
	IPv6CIDR   Fact[string]
	IPv6Native Fact[bool] // default false
	// AssignIPv6OnCreation is assign_ipv6_address_on_creation (default
	// false): whether instances launched in the subnet get an IPv6 address.
	AssignIPv6OnCreation Fact[bool]
	// EnableDNS64 makes the VPC resolver return synthetic IPv6 addresses
	// (64:ff9b::/96) for names with IPv4 addresses only (default false).
	EnableDNS64 Fact[bool]
	// NetworkACL is the subnet's explicit network ACL (subnet_ids of an
	// aws_network_acl or aws_default_network_acl, or an
	// aws_network_acl_association); zero when it has none (it then uses its
	// VPC's default ACL). Unknown when an association canpull cannot
	// resolve may be the subnet's.
	NetworkACL Ref
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
	// IPAddressType is "ipv4", "dualstack" or "ipv6": the addresses of the
	// endpoint's network interfaces. Left out, AWS picks from the subnets.
	IPAddressType Fact[string]
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

// NetworkACL is an aws_network_acl or aws_default_network_acl, with its
// aws_network_acl_rule resources merged in. Network ACLs are stateless:
// each direction is checked on its own, rule by rule in number order, and
// the first rule that matches decides; traffic no rule matches is denied.
type NetworkACL struct {
	Meta
	VPC     Ref
	Ingress []*ACLRule
	Egress  []*ACLRule
	// RulesKnown is false when some rules could not be determined.
	RulesKnown bool
	// IsDefault is true for a VPC's default ACL: an
	// aws_default_network_acl (Terraform removes every rule it does not
	// declare), or the one AWS made with a VPC of the configuration.
	IsDefault bool
	// Implicit marks the default ACL that AWS creates with a VPC of the
	// configuration that does not manage it: rule 100 allows all IPv4
	// traffic and rule 101 all IPv6 traffic, both ways. Its Range is the
	// VPC's.
	Implicit bool
}

// ACLRule is one numbered rule of a network ACL.
type ACLRule struct {
	Number   Fact[int]
	Action   Fact[string] // "allow" or "deny"
	Protocol Fact[string] // "-1" or "all", "tcp" or "6", a name or a number
	FromPort Fact[int]
	ToPort   Fact[int]
	// CIDR and IPv6CIDR are the rule's range; one of them is set.
	CIDR     Fact[string]
	IPv6CIDR Fact[string]
	Range    hcl.Range
}

// DHCPOptions is an aws_vpc_dhcp_options.
type DHCPOptions struct {
	Meta
	// DomainNameServers lists the name servers the set gives instances:
	// "AmazonProvidedDNS" or addresses. Left out, the set gives none.
	DomainNameServers Fact[[]string]
}
