package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var S3EndpointPolicy = register(&lint.Rule{
	ID:        "CP208",
	Name:      "s3-endpoint-policy",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "vpc-endpoints", "s3"},
	Summary:   "The S3 gateway endpoint on the route table of a Fargate service (or of its EC2 instances) has a policy that does not let ECR's image layers through.",
	Run:       runS3EndpointPolicy,
})

func runS3EndpointPolicy(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		region := nf.paths[0].region
		gw, _ := nf.v.objs[0].(*model.VPCEndpoint)
		return netText{
			headline: fmt.Sprintf("the policy of S3 endpoint %s blocks the image layers that %s pulls", gw.Addr, nf.o.title()),
			detail: fmt.Sprintf("%s %s, whose route table sends S3 traffic to the gateway endpoint %s, and its policy does not allow s3:GetObject on %s, "+
				"the bucket where ECR keeps image layers: the layer download is refused.\n"+
				"The task stops with `CannotPullContainerError: ... failed to copy: httpReadSeeker: failed open: unexpected status code https://%s.s3.%s.amazonaws.com/...: 403 Forbidden`.",
				nf.o.runsIn, nf.subnets(), gw.Addr, layerBucketARN(region), layerBucket(region), region),
			fix: fmt.Sprintf("add this statement to the policy of %s: `{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"%s\"}`", gw.Addr, layerBucketARN(region)),
		}
	})
}

type policyDecision int

const (
	policyAllows policyDecision = iota
	policyDenies
	policyUnknown
)

// layerPolicy decides whether a gateway endpoint's policy lets the image
// layers of a region through. The layer requests are signed by ECR, not by
// the task's roles: only statements for every principal surely apply.
func layerPolicy(gw *model.VPCEndpoint, region string) policyDecision {
	pol := gw.Policy
	switch {
	case !pol.Known:
		return policyUnknown
	case !pol.Set || strings.TrimSpace(pol.V) == "":
		return policyAllows // the default policy allows everything
	case region == "":
		return policyUnknown
	}
	doc, err := iam.Parse(pol.V)
	if err != nil {
		return policyUnknown
	}
	d := iam.Evaluate([]*iam.Policy{doc}, iam.Request{
		Principal: &iam.Principal{},
		Action:    "s3:GetObject",
		Resource:  layerBucketARN(region)[:len(layerBucketARN(region))-1] + "sha256/layer",
	})
	switch d {
	case iam.Allow:
		return policyAllows
	case iam.ImplicitDeny, iam.ExplicitDeny:
		return policyDenies
	}
	return policyUnknown
}

// layerBucket is the S3 bucket from which ECR serves a region's layers.
func layerBucket(region string) string { return "prod-" + region + "-starport-layer-bucket" }

// layerBucketARN is the ARN of every object in it.
func layerBucketARN(region string) string {
	return "arn:" + model.Partition(region) + ":s3:::" + layerBucket(region) + "/*"
}
