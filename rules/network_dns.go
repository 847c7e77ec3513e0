package rules

import (
	"net/netip"
	"strings"

	"github.com/canpull/canpull/lint/model"
)

// Which name servers a VPC's tasks ask. The private DNS names of interface
// endpoints live in a private hosted zone that only the VPC's own resolver
// (Route 53 Resolver, "AmazonProvidedDNS") answers from; DNS64 is done by
// the same resolver. A DHCP options set that names other servers sends the
// tasks' questions there, and unless those servers forward to the VPC
// resolver, ECR's names resolve to its public addresses.

type dnsState int

const (
	dnsAmazon  dnsState = iota // the VPC resolver answers
	dnsCustom                  // other name servers answer; they may or may not forward to it
	dnsUnknown                 // canpull cannot tell
)

// resolver is what canpull knows about a VPC's name servers.
type resolver struct {
	state dnsState
	set   *model.DHCPOptions // the DHCP options set, when one is associated
	// servers are the set's name servers, for messages.
	servers []string
}

// resolverOf reads the name servers of a VPC's DHCP options set.
func (n *network) resolverOf(vpc *model.VPC) resolver {
	if vpc == nil {
		return resolver{state: dnsUnknown}
	}
	ref := vpc.DHCPOptions
	if ref.IsZero() {
		if n.cfg.MayLack(model.KindDHCPOptions) {
			return resolver{state: dnsUnknown}
		}
		return resolver{state: dnsAmazon} // the set AWS gives a new VPC
	}
	set, ok := model.Resolve[*model.DHCPOptions](n.cfg, ref)
	if !ok {
		return resolver{state: dnsUnknown}
	}
	ns := set.DomainNameServers
	if !ns.Known || !ns.Set || len(ns.V) == 0 {
		// A set without name servers is not one canpull judges.
		return resolver{state: dnsUnknown, set: set}
	}
	r := resolver{state: dnsCustom, set: set, servers: ns.V}
	for _, s := range ns.V {
		if isAmazonResolver(s, vpc) != no {
			return resolver{state: dnsAmazon, set: set, servers: ns.V}
		}
	}
	return r
}

// amazonResolverAddrs are the addresses of the VPC resolver that do not
// depend on the VPC's range.
var amazonResolverAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.253"),
	netip.MustParseAddr("fd00:ec2::253"),
}

// isAmazonResolver answers whether a name server of a DHCP options set is
// the VPC resolver: AmazonProvidedDNS, 169.254.169.253, fd00:ec2::253, or
// the base of the VPC's primary IPv4 range plus two.
func isAmazonResolver(s string, vpc *model.VPC) tri {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "AmazonProvidedDNS") {
		return yes
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return maybe // a name, a token: canpull cannot tell
	}
	for _, r := range amazonResolverAddrs {
		if a == r {
			return yes
		}
	}
	if !vpc.CIDR.Known {
		return maybe
	}
	p, ok := parseV4(vpc.CIDR.V)
	if !ok {
		return maybe
	}
	base := p.Addr().As4()
	if base[3] > 253 {
		return maybe // not a VPC's range
	}
	if a == netip.AddrFrom4([4]byte{base[0], base[1], base[2], base[3] + 2}) {
		return yes
	}
	return no
}

// throughInterface follows a need to the interface endpoint whose private
// DNS name serves it. Name servers other than the VPC resolver answer that
// name with the service's public addresses unless they forward to the VPC
// resolver: where the endpoints are the only way out, that is CP211's
// warning; where the subnet has a way to the internet, the pull goes there
// either way.
func (n *network) throughInterface(p *subnetPath, nd need, ep *model.VPCEndpoint) (outcome, verdict) {
	o, v := n.throughEndpoint(p, nd, ep)
	r := n.resolverOf(p.vpc)
	if r.state == dnsAmazon || o == broken || p.inet.state == inetOK {
		return o, v
	}
	if r.state == dnsUnknown || p.inet.state == inetUnknown {
		what := "whether the name servers of " + p.vpc.Addr + " are the VPC resolver"
		if r.set != nil {
			what = "whether the name servers of " + r.set.Addr + " are the VPC resolver"
		}
		why := "The tasks reach ECR through VPC endpoints, whose private DNS names resolve only through the VPC resolver (AmazonProvidedDNS)."
		if r.state == dnsCustom {
			what = "whether the name servers of " + r.set.Addr + " forward to the VPC resolver"
			why += " The DHCP options name " + strings.Join(r.servers, ", ") + ", and whether " + p.subnet.Addr + " has another way out is unknown."
		}
		p.unknowns = append(p.unknowns, verdict{rule: "CP211", need: nd, what: what, why: why,
			how: "scan the folder that defines the VPC's DHCP options set too"})
		return o, v
	}
	v = verdict{rule: "CP211", need: nd, at: r.set.DomainNameServers.Range, objs: []model.Object{r.set, ep},
		reason: "DHCP options " + r.set.Addr + " name the servers " + strings.Join(r.servers, ", ") + ", not the VPC resolver"}
	return broken, v
}
