package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
)

var NoEgressPath = register(&lint.Rule{
	ID:        "CP201",
	Name:      "no-egress-path",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "routing"},
	Summary:   "A subnet of a Fargate service, or of the EC2 instances that pull a service's images, has no route to the internet and no VPC endpoints for ECR: the registry is out of reach.",
	Run:       runNoEgressPath,
})

func runNoEgressPath(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		switch nf.v.reason {
		case "no ECR endpoint, and its ::/0 route carries IPv6 only":
			host := orText(nf.v.need.image.Host, "ECR's standard host")
			return netText{
				headline: fit(fmt.Sprintf("%s cannot reach the registry: %s %s only an IPv6 route out, and %s has IPv4 addresses only",
					nf.o.title(), nf.fewSubnets(), plural(len(nf.paths), "has", "have"), host),
					fmt.Sprintf("%s cannot reach the registry: its only route out is IPv6, and ECR's standard name is IPv4-only", nf.o.title())),
				detail: fmt.Sprintf("%s %s, whose route table has no IPv4 default route (0.0.0.0/0) to a NAT gateway or an internet gateway, "+
					"and the VPC has no VPC endpoints for ECR. Its ::/0 route carries IPv6 only, and %s, ECR's standard name, has IPv4 addresses only "+
					"(ECR's dual-stack name for it is %s).\nThe tasks stop with `CannotPullContainerError: ... request canceled while waiting for connection` or `... i/o timeout`.",
					nf.o.runsIn, nf.subnets(), host, dualStackHost(host)),
				fix: "route 0.0.0.0/0 to a NAT gateway, or pull from the dual-stack name " + dualStackHost(host) + " over ::/0",
			}
		case "no ::/0 route, no DNS64 + NAT64 and no ECR endpoint":
			return netText{
				headline: fit(fmt.Sprintf("%s cannot reach the registry: IPv6-only %s %s no route out and no ECR endpoints",
					nf.o.title(), nf.fewSubnets(), plural(len(nf.paths), "has", "have")),
					fmt.Sprintf("%s cannot reach the registry: its IPv6-only subnets have no route out", nf.o.title())),
				detail: fmt.Sprintf("%s the IPv6-only %s, whose route table has no IPv6 default route (::/0) to an internet gateway or an "+
					"egress-only internet gateway and no DNS64 + NAT64 path, and the VPC has no VPC endpoints for ECR: the tasks cannot reach the registry.\n"+
					"They stop with `CannotPullContainerError: ... i/o timeout`.", nf.o.runsIn, nf.subnets()),
				fix: "route ::/0 to an egress-only internet gateway (and pull from ECR's dual-stack names), or add DNS64 + NAT64",
			}
		}
		stop := "They stop with `CannotPullContainerError: ... request canceled while waiting for connection` or " +
			"`ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve ecr registry auth`."
		if nf.svc == nil {
			stop = "The tasks placed on them stop with `CannotPullContainerError: ... request canceled while waiting for connection`."
		}
		return netText{
			headline: fit(fmt.Sprintf("%s cannot reach the registry: %s %s no route out and no ECR endpoints",
				nf.o.title(), nf.fewSubnets(), plural(len(nf.paths), "has", "have")),
				fmt.Sprintf("%s cannot reach the registry: its subnets have no route out and no ECR endpoints", nf.o.title())),
			detail: fmt.Sprintf("%s %s, whose route table has no default route (0.0.0.0/0) to a NAT gateway or an internet gateway, "+
				"and the VPC has no VPC endpoints for ECR: the registry is out of reach.\n%s",
				nf.o.runsIn, nf.subnets(), stop),
			fix: "route 0.0.0.0/0 to a NAT gateway in a public subnet, or add interface VPC endpoints for ecr.api and ecr.dkr (`private_dns_enabled = true`) and an S3 gateway endpoint on the subnets' route table",
		}
	})
}
