package rules

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

func TestIsAmazonResolver(t *testing.T) {
	vpc := &model.VPC{CIDR: model.KnownFact("10.20.0.0/16", hcl.Range{})}
	unknown := &model.VPC{CIDR: model.UnknownFact[string](hcl.Range{})}
	for _, tc := range []struct {
		server string
		vpc    *model.VPC
		want   tri
	}{
		{"AmazonProvidedDNS", vpc, yes},
		{"amazonprovideddns", vpc, yes},
		{"169.254.169.253", vpc, yes},
		{"fd00:ec2::253", vpc, yes},
		{"10.20.0.2", vpc, yes}, // the base of the VPC's range plus two
		{"10.20.0.3", vpc, no},  // a server in the VPC
		{"10.0.0.2", vpc, no},   // another VPC's resolver
		{"10.20.0.2", unknown, maybe},
		{"8.8.8.8", unknown, maybe},
		{"dns.corp.example", vpc, maybe},
	} {
		if got := isAmazonResolver(tc.server, tc.vpc); got != tc.want {
			t.Errorf("isAmazonResolver(%q, %s) = %v, want %v", tc.server, tc.vpc.CIDR.V, got, tc.want)
		}
	}
}
