package terraform

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/model"
)

const iamProvider = `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
`

func roleByAddr(t *testing.T, cfg *model.Config, addr string) *model.Role {
	t.Helper()
	r, ok := cfg.Lookup(addr).(*model.Role)
	if !ok {
		t.Fatalf("no role %s", addr)
	}
	return r
}

func attachedValues(r *model.Role) []string {
	var out []string
	for _, a := range r.Attached.Items {
		if a.Addr != "" {
			out = append(out, a.Addr)
		} else {
			out = append(out, a.Value)
		}
	}
	return out
}

// TestRolePolicies checks that every place Terraform keeps a role's
// policies reaches the role, with the line it is written at.
func TestRolePolicies(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": iamProvider + `
resource "aws_iam_role" "exec" {
  name                 = "exec"
  path                 = "/svc/"
  assume_role_policy   = "{}"
  managed_policy_arns  = ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]
  permissions_boundary = aws_iam_policy.boundary.arn
  inline_policy {
    name   = "inline"
    policy = jsonencode({ Version = "2012-10-17", Statement = [] })
  }
}

resource "aws_iam_policy" "boundary" {
  name   = "boundary"
  policy = "{}"
}

# A customer policy with the name of an AWS-managed one.
resource "aws_iam_policy" "clash" {
  name   = "AmazonECSTaskExecutionRolePolicy"
  policy = "{}"
}

data "aws_iam_policy" "exec" {
  name = "AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "by_name" {
  name   = "by-name"
  role   = "exec"
  policy = "{}"
}

resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.exec.name
  policy_arn = data.aws_iam_policy.exec.arn
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = [aws_iam_role.exec.id]
  policy_arn = aws_iam_policy.boundary.arn
}
`}, Options{})
	r := roleByAddr(t, cfg, "aws_iam_role.exec")
	if r.ARN.V != "arn:aws:iam::111122223333:role/svc/exec" {
		t.Errorf("ARN = %q", r.ARN.V)
	}
	if !r.PoliciesKnown {
		t.Fatalf("policies unknown: %+v", r.PoliciesGap)
	}
	want := "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly|arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy|aws_iam_policy.boundary"
	if got := strings.Join(attachedValues(r), "|"); got != want {
		t.Errorf("attached = %s, want %s", got, want)
	}
	if r.PermissionsBoundary.Addr != "aws_iam_policy.boundary" {
		t.Errorf("boundary = %+v", r.PermissionsBoundary)
	}
	var inline []string
	for _, ip := range r.InlinePolicies {
		inline = append(inline, ip.Name.V+"@"+ip.Addr)
		if ip.Range.Start.Line == 0 {
			t.Errorf("inline policy %s has no range", ip.Name.V)
		}
	}
	if got := strings.Join(inline, "|"); got != "inline@aws_iam_role.exec|by-name@aws_iam_role_policy.by_name" {
		t.Errorf("inline = %s", got)
	}
}

func TestExclusivePolicies(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": iamProvider + `
resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "kept" {
  name   = "kept"
  role   = aws_iam_role.a.name
  policy = "{}"
}

resource "aws_iam_role_policy" "dropped" {
  name   = "dropped"
  role   = aws_iam_role.a.name
  policy = "{}"
}

resource "aws_iam_role_policies_exclusive" "a" {
  role_name    = aws_iam_role.a.name
  policy_names = [aws_iam_role_policy.kept.name]
}

resource "aws_iam_role_policy_attachment" "replaced" {
  role       = aws_iam_role.a.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachments_exclusive" "a" {
  role_name   = aws_iam_role.a.name
  policy_arns = ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"]
}

resource "aws_iam_role" "b" {
  name               = "b"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policies_exclusive" "b" {
  role_name    = aws_iam_role.b.name
  policy_names = ["made-by-hand"]
}
`}, Options{})
	a := roleByAddr(t, cfg, "aws_iam_role.a")
	if len(a.InlinePolicies) != 1 || a.InlinePolicies[0].Name.V != "kept" {
		t.Errorf("inline after exclusive: %+v", a.InlinePolicies)
	}
	if got := strings.Join(attachedValues(a), "|"); got != "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly" {
		t.Errorf("attached after exclusive: %s", got)
	}
	if !a.PoliciesKnown {
		t.Errorf("a: policies unknown: %+v", a.PoliciesGap)
	}
	b := roleByAddr(t, cfg, "aws_iam_role.b")
	if b.PoliciesKnown || !strings.Contains(b.PoliciesGap.What, "made-by-hand") {
		t.Errorf("b: an inline policy outside the configuration must make the policies unknown: %+v", b.PoliciesGap)
	}
}

func TestUnknownAttachments(t *testing.T) {
	for name, extra := range map[string]string{
		"unknown role": `
variable "role" {
  type = string
}
resource "aws_iam_role_policy_attachment" "x" {
  role       = var.role
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}`,
		"unknown policy": `
