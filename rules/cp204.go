package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
)

var TaskEgressBlocked = register(&lint.Rule{
	ID:        "CP204",
	Name:      "task-egress-blocked",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "security-groups"},
	Summary:   "A Fargate service's (or its EC2 instances') security groups allow no outbound TCP 443 to where its image comes from: the internet, or its VPC endpoints.",
	Run:       runTaskEgressBlocked,
})

func runTaskEgressBlocked(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		trap := ""
		for _, g := range nf.paths[0].tasks.groups {
			if g.RulesKnown && len(g.Egress) == 0 && !g.Implicit {
				trap = fmt.Sprintf(" (%s has no outbound rule at all: a security group that Terraform manages loses the allow-all rule AWS gives a new group, unless it has an egress block or rule)", groupName(g))
				break
			}
		}
		fix := "add an egress rule for TCP 443 to the service's security group: to 0.0.0.0/0 when the way out is a NAT or internet gateway; to the VPC endpoints' security group (or the VPC's CIDR block) and the S3 gateway endpoint's prefix list when it is VPC endpoints"
		if strings.Contains(nf.v.reason, "over IPv6") || strings.Contains(nf.v.reason, "NAT64") {
			fix = "add an egress rule for TCP 443 to ::/0 to the service's security group (ipv6_cidr_blocks, or cidr_ipv6 of aws_vpc_security_group_egress_rule): rules for IPv4 ranges do not match IPv6 traffic"
		}
		return netText{
			headline: fmt.Sprintf("%s cannot pull: its security groups block outbound TCP 443", nf.o.title()),
			detail: fmt.Sprintf("%s %s, and %s%s, so %s times out: security groups drop the connection without a word.\nThe task stops with %s.",
				nf.o.runsIn, nf.subnets(), nf.v.reason, trap, callOf(nd), errorOf(nd)),
			fix: fix,
		}
	})
}
