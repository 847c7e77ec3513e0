package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Which VPC endpoint serves a need. An interface endpoint serves a
// service when it is in the task's VPC, for the service's region, with
// private DNS on (and the VPC's DNS attributes on): the service's usual
// host name then resolves to the endpoint, whatever other way out the
// subnet has. The S3 gateway endpoint serves ECR's layers when it is on
// the subnet's route table.

// endpointIndex holds a configuration's VPC endpoints by VPC.
type endpointIndex struct {
	byVPC map[string][]*model.VPCEndpoint
	// unplaced are endpoints whose VPC or service name is unknown: they may
	// be any VPC's, for any service.
	unplaced []*model.VPCEndpoint
	all      []*model.VPCEndpoint
}

func indexEndpoints(cfg *model.Config) *endpointIndex {
	ix := &endpointIndex{byVPC: map[string][]*model.VPCEndpoint{}, all: cfg.Endpoints}
	for _, e := range cfg.Endpoints {
		if !e.ServiceName.Known || !e.VPC.Known || e.VPC.Addr == "" {
			ix.unplaced = append(ix.unplaced, e)
			continue
		}
		ix.byVPC[e.VPC.Addr] = append(ix.byVPC[e.VPC.Addr], e)
	}
	return ix
}

// serviceOf splits an endpoint's service name, "com.amazonaws.REGION.NAME"
// (or "cn.com.amazonaws.…" in China), into region and service.
func serviceOf(e *model.VPCEndpoint) (region, service string, ok bool) {
	s := e.ServiceName.V
	for _, prefix := range []string{"com.amazonaws.", "cn.com.amazonaws."} {
		if rest, found := strings.CutPrefix(s, prefix); found {
			region, service, ok = strings.Cut(rest, ".")
			return region, service, ok && strings.Contains(region, "-")
		}
	}
	return "", "", false
}

// found is the outcome of looking for an endpoint.
type found struct {
	ep *model.VPCEndpoint // the endpoint that serves the need
	// unknown says why canpull cannot tell, when it cannot.
	unknown string
	// defect says why no endpoint serves it, when one comes close; nil with
	// ep and unknown empty: there is none at all.
	defect *defect
}

// defect is what keeps an endpoint from serving a need.
type defect struct {
	reason string
	fix    string
	at     hcl.Range
	obj    model.Object
}

// candidates collects the endpoints for a service in a VPC. mystery is true
// when an endpoint canpull cannot place may be one.
func (n *network) candidates(vpc *model.VPC, service string) (same []*model.VPCEndpoint, mystery bool) {
	mystery = len(n.eps.unplaced) > 0 || n.cfg.MayLack(model.KindEndpoint)
	for _, e := range n.eps.byVPC[vpc.Addr] {
		if _, svc, ok := serviceOf(e); ok && svc == service {
			same = append(same, e)
		}
	}
	return same, mystery
}

// findInterface looks for the interface endpoint that serves a service in
// a region ("" when the region is unknown) for tasks in vpc.
func (n *network) findInterface(vpc *model.VPC, service, region string) found {
	if vpc == nil {
		return found{unknown: "the VPC of the subnet is not in the configuration"}
	}
	same, mystery := n.candidates(vpc, service)
	var first *defect
	note := func(d defect) {
		if first == nil {
			first = &d
		}
	}
	for _, e := range same {
		r, _, _ := serviceOf(e)
		if region == "" {
			return found{unknown: "whether " + e.Addr + " serves the region the tasks need"}
		}
		if r != region {
			continue
		}
		switch {
		case !e.Type.Known || !e.PrivateDNS.Known || !e.Subnets.Known:
			return found{unknown: "the settings of " + e.Addr}
		case e.Type.V != "Interface":
			how := "is " + e.Type.V
			if !e.Type.Set {
				how = "is left out (the default is Gateway)"
			}
			note(defect{reason: e.Addr + " is not an interface endpoint: vpc_endpoint_type " + how, at: e.Type.Range, obj: e,
				fix: "set `vpc_endpoint_type = \"Interface\"` on " + e.Addr})
		case !e.PrivateDNS.V:
			how := "is false"
			if !e.PrivateDNS.Set {
				how = "is left out (the default is false)"
			}
			note(defect{reason: "private_dns_enabled of " + e.Addr + " " + how, at: e.PrivateDNS.Range, obj: e,
				fix: "set `private_dns_enabled = true` on " + e.Addr + ", so that the service's usual host name resolves to the endpoint"})
		case len(e.Subnets.Items) == 0:
			note(defect{reason: e.Addr + " has no subnets, so no network interface", at: e.Subnets.Range, obj: e,
				fix: "give " + e.Addr + " `subnet_ids`: one subnet in each Availability Zone the tasks use"})
		default:
			if d, unknown := dnsDefect(vpc); unknown {
				return found{unknown: "the DNS attributes of " + vpc.Addr}
			} else if d != nil {
				d.obj = e
				note(*d)
				continue
			}
			return found{ep: e}
		}
	}
	switch {
	case mystery:
		return found{unknown: "VPC endpoints that canpull cannot see (an unknown count, VPC or service name, or a module not on disk) may serve " + service}
	case first != nil:
		return found{defect: first}
	}
	for _, e := range same {
		r, _, _ := serviceOf(e)
		return found{defect: &defect{reason: e.Addr + " serves " + r + ", not " + region, at: e.ServiceName.Range, obj: e,
			fix: "set `service_name = \"com.amazonaws." + region + "." + service + "\"` on " + e.Addr}}
	}
	return found{defect: n.elsewhere(vpc, service, region)}
}

