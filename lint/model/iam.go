package model

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
	InlinePolicies []Fact[string]
	// Attached are managed policies: an Addr for aws_iam_policy resources of
	// the configuration, a Value for AWS-managed or external ARNs.
	Attached Refs
	// PoliciesKnown is false when some policy attached to the role cannot be
	// determined (an attachment whose role or policy is unknown).
	PoliciesKnown bool
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
}
