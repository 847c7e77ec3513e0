package lint_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/canpull/canpull/lint"
)

func TestFitHeadline(t *testing.T) {
	long := strings.Repeat("word ", 40)
	for _, tc := range []struct {
		name, msg, want string
		truncated       bool
	}{
		{"fits", "service aws_ecs_service.app gets no public IP", "service aws_ecs_service.app gets no public IP", false},
		{"long names cut to their last part",
			"service ServicesNestedStackServicesNestedStackResource88A37A07.ServiceD69D759B gets no public IP, and its subnets VpcPublicSubnet1Subnet5C2D37C4 reach the registry only through an internet gateway",
			"service …ServiceD69D759B gets no public IP, and its subnets VpcPublicSubnet1Subnet5C2D37C4 reach the registry only through an internet gateway", false},
		{"a Terraform address keeps its type",
			`service module.platform["production"].module.service.aws_ecs_service.this gets no public IP, and its subnets reach the registry only through an internet gateway here`,
			"service …aws_ecs_service.this gets no public IP, and its subnets reach the registry only through an internet gateway here", false},
		{"prose that is too long is cut, and kept whole in the body", long, "", true},
		{"a line break", "one\ntwo", "one two …", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := lint.Finding{Message: tc.msg, Detail: "body"}
			f.FitHeadline()
			if n := utf8.RuneCountInString(f.Message); n > lint.MaxHeadline || strings.Contains(f.Message, "\n") {
				t.Errorf("headline of %d characters: %q", n, f.Message)
			}
			if tc.want != "" && f.Message != tc.want {
				t.Errorf("headline\n%q, want\n%q", f.Message, tc.want)
			}
			if f.Truncated() != tc.truncated {
				t.Errorf("Truncated() = %v, want %v", f.Truncated(), tc.truncated)
			}
			if tc.truncated && !strings.HasPrefix(f.Detail, tc.msg+"\n") {
				t.Errorf("the body does not start with the whole message: %q", f.Detail)
			}
			if !tc.truncated && f.Detail != "body" {
				t.Errorf("the body changed: %q", f.Detail)
			}
		})
	}
}