variable "arn" {
  type = string
}
resource "aws_iam_role_policy_attachment" "x" {
  role       = aws_iam_role.r.name
  policy_arn = var.arn
}`,
		"unknown count": `
variable "n" {
  type = number
}
resource "aws_iam_role_policy" "x" {
  count  = var.n
  role   = aws_iam_role.r.name
  policy = "{}"
}`,
	} {
		t.Run(name, func(t *testing.T) {
			cfg, _ := load(t, map[string]string{"main.tf": iamProvider + `
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}
` + extra}, Options{})
			r := roleByAddr(t, cfg, "aws_iam_role.r")
			if r.PoliciesKnown || r.PoliciesGap.What == "" || r.PoliciesGap.Range.Filename == "" {
				t.Errorf("want unknown policies with a reason and a place, got %v %+v", r.PoliciesKnown, r.PoliciesGap)
			}
		})
	}
}

// TestPolicyDocumentFeatures renders the parts of aws_iam_policy_document
// that the rules rely on.
func TestPolicyDocumentFeatures(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": iamProvider + `
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Base"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Replaced"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "doc" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
  statement {
    actions = ["ecr:BatchGetImage"]
    not_principals {
      type        = "AWS"
      identifiers = [111122223333]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [false]
    }
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.doc.json
}
`}, Options{})
	p := cfg.Lookup("aws_iam_policy.p").(*model.Policy)
	if !p.Document.Known {
		t.Fatal("document unknown")
	}
	var doc struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(p.Document.V), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 3 {
		t.Fatalf("want 3 statements (source, own, override replacing by Sid): %s", p.Document.V)
	}
	if doc.Statement[1]["Effect"] != "Deny" {
		t.Errorf("override did not replace Sid Replaced: %s", p.Document.V)
	}
	for _, want := range []string{`"NotPrincipal":{"AWS":["111122223333"]}`, `"Condition":{"Bool":{"aws:SecureTransport":["false"]}}`} {
		if !strings.Contains(p.Document.V, want) {
			t.Errorf("document lacks %s: %s", want, p.Document.V)
		}
	}
}

func TestSecretReferences(t *testing.T) {
	cfg := mustLoad(t, map[string]string{"main.tf": iamProvider + `
resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "k" {
  name          = "alias/app"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_secretsmanager_secret" "db" {
  name       = "db"
  kms_key_id = aws_kms_alias.k.arn
}

resource "aws_secretsmanager_secret_policy" "db" {
  secret_arn = aws_secretsmanager_secret.db.arn
  policy     = "{}"
}

# An SSM parameter with the secret's name: a bare name in secrets means it.
resource "aws_ssm_parameter" "db" {
  name   = "db"
  type   = "SecureString"
  key_id = "alias/app"
  value  = "x"
}

resource "aws_ssm_parameter" "nested" {
  name  = "/app/token"
  type  = "String"
  value = "x"
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name  = "c"
    image = "nginx:1.27"
    repositoryCredentials = { credentialsParameter = "db" }
    secrets = [
      { name = "A", valueFrom = "db" },
      { name = "B", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:password::" },
      { name = "C", valueFrom = "arn:aws:ssm:eu-west-1:111122223333:parameter/app/token" },
      { name = "D", valueFrom = "arn:aws:secretsmanager:eu-west-1:444455556666:secret:db" },
    ]
  }])
}
`}, Options{})
	c := cfg.TaskDefinitions[0].Containers[0]
	for _, tc := range []struct {
		ref  model.Ref
		want string
	}{
		{c.Credentials, "aws_secretsmanager_secret.db"},
		{c.Secrets[0].ValueFrom, "aws_ssm_parameter.db"},
		{c.Secrets[1].ValueFrom, "aws_secretsmanager_secret.db"},
		{c.Secrets[2].ValueFrom, "aws_ssm_parameter.nested"},
		{c.Secrets[3].ValueFrom, ""}, // another account
	} {
		if tc.ref.Addr != tc.want {
			t.Errorf("%s resolved to %q, want %q", tc.ref.Value, tc.ref.Addr, tc.want)
		}
	}
	db := cfg.Lookup("aws_secretsmanager_secret.db").(*model.Secret)
	if db.KMSKey.Addr != "aws_kms_alias.k" || len(db.Policies) != 1 {
		t.Errorf("secret: key %+v, %d policies", db.KMSKey, len(db.Policies))
	}
	ssm := cfg.Lookup("aws_ssm_parameter.nested").(*model.Secret)
	if ssm.ARN.V != "arn:aws:ssm:eu-west-1:111122223333:parameter/app/token" {
		t.Errorf("parameter ARN = %q", ssm.ARN.V)
	}
	if a := cfg.Lookup("aws_kms_alias.k").(*model.KMSAlias); a.Target.Addr != "aws_kms_key.k" {
		t.Errorf("alias target = %+v", a.Target)
	}
	if p := cfg.Lookup("aws_ssm_parameter.db").(*model.Secret); p.KMSKey.Addr != "aws_kms_alias.k" {
		t.Errorf("parameter key = %+v", p.KMSKey)
	}
}
