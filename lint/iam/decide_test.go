package iam

import (
	"strings"
	"testing"
)

// Cases follow AWS's documented logic for combining policy types
// (IAM User Guide: "Policy evaluation logic", "Cross-account policy
// evaluation logic"; KMS Developer Guide: "Key policies"): within one
// account an identity policy or a resource policy that names the role is
// enough, a grant to the account only delegates to IAM; across accounts
// both sides must allow; a KMS key policy must allow, directly or by
// delegating to the account; a permissions boundary limits what identity
// policies allow; an explicit deny anywhere wins.
func TestDecide(t *testing.T) {
	role := "arn:aws:iam::111122223333:role/exec"
	me := &Principal{Account: "111122223333", ARN: role}
	repo := "arn:aws:ecr:eu-west-1:111122223333:repository/app"
	pull := `{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}`
	none := `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	grantRole := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + role + `"},"Action":"ecr:BatchGetImage"}]}`
	grantAccount := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:*"}]}`
	denyAll := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:*"}]}`
	decrypt := `{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`
	keyRoot := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	keyOther := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}]}`
	keyRole := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"` + role + `"},"Action":"kms:Decrypt","Resource":"*"}]}`

	for _, tc := range []struct {
		name                    string
		identity, bound, res    []string
		keyPolicy, crossAccount bool
		action                  string
		want                    Decision
	}{
		{"same account: identity policy alone", []string{pull}, nil, nil, false, false, "ecr:BatchGetImage", Allow},
		{"same account: nothing allows", []string{none}, nil, nil, false, false, "ecr:BatchGetImage", ImplicitDeny},
		{"same account: resource policy names the role", []string{none}, nil, []string{grantRole}, false, false, "ecr:BatchGetImage", Allow},
		{"same account: grant to the account delegates to IAM", []string{none}, nil, []string{grantAccount}, false, false, "ecr:BatchGetImage", ImplicitDeny},
		{"same account: resource deny wins", []string{pull}, nil, []string{denyAll}, false, false, "ecr:BatchGetImage", ExplicitDeny},
		{"boundary without the action", []string{pull}, []string{none}, nil, false, false, "ecr:BatchGetImage", ImplicitDeny},
		{"boundary limits a grant to the role's ARN", []string{none}, []string{none}, []string{grantRole}, false, false, "ecr:BatchGetImage", ImplicitDeny},
		{"boundary with the action", []string{pull}, []string{`{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}`}, nil, false, false, "ecr:BatchGetImage", Allow},
		{"cross account: both sides allow", []string{pull}, nil, []string{grantAccount}, false, true, "ecr:BatchGetImage", Allow},
		{"cross account: no identity allow", []string{none}, nil, []string{grantRole}, false, true, "ecr:BatchGetImage", ImplicitDeny},
		{"cross account: no resource allow", []string{pull}, nil, nil, false, true, "ecr:BatchGetImage", ImplicitDeny},
		{"key policy delegates to the account", []string{decrypt}, nil, []string{keyRoot}, true, false, "kms:Decrypt", Allow},
		{"key policy delegates, IAM does not allow", []string{none}, nil, []string{keyRoot}, true, false, "kms:Decrypt", ImplicitDeny},
		{"key policy of another account only", []string{decrypt}, nil, []string{keyOther}, true, false, "kms:Decrypt", ImplicitDeny},
		{"key policy names the role", []string{none}, nil, []string{keyRole}, true, false, "kms:Decrypt", Allow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Access{Identity: parseAll(t, tc.identity), Resource: parseAll(t, tc.res), KeyPolicy: tc.keyPolicy, CrossAccount: tc.crossAccount}
			if tc.bound != nil {
				a.Boundary, a.HasBoundary = parseAll(t, tc.bound), true
			}
			req := Request{Principal: me, Action: tc.action, Resource: repo, Context: RoleSessionContext(*me)}
			if got := a.Decide(req); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func parseAll(t *testing.T, docs []string) []*Policy {
	t.Helper()
	var out []*Policy
	for _, d := range docs {
		p, err := Parse(d)
		if err != nil {
			t.Fatalf("parse %s: %v", d, err)
		}
		out = append(out, p)
	}
	return out
}

func TestManagedPolicies(t *testing.T) {
	for name := range managedPolicies {
		arn, ok := ManagedPolicyARN("aws", name)
		if !ok {
			t.Fatalf("%s: no ARN", name)
		}
		if _, ok := parsedManaged()[name]; !ok {
			t.Errorf("%s: the document does not parse", name)
		}
		if _, ok := ManagedPolicy(arn); !ok {
			t.Errorf("%s: ManagedPolicy(%s) found nothing", name, arn)
		}
		cn := strings.Replace(arn, "arn:aws:", "arn:aws-cn:", 1)
		if doc, ok := ManagedDocument(cn); !ok || strings.Contains(doc, `"arn:aws:`) {
			t.Errorf("%s: the aws-cn document is missing or keeps aws ARNs", name)
		}
	}
	exec := "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	p, _ := ManagedPolicy(exec)
	for action, want := range map[string]Decision{
		"ecr:GetAuthorizationToken": Allow, "ecr:BatchGetImage": Allow, "logs:CreateLogStream": Allow,
		"logs:CreateLogGroup": ImplicitDeny, "secretsmanager:GetSecretValue": ImplicitDeny, "ssm:GetParameters": ImplicitDeny,
	} {
		if got := Evaluate([]*Policy{p}, Request{Action: action, Resource: "*"}); got != want {
			t.Errorf("AmazonECSTaskExecutionRolePolicy, %s: got %s, want %s", action, got, want)
		}
	}
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy", // wrong path
		"arn:aws:iam::aws:policy/ReadOnlyAccess",                   // not in the table
		"arn:aws:iam::111122223333:policy/AdministratorAccess",     // a customer policy
	} {
		if _, ok := ManagedPolicy(arn); ok {
			t.Errorf("ManagedPolicy(%s) found a policy", arn)
		}
	}
	if !IsAWSManagedARN("arn:aws:iam::aws:policy/ReadOnlyAccess") || IsAWSManagedARN("arn:aws:iam::111122223333:policy/x") {
		t.Error("IsAWSManagedARN")
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, subject string
		want             tri
	}{
		{"a*c", "abc", yes},
		{"a*c", "abd", no},
		{"a?c", "a" + Hole("h", 1) + "c", yes},
		{"abc", "a" + Hole("h", 1) + "c", maybe},
		{"a" + Hole("h", 1) + "c", "a" + Hole("h", 1) + "c", yes},
		{"a" + Hole("g", 1) + "c", "a" + Hole("h", 1) + "c", maybe},
		{"x*", "\uE000r#arn\uE001", maybe},
		{"*", "\uE000r#arn\uE001", yes},
		{"\uE000r#arn\uE001:*", "\uE000r#arn\uE001:log-stream:x", yes},
	} {
		got := match(lex(tc.pattern, lexMode{glob: true}), lex(tc.subject, lexMode{}))
		if got != tc.want {
			t.Errorf("match(%q, %q) = %d, want %d", tc.pattern, tc.subject, got, tc.want)
		}
	}
	// An unknown account or region is one segment of an ARN: a pattern
	// with * there matches, one that names an account may or may not.
	acct := "\uE000provider.aws#account_id\uE001"
	param := "arn:aws:ssm:eu-west-1:" + acct + ":parameter/app/db"
	for _, tc := range []struct {
		pattern string
		want    tri
	}{
		{"arn:aws:ssm:*:*:parameter/*", yes},
		{"arn:aws:ssm:eu-west-1:*:parameter/app/*", yes},
		{"arn:aws:ssm:*:1111*:parameter/app/db", maybe},
		{"arn:aws:ssm:eu-west-1:111122223333:parameter/app/db", maybe},
		{"arn:aws:ssm:eu-west-1:*:parameter/other/*", no},
		{"arn:aws:secretsmanager:*:*:secret:*", no},
	} {
		if got := match(lex(tc.pattern, lexMode{glob: true, arn: true}), lex(param, lexMode{})); got != tc.want {
			t.Errorf("match(%q, %q) = %d, want %d", tc.pattern, param, got, tc.want)
		}
	}
	if got := matchARN(lex("arn:aws:ssm:*:*:parameter/app/*", lexMode{glob: true, arn: true}), lex(param, lexMode{})); got != yes {
		t.Errorf("ArnLike with an unknown account: %d", got)
	}
	if got := matchARN(lex("arn:aws:ssm:*:*:parameter/app/*", lexMode{glob: true, arn: true}),
		lex("arn:aws:ssm:eu-west-1:\uE000aws_iam_role.x#arn\uE001:parameter/app/db", lexMode{})); got != maybe {
		t.Errorf("ArnLike with a run that may hold colons: %d", got)
	}
	// A * inside a segment stays there: the answer is no more than maybe.
	if got := match(lex("arn:aws:ecr:eu*1:111122223333:repository/app", lexMode{glob: true, arn: true}),
		lex("arn:aws:ecr:eu-west-1:111122223333:repository/app", lexMode{})); got != yes {
		t.Errorf("within a segment: %d", got)
	}
	if got := match(lex("arn:aws:ecr:eu*/app", lexMode{glob: true, arn: true}),
		lex("arn:aws:ecr:eu-west-1:111122223333:repository/app", lexMode{})); got != maybe {
		t.Errorf("across segments: %d", got)
	}
}

// TestQuickMatchAgrees checks the allocation-free path against the full
// matcher on every short string over a small alphabet.
func TestQuickMatchAgrees(t *testing.T) {
	alphabet := []string{"a", "b", ":", "*", "?"}
	var all []string
	var grow func(s string, n int)
	grow = func(s string, n int) {
		all = append(all, s)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(s+c, n-1)
		}
	}
	grow("", 4)
	for _, mode := range []lexMode{{glob: true}, {glob: true, arn: true}, {glob: true, lower: true}} {
		for _, p := range all {
			for _, s := range all {
				if strings.ContainsAny(s, "*?") {
					continue
				}
				q, ok := quickMatch(p, s, mode)
				if !ok {
					continue
				}
				if full := match(lex(p, mode), lex(s, lexMode{lower: mode.lower})); full != q {
					t.Fatalf("quickMatch(%q, %q, %+v) = %d, full matcher %d", p, s, mode, q, full)
				}
			}
		}
	}
}
