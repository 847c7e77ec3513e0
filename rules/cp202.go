package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var VPCEndpointsIncomplete = register(&lint.Rule{
	ID:        "CP202",
	Name:      "vpc-endpoints-incomplete",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "vpc-endpoints"},
	Summary:   "A Fargate service's (or its EC2 instances') subnets reach ECR only through VPC endpoints, and the set is incomplete: an endpoint is missing, in the wrong place, or without private DNS.",
	Run:       runVPCEndpointsIncomplete,
})

func runVPCEndpointsIncomplete(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		return netText{
			headline: fmt.Sprintf("%s cannot pull: no working %s endpoint", nf.o.title(), nd.service),
			detail: fmt.Sprintf("%s %s, whose only way out is VPC endpoints, and they do not serve %s: %s. "+
				"Without a working endpoint, %s times out.\nThe task stops with %s.",
				nf.o.runsIn, nf.subnets(), nd.what, clause(nf.v.reason), callOf(nd), errorOf(nd)),
			fix:  orText(nf.v.fix, missingEndpointFix(nd)),
			auto: privateDNSFix(pass, nf.v),
		}
	})
}

// privateDNSFix is the edit that turns on private DNS, when private DNS is
// what keeps the endpoint from serving and turning it on is all it takes:
// the VPC resolves private names (enable_dns_support and
// enable_dns_hostnames, which AWS requires before it accepts private DNS),
// and no other endpoint of the service in the VPC has private DNS already
// (AWS refuses a second one: the names would conflict). nil for the other
// defects, which --fix does not touch.
func privateDNSFix(pass *lint.Pass, v verdict) *autofix {
	var e *model.VPCEndpoint
	for _, o := range v.objs {
		if ep, ok := o.(*model.VPCEndpoint); ok && ep.PrivateDNS.Known && !ep.PrivateDNS.V && v.at == ep.PrivateDNS.Range {
			e = ep
		}
	}
	if e == nil {
		return nil
	}
	var a autofix
	_, svc, _ := serviceOf(e)
	if !vpcResolvesPrivateNames(pass.Config, e) {
		a = noFix("private DNS needs enable_dns_support and enable_dns_hostnames on the VPC, which canpull cannot see set: turn them on first")
	} else if other := privateDNSTwin(pass.Config, e, svc); other != "" {
		a = noFix("%s serves %s in the same VPC with private DNS already, and AWS refuses two: keep one of them", other, svc)
	} else {
		a = privateDNSSetting.fix(pass, e.PrivateDNS, e.Addr)
	}
	return &a
}

// vpcResolvesPrivateNames reports whether the endpoint's VPC is in the
// configuration with both DNS attributes known to be on.
func vpcResolvesPrivateNames(cfg *model.Config, e *model.VPCEndpoint) bool {
	vpc, ok := model.Resolve[*model.VPC](cfg, e.VPC)
	if !ok {
		return false
	}
	d, unknown := dnsDefect(vpc)
	return d == nil && !unknown
}

// privateDNSTwin names another endpoint of service in e's VPC whose private
// DNS is on or may be, or "".
func privateDNSTwin(cfg *model.Config, e *model.VPCEndpoint, service string) string {
	for _, o := range cfg.Endpoints {
		if o == e || o.VPC.Addr != e.VPC.Addr {
			continue
		}
		if _, svc, ok := serviceOf(o); ok && svc == service && (o.PrivateDNS.V || !o.PrivateDNS.Known) {
			return o.Addr
		}
	}
	return ""
}

// privateDNSSetting turns private_dns_enabled on: PrivateDnsEnabled in the
// endpoint's Properties in CloudFormation.
var privateDNSSetting = setTrue{
	tfName: "private_dns_enabled", tfBlock: "resource",
	cfnName: "PrivateDnsEnabled", cfnPath: []string{"Properties"},
	on: "true", off: "false",
}

// missingEndpointFix says which endpoint to add for a need.
func missingEndpointFix(nd need) string {
	region := orText(nd.region, "REGION")
	if nd.kind == needLayers {
		return "add a Gateway endpoint for com.amazonaws." + region + ".s3 with the subnets' route table in `route_table_ids`: ECR serves image layers from S3"
	}
	return "add an Interface endpoint for com.amazonaws." + region + "." + nd.service +
		" in the tasks' VPC, with `private_dns_enabled = true`, `subnet_ids`, and a security group that admits TCP 443 from the tasks"
}
