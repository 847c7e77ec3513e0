package iam

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// Cases follow AWS's documented policy evaluation logic: an explicit deny
// wins over any allow; without an allow the request is implicitly denied;
// wildcards match in actions (case-insensitively) and resources; an account
// principal grants to the whole account.
func TestEvaluate(t *testing.T) {
	const acct = "111122223333"
	role := "arn:aws:iam::111122223333:role/exec"
	me := &Principal{Account: acct, ARN: role}
	anon := &Principal{}
	repo := "arn:aws:ecr:eu-west-1:999988887777:repository/app"
	for _, tc := range []struct {
		name string
		docs []string
		req  Request
		want Decision
	}{
		{"no statement allows", []string{`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"exact action", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"action case-insensitive", []string{`{"Statement":[{"Effect":"Allow","Action":"ECR:batchgetimage","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"service wildcard", []string{`{"Statement":{"Effect":"Allow","Action":"ecr:*","Resource":"*"}}`},
			Request{Action: "ecr:GetDownloadUrlForLayer", Resource: repo}, Allow},
		{"prefix wildcard", []string{`{"Statement":[{"Effect":"Allow","Action":["ecr:Get*"],"Resource":"*"}]}`},
			Request{Action: "ecr:GetAuthorizationToken"}, Allow},
		{"prefix wildcard misses", []string{`{"Statement":[{"Effect":"Allow","Action":["ecr:Get*"],"Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"question mark", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImag?","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"star action", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"explicit deny wins", []string{
			`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}`,
			`{"Statement":[{"Effect":"Deny","Action":"ecr:BatchGetImage","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ExplicitDeny},
		{"deny of another action", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Effect":"Deny","Action":"ecr:DeleteRepository","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"NotAction allows the rest", []string{`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"NotAction excludes", []string{`{"Statement":[{"Effect":"Allow","NotAction":"ecr:*","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"resource wildcard in ARN", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:999988887777:repository/*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"resource of another repository", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:eu-west-1:999988887777:repository/other"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"NotResource", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","NotResource":"arn:aws:ecr:eu-west-1:999988887777:repository/other"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"unknown resource is unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:eu-west-1:999988887777:repository/app"}]}`},
			Request{Action: "ecr:BatchGetImage"}, Unknown},
		{"condition makes allow unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Unknown},
		{"conditional deny makes allow unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Effect":"Deny","Action":"ecr:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Unknown},
		{"token in action is unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"` + model.Token("aws_x.y", "id") + `","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Unknown},
		// Resource-based policies: the principal decides.
		{"account principal", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"root ARN principal grants the account", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":["ecr:BatchGetImage"]}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"account ID written as a number", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":[111122223333]},"Action":["ecr:BatchGetImage"]}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"other account", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ImplicitDeny},
		{"role principal", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/exec"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"another role of the account", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/other"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ImplicitDeny},
		{"role principal, caller's role unknown", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/exec"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: &Principal{Account: acct}, Action: "ecr:BatchGetImage"}, Unknown},
		{"caller's account unknown", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: anon, Action: "ecr:BatchGetImage"}, Unknown},
		{"star principal", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"star principal with org condition", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Unknown},
		{"service principal only", []string{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ImplicitDeny},
		{"statement without principal grants nothing", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ImplicitDeny},
		{"NotPrincipal deny of others", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:*"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, Allow},
		{"NotPrincipal deny hits", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"ecr:*"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ExplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ps []*Policy
			for _, d := range tc.docs {
				p, err := Parse(d)
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				ps = append(ps, p)
			}
			if got := Evaluate(ps, tc.req); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, doc := range []string{
		``, `[]`, `{}`, `{"Statement":[1]}`, `{"Statement":[{"Effect":"Maybe","Action":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":{"a":1}}]}`, `{"Statement":[{"Effect":"Allow","Principal":"me"}]}`,
		`{"Statement":[{"Effect":"Allow","Condition":"x"}]}`,
	} {
		if _, err := Parse(doc); err == nil {
			t.Errorf("Parse(%q): no error", doc)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:*","Resource":"*"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:*","Condition":{"Bool":{"k":["v"]}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		for _, action := range []string{"ecr:BatchGetImage", "*"} {
			_ = Evaluate([]*Policy{p}, Request{Action: action, Principal: &Principal{Account: "111122223333"}})
		}
	})
}
