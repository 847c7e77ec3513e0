package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// The way out of a Fargate task: from each of the service's subnets to its
// route table, the default route's target, or the VPC endpoints.

// exit classifies one subnet's way to the registry.
type exit int

const (
	exitUnknown    exit = iota // a fact is missing, or a target canpull does not follow
	exitOK                     // a way out that works as far as canpull can tell
	exitNone                   // no default route and no ECR endpoint at all (CP201)
	exitNoPublicIP             // default route to an internet gateway, no public IP (CP203)
)

// subnetExit is the way out of one subnet of a service.
type subnetExit struct {
	subnet *model.Subnet
	table  *model.RouteTable
	route  *model.Route // the IPv4 default route, if any
	target model.Object // what the default route leads to, if in the configuration
	exit   exit
}

// exits follows a Fargate service's subnets. It returns nil when the
// service does not run on Fargate, has no known network configuration, or
// names subnets outside the configuration.
func exits(cfg *model.Config, s *model.Service) []subnetExit {
	if launchOf(cfg, s) != launchFargate || s.Network == nil || !s.Network.Subnets.AllKnown() {
		return nil
	}
	var out []subnetExit
	for _, r := range s.Network.Subnets.Items {
		sn, ok := model.Resolve[*model.Subnet](cfg, r)
		if !ok {
			out = append(out, subnetExit{exit: exitUnknown})
			continue
		}
		out = append(out, subnetExitOf(cfg, s, sn))
	}
	return out
}

func subnetExitOf(cfg *model.Config, s *model.Service, sn *model.Subnet) subnetExit {
	se := subnetExit{subnet: sn}
	rt := routeTableOf(cfg, sn)
	if rt == nil || !rt.RoutesKnown {
		return se
	}
	se.table = rt
	for _, r := range rt.Routes {
		if !r.Destination.Known || r.PrefixList {
			return se // it could be a way out
		}
		if r.IPv6 && r.Destination.V == "::/0" {
			return se // IPv6 egress: not followed yet
		}
		if !r.IPv6 && r.Destination.V == "0.0.0.0/0" {
			se.route = r
		}
	}
	if se.route == nil {
		if ecrEndpointsMayExist(cfg, sn) {
			return se
		}
		se.exit = exitNone
		return se
	}
	switch se.route.TargetKind {
	case model.TargetInternetGateway:
		se.target = cfg.Lookup(se.route.Target.Addr)
		ip := s.Network.AssignPublicIP
		switch {
		case !ip.Known:
		case ip.V:
			se.exit = exitOK
		case !ecrEndpointsMayExist(cfg, sn):
			se.exit = exitNoPublicIP
		}
	case model.TargetNATGateway:
		se.target = cfg.Lookup(se.route.Target.Addr)
		se.exit = exitOK
	}
	return se
}

// routeTableOf returns the route table a subnet uses: its explicit
// association, else its VPC's main table. A VPC of the configuration whose
// main table the configuration does not manage has AWS's own, with only the
// local route. nil when canpull cannot tell.
func routeTableOf(cfg *model.Config, sn *model.Subnet) *model.RouteTable {
	if !sn.RouteTable.IsZero() {
		rt, _ := model.Resolve[*model.RouteTable](cfg, sn.RouteTable)
		return rt
	}
	vpc, ok := model.Resolve[*model.VPC](cfg, sn.VPC)
	if !ok {
		return nil
	}
	if !vpc.MainRouteTable.IsZero() {
		rt, _ := model.Resolve[*model.RouteTable](cfg, vpc.MainRouteTable)
		return rt
	}
	if cfg.MayLack(model.KindRoute) {
		return nil
	}
	return &model.RouteTable{Meta: model.Meta{Addr: "the main route table of " + vpc.Addr, Range: vpc.Range}, RoutesKnown: true, IsDefault: true}
}

// ecrEndpointsMayExist reports whether the subnet's VPC has, or may have, a
// VPC endpoint for ECR.
func ecrEndpointsMayExist(cfg *model.Config, sn *model.Subnet) bool {
	if cfg.MayLack(model.KindEndpoint) {
		return true
	}
	vpc, ok := model.Resolve[*model.VPC](cfg, sn.VPC)
	if !ok {
		return true // endpoints of a VPC outside the configuration are out of sight
	}
	for _, e := range cfg.Endpoints {
		if !e.ServiceName.Known || !e.VPC.Known || e.VPC.Addr == "" {
			return true
		}
		if e.VPC.Addr != vpc.Addr {
			continue
		}
		svc := e.ServiceName.V
		if strings.HasSuffix(svc, ".ecr.dkr") || strings.HasSuffix(svc, ".ecr.api") {
			return true
		}
	}
	return false
}

// groupExits gathers the subnets of a service that fail the same way.
func groupExits(ses []subnetExit, want exit) []subnetExit {
	var out []subnetExit
	for _, se := range ses {
		if se.exit == want {
			out = append(out, se)
		}
	}
	return out
}

// pathLine describes one subnet's way out in one line, for related
// locations: "subnet aws_subnet.a → route table aws_route_table.private:
// no 0.0.0.0/0 route".
func pathLine(se subnetExit, end string) string {
	return fmt.Sprintf("subnet %s → route table %s: %s", se.subnet.Addr, se.table.Addr, end)
}

// pathRelated lists a subnet's way out as related locations.
func pathRelated(se subnetExit, end string) []lint.Related {
	rel := []lint.Related{{Range: se.subnet.Range, Message: pathLine(se, end)}}
	if se.table.Range.Filename != "" && se.table.Range != se.subnet.Range {
		rel = append(rel, lint.Related{Range: se.table.Range, Message: "route table " + se.table.Addr})
	}
	if se.route != nil {
		rel = append(rel, lint.Related{Range: se.route.Range, Message: "the default route"})
	}
	if se.target != nil {
		m := model.MetaOf(se.target)
		rel = append(rel, lint.Related{Range: m.Range, Message: m.Addr})
	}
	return rel
}

func subnetNames(ses []subnetExit) []string {
	var names []string
	for _, se := range ses {
		names = append(names, se.subnet.Addr)
	}
	return names
}
