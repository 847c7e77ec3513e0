package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
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
			fix: orText(nf.v.fix, missingEndpointFix(nd)),
		}
	})
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
