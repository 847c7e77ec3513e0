package model

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// TaskDefinition is an ECS task definition: aws_ecs_task_definition, or a
// register-task-definition / describe-task-definition document.
type TaskDefinition struct {
	Meta
	Family Fact[string]
	// RequiresCompatibilities holds "EC2", "FARGATE", "EXTERNAL" as written.
	RequiresCompatibilities Fact[[]string]
	NetworkMode             Fact[string]
	ExecutionRole           Ref
	TaskRole                Ref
	// CPUArchitecture ("X86_64", "ARM64") and OSFamily ("LINUX",
	// "WINDOWS_SERVER_2019_FULL", …) come from runtime_platform.
	CPUArchitecture Fact[string]
	OSFamily        Fact[string]
	// EphemeralStorage is set when the task asks for more ephemeral storage.
	EphemeralStorage Fact[bool]
	// EphemeralStorageGiB is ephemeral_storage's size_in_gib
	// (ephemeralStorage.sizeInGiB); Set is false when the task asks for
	// none, and the platform's default applies (20 GiB on Fargate).
	EphemeralStorageGiB Fact[int]

	// Containers are the container definitions. When ContainersKnown is
	// false the list could not be read (an unknown variable, a template that
	// failed) and holds nothing.
	Containers      []*Container
	ContainersKnown bool
	// ContainersRange is the container_definitions attribute or key.
	ContainersRange hcl.Range
	// ContainersJSON is true when Terraform's container_definitions are JSON
	// text where the findings point (a heredoc, a file, a template), not the
	// HCL that jsonencode encodes: a fix there is written in JSON.
	ContainersJSON bool

	// Fields is the document's own keys as written, for rules that check
	// spelling. Nil when the source was Terraform arguments (Terraform itself
	// checks those).
	Fields *Doc
	// Tags are the task definition's tags.
	Tags Tags
}

// Container is one container definition.
type Container struct {
	Name  Fact[string]
	Image Fact[string]
	// ImageRepository names the ECR repository when the image was built from
	// its repository_url in the configuration.
	ImageRepository Ref
	// Credentials is repositoryCredentials.credentialsParameter; its Range
	// is zero when the container has no repositoryCredentials. When
	// repositoryCredentials itself cannot be determined, HasCredentials is
	// true and Credentials.Known false: the container may have none.
	Credentials    Ref
	HasCredentials bool
	Secrets        []SecretUse
	// SecretsKnown is false when the secrets list could not be determined;
	// Secrets is then empty or partial.
	SecretsKnown bool
	// Log is nil when the container has no logConfiguration. When it
	// cannot be determined, Log.Driver is unknown.
	Log *LogConfig
	// Range is the whole container definition.
	Range hcl.Range
	// Fields is the container definition's keys as written.
	Fields *Doc
	// ImageCheck is what the image's registry said, with --check-images;
	// nil when it was not asked (no flag, or an image not fully known).
	ImageCheck *ImageCheck
}

// SecretUse is one entry of secrets or logConfiguration.secretOptions.
type SecretUse struct {
	Name      Fact[string]
	ValueFrom Ref
	// SelectsPart is true when valueFrom picks a JSON key, version stage or
	// version ID of a Secrets Manager secret
	// (…:secret:NAME:json-key:version-stage:version-id), which Fargate
	// supports from platform version 1.4.0.
	SelectsPart bool
}

// SecretSelectsPart reports whether a valueFrom as written (tokens
// included) selects a JSON key, version stage or version ID of a Secrets
// Manager secret.
func SecretSelectsPart(valueFrom string) bool {
	rest := ""
	if ts := Tokens(valueFrom); len(ts) > 0 {
		// "${aws_secretsmanager_secret.db.arn}:password::"
		rest = valueFrom[ts[len(ts)-1].End:]
		if !strings.HasPrefix(rest, ":") {
			return false
		}
		rest = rest[1:]
	} else {
		_, after, ok := strings.Cut(valueFrom, ":secretsmanager:")
		if !ok {
			return false
		}
		_, after, ok = strings.Cut(after, ":secret:")
		if !ok {
			return false
		}
		_, rest, ok = strings.Cut(after, ":") // past the secret's name
		if !ok {
			return false
		}
	}
	return strings.Trim(rest, ":") != ""
}

// LogConfig is a container's logConfiguration.
type LogConfig struct {
	Driver        Fact[string]
	Options       map[string]Fact[string]
	OptionsKnown  bool
	SecretOptions []SecretUse
	// SecretOptionsKnown is false when secretOptions could not be
	// determined.
	SecretOptionsKnown bool
	Range              hcl.Range
}

// Cluster is an ECS cluster with its default capacity provider strategy.
type Cluster struct {
	Meta
	Name            Fact[string]
	DefaultStrategy Strategy
	// CapacityProviders names the capacity providers associated with the
	// cluster (aws_ecs_cluster_capacity_providers); unknown when canpull
	// cannot tell.
	CapacityProviders Fact[[]string]
	Tags              Tags
}

// Strategy is a capacity provider strategy.
type Strategy struct {
	Items []StrategyItem
	Known bool
	Set   bool
	Range hcl.Range
}

// StrategyItem is one capacity provider of a strategy.
type StrategyItem struct {
	Provider Fact[string]
	Weight   Fact[int]
	Base     Fact[int]
}

// Service is an ECS service: aws_ecs_service or a create-service document.
type Service struct {
	Meta
	Name           Fact[string]
	Cluster        Ref
	TaskDefinition Ref
	// LaunchType is "FARGATE", "EC2", "EXTERNAL" when written.
	LaunchType       Fact[string]
	CapacityStrategy Strategy
	PlatformVersion  Fact[string]
	// Network is the awsvpc configuration; nil when the service has none.
	Network *NetworkConfig

	// Fields is the document's own keys as written, for rules that check
	// spelling; nil for Terraform.
	Fields *Doc
	// Tags are the service's tags; PropagateTags is propagate_tags
	// ("TASK_DEFINITION", "SERVICE", "NONE").
	Tags          Tags
	PropagateTags Fact[string]
}

// NetworkConfig is a service's awsvpc network configuration.
type NetworkConfig struct {
	Subnets        Refs
	SecurityGroups Refs
	AssignPublicIP Fact[bool]
	// Range is the whole network_configuration block.
	Range hcl.Range
}

// Doc is a JSON object as written, keys with their ranges, for rules that
// check field names.
type Doc struct {
	Fields []DocField
	Range  hcl.Range
}

// DocField is one key of a Doc.
type DocField struct {
	Key      string
	KeyRange hcl.Range
	// Object is set when the value is an object; Array holds the objects of
	// an array of objects.
	Object *Doc
	Array  []*Doc
}

// Get returns the field named key, or nil.
func (o *Doc) Get(key string) *DocField {
	if o == nil {
		return nil
	}
	for i := range o.Fields {
		if o.Fields[i].Key == key {
			return &o.Fields[i]
		}
	}
	return nil
}
