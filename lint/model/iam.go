package model

import "github.com/hashicorp/hcl/v2"

// Role is an aws_iam_role with the policies attached to it anywhere in the
// configuration.
type Role struct {
	Meta
	Name Fact[string]
	// ARN is the role's ARN when it can be derived (account and name known).
	ARN              Fact[string]
	AssumeRolePolicy Fact[string]
	// InlinePolicies are policy documents embedded in the role
	// (inline_policy blocks, aws_iam_role_policy).
	InlinePolicies []InlinePolicy
	// Attached are managed policies: an Addr for aws_iam_policy resources of
	// the configuration, a Value for AWS-managed or external ARNs. Each
	// Ref's Range is where the attachment is written.
	Attached Refs
	// PermissionsBoundary is the permissions_boundary policy; zero when the
	// role has none.
	PermissionsBoundary Ref
	// PoliciesKnown is false when some policy attached to the role cannot be
	// determined (an attachment whose role or policy is unknown);
	// PoliciesGap then says what is missing, and where.
	PoliciesKnown bool
	PoliciesGap   Gap
}

// InlinePolicy is a policy document embedded in a role.
type InlinePolicy struct {
	Name     Fact[string]
	Document Fact[string]
	// Addr is the aws_iam_role_policy that adds it, or the role's own
	// address for an inline_policy block.
	Addr string
	// Range is the resource or block that writes it.
	Range hcl.Range
}

// Gap is an unknown fact that stops a check: what is missing, and where.
type Gap struct {
	What  string
	Range hcl.Range
}

// Policy is a customer-managed aws_iam_policy.
type Policy struct {
	Meta
	Name     Fact[string]
	ARN      Fact[string]
	Document Fact[string]
}

// Repository is a private ECR repository, aws_ecr_repository.
type Repository struct {
	Meta
	Name Fact[string]
	// URL is "ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME" when derivable.
	URL Fact[string]
	// Policies are the repository policies (aws_ecr_repository_policy).
	Policies []Fact[string]
	// Implicit marks a repository that the configuration uses but does not
	// declare, because a known convention makes it: the container asset
	// repository of the CDK's bootstrap stack. It never counts as one the
	// configuration declares.
	Implicit bool
}

// RegistryPolicy is an aws_ecr_registry_policy: it applies to every
// repository of its account and region.
type RegistryPolicy struct {
	Meta
	Document Fact[string]
}

// PullThroughCacheRule is an aws_ecr_pull_through_cache_rule.
type PullThroughCacheRule struct {
	Meta
	Prefix   Fact[string] // ecr_repository_prefix
	Upstream Fact[string] // upstream_registry_url
	// UpstreamPrefix is upstream_repository_prefix: "ROOT" (the default)
	// maps PREFIX/NAME to the upstream's NAME.
	UpstreamPrefix Fact[string]
	// Credential is credential_arn: the Secrets Manager secret that holds
	// the upstream registry's credentials; zero when left out.
	Credential Ref
	// CustomRole is custom_role_arn: the role ECR assumes to pull from an
	// upstream ECR registry of another account; zero when left out.
	CustomRole Ref
}

// SecretKind tells Secrets Manager secrets from SSM parameters.
type SecretKind int

const (
	SecretsManagerSecret SecretKind = iota
	SSMParameter
)

// Secret is an aws_secretsmanager_secret or aws_ssm_parameter.
type Secret struct {
	Meta
	Kind SecretKind
	Name Fact[string]
	ARN  Fact[string]
	// KMSKey is the customer key that encrypts it; zero for the AWS-managed key.
	KMSKey Ref
	// ParameterType is the SSM parameter type ("String", "SecureString").
	ParameterType Fact[string]
	// Policies are a Secrets Manager secret's resource policies
	// (aws_secretsmanager_secret_policy, or its own policy argument).
	Policies []Fact[string]
}

// KindSecretPolicy is the Config.Incomplete kind of secrets' resource
// policies.
const KindSecretPolicy = "secret policy"

// KMSKey is an aws_kms_key. The configuration indexes it by address
// (Config.Lookup) without listing it.
type KMSKey struct {
	Meta
	// Policy is the key policy; when Set is false the key has AWS's default
	// key policy, which lets the account's IAM policies grant access.
	Policy Fact[string]
}

// KMSAlias is an aws_kms_alias, indexed like KMSKey.
type KMSAlias struct {
	Meta
	Name   Fact[string] // "alias/…"
	Target Ref          // the aws_kms_key
}

// LogGroup is an aws_cloudwatch_log_group, indexed like KMSKey.
type LogGroup struct {
	Meta
	Name Fact[string]
}
