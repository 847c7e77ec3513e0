package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// The route half of a way out: from a subnet's route table over its IPv4
// default route to the internet.

// inetState says whether a subnet's default route reaches the internet.
type inetState int

const (
	inetUnknown    inetState = iota // a fact is missing, or a target canpull does not follow
	inetOK                          // a public NAT gateway, or an internet gateway with a public IP
	inetNone                        // no default route at all
	inetNoPublicIP                  // an internet gateway, and the task gets no public IP (CP203)
	inetNATBroken                   // a NAT gateway that cannot reach the internet (CP209)
)

// internetWay is what a subnet's default route leads to.
type internetWay struct {
	state  inetState
	route  *model.Route // the IPv4 default route, if any
	target model.Object // what it leads to, when in the configuration
	// targetName names the target: an address or a literal ID.
	targetName string
	// privateRoutes is true when other routes lead to other networks
	// (peering, transit, VPN): a registry on private addresses may be there.
	privateRoutes bool
	// A NAT gateway that cannot reach the internet: why, where, and what
	// canpull followed to find out.
	natReason string
	natAt     hcl.Range
	natObjs   []model.Object
	// what and how say which fact was missing, when the state is unknown,
	// and rule the rule that had to stop there; at is where the fact is
	// written, when it is one fact (zero: the service's subnets).
	what, how, rule string
	at              hcl.Range
}

func (w *internetWay) unknown(what, how string) {
	w.state, w.what, w.how, w.rule = inetUnknown, what, how, "CP201"
}

// routeTableOf returns the route table a subnet uses: its explicit
// association, else its VPC's main table. A VPC of the configuration whose
// main table the configuration does not manage has the one AWS made, with
// only the local route. nil when canpull cannot tell.
func (n *network) routeTableOf(sn *model.Subnet) *model.RouteTable {
	if !sn.RouteTable.IsZero() {
		rt, _ := model.Resolve[*model.RouteTable](n.cfg, sn.RouteTable)
		return rt
	}
	vpc, ok := model.Resolve[*model.VPC](n.cfg, sn.VPC)
	if !ok {
		return nil
	}
	if !vpc.MainRouteTable.IsZero() {
		rt, _ := model.Resolve[*model.RouteTable](n.cfg, vpc.MainRouteTable)
		return rt
	}
	if vpc.Default || n.cfg.MayLack(model.KindRoute) {
		return nil // the default VPC's main table routes to its internet gateway
	}
	if rt := n.mains[vpc.Addr]; rt != nil {
		return rt
	}
	rt := &model.RouteTable{Meta: model.Meta{Addr: vpc.Addr + mainTableSuffix, Range: vpc.Range, Region: vpc.Region},
		VPC: model.Ref{Addr: vpc.Addr, Known: true, Range: vpc.Range}, RoutesKnown: true, IsDefault: true}
	n.mains[vpc.Addr] = rt
	return rt
}

// mainTableSuffix ends the address of a VPC's main table that the
// configuration does not manage (the Terraform adapter uses the same).
const mainTableSuffix = ".main_route_table"

// tableName names a route table for messages.
func tableName(rt *model.RouteTable) string {
	if vpc, ok := strings.CutSuffix(rt.Addr, mainTableSuffix); ok {
		return "the main route table of " + vpc
	}
	return rt.Addr
}

// routeScan is what a route table's routes say about the ways out.
type routeScan struct {
	def *model.Route // the IPv4 default route
	// other is true when some route may carry IPv4 traffic to public
	// addresses without being the default route: a prefix list, a public
	// range, an unknown destination.
	other bool
	// private is true when some route leads to other private networks.
	private bool
	// def6 is the IPv6 default route (::/0), and nat64 the most specific
	// other route that holds 64:ff9b::/96, where DNS64 addresses go.
	def6, nat64 *model.Route
	// other6 is true when some IPv6 route other than those may carry IPv6
	// traffic to public addresses: an unknown destination, a prefix list.
	other6 bool
}

func scanRoutes(rt *model.RouteTable) routeScan {
	var rs routeScan
	if rt.Propagates {
		rs.other, rs.private, rs.other6 = true, true, true // routes from a VPN gateway, known only at run time
	}
	for _, r := range rt.Routes {
		if r.TargetKind == model.TargetLocal {
			continue
		}
		d := r.Destination
		switch {
		case !d.Known || r.PrefixList:
			rs.other, rs.private, rs.other6 = true, true, true
		case r.IPv6:
			p, ok := parseV6(d.V)
			switch {
			case !ok:
				rs.other6, rs.private = true, true
			case p.Bits() == 0:
				rs.def6 = r
			case covers(p, nat64Prefix):
				if rs.nat64 == nil || p.Bits() > rs.nat64Bits() {
					rs.nat64 = r
				}
			default:
				rs.private = true
				if reachesPublicV6(p) != no && !covers(nat64Prefix, p) {
					rs.other6 = true
				}
			}
		default:
			p, ok := parseV4(d.V)
			switch {
			case !ok:
				rs.other, rs.private = true, true
			case p.Bits() == 0:
				rs.def = r
			default:
				if reachesPublic(p) != no {
					rs.other = true
				}
				if !isPublicOnly(p) {
					rs.private = true
				}
			}
		}
	}
	return rs
}

