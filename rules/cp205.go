package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var EndpointIngressBlocked = register(&lint.Rule{
	ID:        "CP205",
	Name:      "endpoint-ingress-blocked",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "security-groups", "vpc-endpoints"},
	Summary:   "An interface VPC endpoint that a Fargate service's tasks (or its EC2 instances) rely on has security groups that admit no inbound TCP 443 from them.",
	Run:       runEndpointIngressBlocked,
})

func runEndpointIngressBlocked(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		ep, _ := nf.v.objs[0].(*model.VPCEndpoint)
		var groups, cidrs []string
		for _, o := range nf.v.objs[1:] {
			if g, ok := o.(*model.SecurityGroup); ok {
				groups = append(groups, groupName(g))
			}
		}
		for _, p := range nf.paths {
			if p.subnet.CIDR.Known {
				cidrs = append(cidrs, p.subnet.CIDR.V)
			}
		}
		from := "the task's security groups"
		if len(cidrs) > 0 {
			from += " or its subnets (" + model.JoinNames(cidrs, 0) + ")"
		}
		admit := plural(len(groups), "group ", "groups ") + model.JoinNames(groups, 0) + plural(len(groups), " admits", " admit")
		return netText{
			headline: fmt.Sprintf("VPC endpoint %s admits no TCP 443 from the tasks of %s", ep.Addr, nf.o.title()),
			detail: fmt.Sprintf("%s %s, and its tasks reach %s through the interface endpoint %s (private DNS sends the service's host name there), "+
				"but the endpoint's security %s no inbound TCP 443 from %s, so %s times out.\nThe task stops with %s.",
				nf.o.runsIn, nf.subnets(), serviceTitle(nd.service), ep.Addr, admit, from, callOf(nd), errorOf(nd)),
			fix: "add an ingress rule for TCP 443 to the endpoint's security group from the tasks' security group (`referenced_security_group_id`) or from the subnets' CIDR blocks",
		}
	})
}