// elsewhere explains a missing endpoint that exists in another VPC.
func (n *network) elsewhere(vpc *model.VPC, service, region string) *defect {
	for _, e := range n.eps.all {
		if r, svc, ok := serviceOf(e); ok && svc == service && r == region && e.VPC.Addr != vpc.Addr && e.VPC.Addr != "" {
			return &defect{reason: e.Addr + " is in " + e.VPC.Addr + ", not in " + vpc.Addr, at: e.VPC.Range, obj: e,
				fix: "create the " + service + " endpoint in " + vpc.Addr + ", the VPC of the tasks' subnets"}
		}
	}
	return nil
}

// dnsDefect checks the VPC attributes that private DNS needs: both
// enable_dns_support and enable_dns_hostnames.
func dnsDefect(vpc *model.VPC) (*defect, bool) {
	for _, a := range []struct {
		name string
		f    model.Fact[bool]
		def  string
	}{
		{"enable_dns_support", vpc.EnableDNSSupport, "true"},
		{"enable_dns_hostnames", vpc.EnableDNSHostnames, "false"},
	} {
		if !a.f.Known {
			return nil, true
		}
		if !a.f.V {
			how := "is false"
			if !a.f.Set {
				how = "is left out (the default is " + a.def + ")"
			}
			return &defect{reason: a.name + " of " + vpc.Addr + " " + how + ", so private DNS names do not resolve", at: a.f.Range,
				fix: "set `enable_dns_support = true` and `enable_dns_hostnames = true` on " + vpc.Addr}, false
		}
	}
	return nil, false
}

// findGateway looks for the S3 gateway endpoint of a region on a route
// table.
func (n *network) findGateway(vpc *model.VPC, rt *model.RouteTable, region string) found {
	if vpc == nil || rt == nil {
		return found{unknown: "the route table of the subnet is not in the configuration"}
	}
	same, mystery := n.candidates(vpc, "s3")
	var first *defect
	for _, e := range same {
		r, _, _ := serviceOf(e)
		if region == "" {
			return found{unknown: "whether " + e.Addr + " serves the region of the image"}
		}
		if r != region {
			continue
		}
		switch {
		case !e.Type.Known || !e.RouteTables.Known:
			return found{unknown: "the settings of " + e.Addr}
		case e.Type.V == "Interface":
			return found{unknown: "whether the S3 interface endpoint " + e.Addr + " serves the image layers"}
		case e.Type.V != "Gateway":
			continue
		}
		for _, t := range e.RouteTables.Items {
			switch {
			case t.Addr == rt.Addr:
				return found{ep: e}
			case t.Addr == "":
				return found{unknown: "the route tables of " + e.Addr}
			}
		}
		if first == nil {
			first = &defect{reason: e.Addr + " is not on " + tableName(rt), at: e.RouteTables.Range, obj: e,
				fix: "add " + tableName(rt) + " to `route_table_ids` of " + e.Addr}
		}
	}
	switch {
	case mystery:
		return found{unknown: "VPC endpoints that canpull cannot see may serve s3"}
	case first != nil:
		return found{defect: first}
	}
	for _, e := range same {
		r, _, _ := serviceOf(e)
		return found{defect: &defect{reason: e.Addr + " serves " + r + ", not " + region, at: e.ServiceName.Range, obj: e,
			fix: "set `service_name = \"com.amazonaws." + region + ".s3\"` on " + e.Addr}}
	}
	return found{defect: n.elsewhere(vpc, "s3", region)}
}

// crossRegion reports whether the VPC has an endpoint for a need's service
// in the need's region, another than the VPC's: PrivateLink can connect
// some services across regions, and canpull does not judge those.
func (n *network) crossRegion(vpc *model.VPC, nd need) bool {
	if vpc == nil {
		return false
	}
	for _, e := range n.eps.byVPC[vpc.Addr] {
		if r, svc, ok := serviceOf(e); ok && svc == nd.service && r == nd.region {
			return true
		}
	}
	return false
}

// ecrEndpoints says whether the VPC has an endpoint for ECR (ecr.api or
// ecr.dkr, of any region or shape): CP201 is for a subnet without any.
func (n *network) ecrEndpoints(vpc *model.VPC) tri {
	if vpc == nil {
		return maybe
	}
	for _, e := range n.eps.byVPC[vpc.Addr] {
		if _, svc, ok := serviceOf(e); ok && (svc == "ecr.api" || svc == "ecr.dkr") {
			return yes
		}
	}
	if len(n.eps.unplaced) > 0 || n.cfg.MayLack(model.KindEndpoint) {
		return maybe
	}
	return no
}