// nat64Bits is the prefix length of the NAT64 route.
func (rs routeScan) nat64Bits() int {
	p, _ := parseV6(rs.nat64.Destination.V)
	return p.Bits()
}

// internet follows a subnet's default route.
func (n *network) internet(p *subnetPath) internetWay {
	var w internetWay
	rt := p.table
	if rt == nil {
		w.unknown("the route table of "+p.subnet.Addr+" is not in the configuration",
			"scan the folder that defines the route tables too")
		return w
	}
	if !rt.RoutesKnown {
		w.unknown("some routes of "+tableName(rt)+" cannot be determined",
			"give the variables that its routes depend on values with --var-file or --var")
		return w
	}
	rs := scanRoutes(rt)
	w.privateRoutes = rs.private
	if rs.def == nil {
		switch {
		case rs.other:
			w.unknown(tableName(rt)+" has routes canpull does not follow (a prefix list or a public range)", "")
		case n.cfg.MayLack(model.KindRoute):
			w.unknown("routes of "+tableName(rt)+" may be defined where canpull cannot see them", "run terraform init so that every module is on disk")
		default:
			w.state = inetNone
		}
		return w
	}
	w.route = rs.def
	w.target = n.cfg.Lookup(rs.def.Target.Addr)
	w.targetName = rs.def.Target.Addr
	if w.targetName == "" {
		w.targetName = rs.def.Target.Value
	}
	switch rs.def.TargetKind {
	case model.TargetInternetGateway:
		ip := p.o.publicIPAt(p.subnet)
		switch {
		case !ip.Known && p.o.svc != nil:
			w.unknown("whether "+p.o.label+" assigns its tasks a public IP (assign_public_ip is unknown)",
				"give the variable it depends on a value with --var-file or --var")
			w.rule, w.at = "CP203", ip.Range
		case !ip.Known:
			w.unknown("whether the "+p.o.title()+" get a public IP in "+p.subnet.Addr+" is unknown",
				"give the variable it depends on a value with --var-file or --var")
			w.rule, w.at = "CP203", ip.Range
		case ip.V:
			w.state = inetOK
		default:
			w.state = inetNoPublicIP
		}
	case model.TargetNATGateway:
		n.natWay(&w)
		if w.state == inetUnknown {
			w.rule = "CP209"
		}
	default:
		what := "0.0.0.0/0 of " + tableName(rt) + " goes to " + rs.def.TargetKind.String()
		if w.targetName != "" {
			what += " " + w.targetName
		}
		w.unknown(what+", which canpull does not follow to the internet", "")
	}
	if rs.other && (w.state == inetNoPublicIP || w.state == inetNATBroken) {
		w.unknown(tableName(rt)+" has other routes that may lead out (a prefix list or a public range)", "")
	}
	return w
}

// natWay checks that the NAT gateway of a default route reaches the
// internet: a public NAT gateway in a subnet that routes 0.0.0.0/0 to an
// internet gateway.
func (n *network) natWay(w *internetWay) {
	nat, ok := w.target.(*model.NATGateway)
	if !ok {
		w.unknown("NAT gateway "+w.targetName+" is not in the configuration", "scan the folder that defines it too")
		return
	}
	ct := nat.ConnectivityType
	switch {
	case !ct.Known:
		w.unknown("connectivity_type of "+nat.Addr+" is unknown", "give the variable it depends on a value with --var-file or --var")
		return
	case ct.V == "private":
		w.state, w.natAt, w.natObjs = inetNATBroken, ct.Range, []model.Object{nat}
		w.natReason = "whose connectivity_type is private"
		return
	}
	sn, ok := model.Resolve[*model.Subnet](n.cfg, nat.Subnet)
	if !ok {
		w.unknown("the subnet of "+nat.Addr+" is not in the configuration", "scan the folder that defines it too")
		return
	}
	rt := n.routeTableOf(sn)
	switch {
	case rt == nil:
		w.unknown("the route table of "+sn.Addr+", the subnet of "+nat.Addr+", is not in the configuration", "scan the folder that defines it too")
		return
	case !rt.RoutesKnown:
		w.unknown("some routes of "+tableName(rt)+", the route table of "+nat.Addr+"'s subnet, cannot be determined",
			"give the variables that its routes depend on values with --var-file or --var")
		return
	}
	rs := scanRoutes(rt)
	switch {
	case rs.def == nil && (rs.other || n.cfg.MayLack(model.KindRoute)):
		w.unknown("whether "+tableName(rt)+" leads "+nat.Addr+" to the internet", "")
	case rs.def == nil:
		w.state, w.natAt, w.natObjs = inetNATBroken, nat.Subnet.Range, []model.Object{nat, sn, rt}
		w.natReason = "whose subnet " + sn.Addr + " has no 0.0.0.0/0 route to an internet gateway"
	case rs.def.TargetKind == model.TargetInternetGateway:
		w.state = inetOK
	case rs.def.Target.Addr == nat.Addr:
		w.state, w.natAt, w.natObjs = inetNATBroken, nat.Subnet.Range, []model.Object{nat, sn, rt}
		w.natReason = "whose subnet " + sn.Addr + " sends 0.0.0.0/0 back to the NAT gateway itself"
	default:
		w.unknown("the default route of "+nat.Addr+"'s subnet goes to "+rs.def.TargetKind.String()+
			" "+orText(rs.def.Target.Addr, rs.def.Target.Value)+", which canpull does not follow", "")
	}
}
