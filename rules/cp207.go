package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
)

var ServiceEndpointsMissing = register(&lint.Rule{
	ID:        "CP207",
	Name:      "service-endpoints-missing",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "vpc-endpoints", "secrets", "logs"},
	Summary:   "A Fargate service's (or its EC2 instances') subnets reach AWS only through VPC endpoints, and its tasks need CloudWatch Logs, Secrets Manager or SSM Parameter Store, which no endpoint serves.",
	Run:       runServiceEndpointsMissing,
})

func runServiceEndpointsMissing(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		return netText{
			headline: fmt.Sprintf("%s cannot reach %s: no working %s endpoint", nf.o.title(), serviceTitle(nd.service), nd.service),
			detail: fmt.Sprintf("%s %s, whose only way out is VPC endpoints, and its tasks need %s for %s, but %s. %s times out before the containers start.\nThe task stops with %s.",
				nf.o.runsIn, nf.subnets(), serviceTitle(nd.service), nd.what, clause(nf.v.reason), capitalize(callOf(nd)), errorOf(nd)),
			fix: orText(nf.v.fix, missingEndpointFix(nd)),
		}
	})
}

// capitalize upper-cases the first letter of a sentence.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
