package taskdef

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// arn is an Amazon Resource Name: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
type arn struct {
	Partition, Service, Region, Account, Resource string
}

func parseARN(s string) (arn, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return arn{}, false
	}
	return arn{parts[1], parts[2], parts[3], parts[4], parts[5]}, true
}

// arnPlace returns the account and region of an ARN written at r; each is
// an unset fact when s is not an ARN or the ARN does not say.
func arnPlace(s string, r hcl.Range) (account, region model.Fact[string]) {
	a, ok := parseARN(s)
	if !ok {
		return
	}
	if a.Account != "" {
		account = model.KnownFact(a.Account, r)
	}
	if a.Region != "" {
		region = model.KnownFact(a.Region, r)
	}
	return
}

// tdRef is what a service's taskDefinition names: "family", "family:3" or
// an ARN ending in task-definition/family:3. rev is 0 when no revision is
// given (ECS then takes the latest ACTIVE one); account and region are set
// only for an ARN.
type tdRef struct {
	family          string
	rev             int
	account, region string
}

func parseTDRef(s string) (tdRef, bool) {
	var r tdRef
	if strings.HasPrefix(s, "arn:") {
		a, ok := parseARN(s)
		name, found := strings.CutPrefix(a.Resource, "task-definition/")
		if !ok || a.Service != "ecs" || !found {
			return r, false
		}
		r.account, r.region, s = a.Account, a.Region, name
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n < 1 {
			return r, false
		}
		r.rev, s = n, s[:i]
	}
	if s == "" {
		return r, false
	}
	r.family = s
	return r, true
}
