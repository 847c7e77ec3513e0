package iam

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// Cases follow AWS's documented policy evaluation logic (IAM User Guide:
// "Policy evaluation logic", "IAM JSON policy elements: Resource",
// "Condition operators", "Conditions with multiple context keys or
// values", "Policy variables"): an explicit deny wins over any allow;
// without an allow the request is implicitly denied; wildcards match in
// actions (case-insensitively) and resources (case-sensitively, a * that
// ends an ARN segment may cross colons); an account principal grants to the
// whole account; a missing condition key makes an operator false and a
// negated one true, except ...IfExists and Null.
func TestEvaluate(t *testing.T) {
	const acct = "111122223333"
	role := "arn:aws:iam::111122223333:role/exec"
	me := &Principal{Account: acct, ARN: role}
	anon := &Principal{}
	repo := "arn:aws:ecr:eu-west-1:999988887777:repository/app"
	session := RoleSessionContext(*me)
	withVpce := RoleSessionContext(*me).Set("aws:SourceVpce") // known to be absent
	secret := "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-" + Hole("db", 6)
	tok := model.Token("aws_secretsmanager_secret.db", "arn")
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
		// Resources: case-sensitive, wildcards per ARN segment.
		{"resource is case-sensitive", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:eu-west-1:999988887777:repository/App"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"star ending a segment crosses colons", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"NotResource excludes the resource", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","NotResource":"arn:aws:ecr:*:999988887777:repository/*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, ImplicitDeny},
		{"Deny with NotAction spares the action", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"ecr:*","Resource":"*"}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo}, Allow},
		{"Deny with NotAction hits others", []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"ecr:*","Resource":"*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret}, ExplicitDeny},
		// A secret's ARN ends in six characters AWS picks.
		{"secret ARN without its suffix matches nothing", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret}, ImplicitDeny},
		{"secret ARN with six question marks", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret}, Allow},
		{"another secret's prefix", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret}, ImplicitDeny},
		{"suffix pattern that may or may not match", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-A*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret}, Unknown},
		{"same resource token", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"` + tok + `"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: tok}, Allow},
		{"another resource token is unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"` + model.Token("aws_secretsmanager_secret.other", "arn") + `"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: tok}, Unknown},
		// Policy variables (version 2012-10-17 only).
		{"policy variable resolved from the context", []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:${aws:PrincipalAccount}:secret:*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret, Context: session}, Allow},
		{"unknown policy variable", []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}-*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret, Context: session}, Unknown},
		{"no variables before version 2012-10-17", []string{`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:${aws:PrincipalAccount}:secret:*"}]}`},
			Request{Action: "secretsmanager:GetSecretValue", Resource: secret, Context: session}, ImplicitDeny},
		// Conditions decided from the request context.
		{"condition on a known key holds", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage", Context: session}, Allow},
		{"condition on a known key fails", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalAccount":["444455556666","777788889999"]}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage", Context: session}, ImplicitDeny},
		{"condition keys are case-insensitive", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"AWS:principalaccount":"111122223333"}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage", Context: session}, Allow},
		{"deny over plain HTTP spares HTTPS", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: session}, Allow},
		{"missing key: operator is false", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, ImplicitDeny},
		{"missing key: negated operator is true", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Effect":"Deny","Action":"ecr:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, ExplicitDeny},
		{"missing key: IfExists is true", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, Allow},
		{"Null true on a missing key", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"Null":{"aws:SourceVpce":"true"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, Allow},
		{"Null false on a present key", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: session}, ImplicitDeny},
		{"negated operator with several values is a NOR", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Effect":"Deny","Action":"ecr:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["444455556666","111122223333"]}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: session}, Allow},
		{"operators and keys are ANDed", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/other-*"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: session}, ImplicitDeny},
		{"ArnLike on the principal ARN", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ex*"}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage", Context: session}, Allow},
		{"ForAnyValue on a missing key is false", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, ImplicitDeny},
		{"ForAllValues on a missing key is true", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: withVpce}, Allow},
		{"undecidable operator is unknown", []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`},
			Request{Action: "ecr:BatchGetImage", Resource: repo, Context: session}, Unknown},
		{"organization ID is unknown", []string{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage", Context: session}, Unknown},
		// Service principals, as in a role's trust policy.
		{"trust: the service principal", []string{`{"Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`},
			Request{Principal: &Principal{Service: "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole"}, Allow},
		{"trust: another service", []string{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
			Request{Principal: &Principal{Service: "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole"}, ImplicitDeny},
		{"trust: an account does not cover the service", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`},
			Request{Principal: &Principal{Service: "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole"}, ImplicitDeny},
		{"trust: source account of another account", []string{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"444455556666"}}}]}`},
			Request{Principal: &Principal{Service: "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole", Context: Context{}.Set("aws:SourceAccount", acct)}, ImplicitDeny},
		{"trust: wrong action", []string{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`},
			Request{Principal: &Principal{Service: "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole"}, ImplicitDeny},
		{"session principal of another role", []string{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/other/s1"},"Action":"ecr:BatchGetImage"}]}`},
			Request{Principal: me, Action: "ecr:BatchGetImage"}, ImplicitDeny},
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
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s*","Resource":"arn:aws:s?:*:${aws:PrincipalAccount}:x*y","Condition":{"ForAllValues:StringLikeIfExists":{"aws:PrincipalArn":"a*"},"Null":{"x":"true"},"NumericLessThan":{"n":"3"}}}]}`)
	me := Principal{Account: "111122223333", ARN: "arn:aws:iam::111122223333:role/" + Hole("r", 2)}
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		ctx := RoleSessionContext(me).Set("n", "2")
		for _, action := range []string{"ecr:BatchGetImage", "*"} {
			req := Request{Action: action, Principal: &me, Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-" + Hole("s", 6), Context: ctx}
			_ = Evaluate([]*Policy{p}, req)
			_ = Access{Identity: []*Policy{p}, Resource: []*Policy{p}, KeyPolicy: true}.Decide(req)
		}
	})
}
