package model

import "github.com/hashicorp/hcl/v2"

// The EC2 capacity of a cluster: on EC2, the container instances pull the
// images of the tasks placed on them, with their own role (when a task has
// no execution role) and over their own network. A cluster's capacity
// provider names an Auto Scaling group; the group launches instances from
// a launch template (or a launch configuration), which gives them an
// instance profile (and through it a role), security groups, and the user
// data that configures the container agent.

// CapacityProvider is an aws_ecs_capacity_provider backed by an Auto
// Scaling group.
type CapacityProvider struct {
	Meta
	Name Fact[string]
	// AutoScalingGroup is auto_scaling_group_provider's group; zero when
	// the provider has none.
	AutoScalingGroup Ref
}

// AutoScalingGroup is an aws_autoscaling_group.
type AutoScalingGroup struct {
	Meta
	Name Fact[string]
	// Subnets is vpc_zone_identifier: where the instances run. A group
	// without it launches into its availability zones' default subnets.
	Subnets Refs
	// LaunchTemplates are the launch templates (or launch configuration)
	// the group launches instances from: launch_template,
	// launch_configuration, or each launch template of a
	// mixed_instances_policy. LaunchTemplatesKnown is false when some
	// cannot be determined.
	LaunchTemplates      []Ref
	LaunchTemplatesKnown bool
}

// LaunchTemplate is an aws_launch_template or an aws_launch_configuration:
// what every instance launched from it gets.
type LaunchTemplate struct {
	Meta
	// Configuration marks an aws_launch_configuration.
	Configuration bool
	// InstanceProfile is iam_instance_profile (by name or ARN); zero when
	// the instances get none.
	InstanceProfile Ref
	// SecurityGroups are the instances' security groups:
	// vpc_security_group_ids, or those of the network interface of device
	// index 0. When none is given the VPC's default group applies.
	SecurityGroups Refs
	// AssociatePublicIP is associate_public_ip_address; left out, the
	// subnet's map_public_ip_on_launch decides.
	AssociatePublicIP Fact[bool]
	// IPv6Addresses is whether the instances' first network interface
	// asks for IPv6 addresses (ipv6_address_count, ipv6_addresses); left
	// out, the subnet's assign_ipv6_address_on_creation decides.
	IPv6Addresses Fact[bool]
	// UserData is the user data as written: base64 for a launch template
	// (UserDataBase64 true), plain text for a launch configuration's
	// user_data. Zero when the template has none.
	UserData       Fact[string]
	UserDataBase64 bool
	// NetworkRange is where the network settings are written: the
	// network_interfaces block, else the template.
	NetworkRange hcl.Range
}

// InstanceProfile is an aws_iam_instance_profile.
type InstanceProfile struct {
	Meta
	Name Fact[string]
	// Role is the profile's role.
	Role Ref
}

// RepositoryCreationTemplate is an aws_ecr_repository_creation_template:
// the settings of repositories that ECR creates on its own, for a pull
// through cache among others.
type RepositoryCreationTemplate struct {
	Meta
	// Prefix is the repository name prefix it applies to; "ROOT" applies
	// to every repository that no other template covers.
	Prefix Fact[string]
	// AppliedFor lists PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH.
	AppliedFor Fact[[]string]
	// RepositoryPolicy is the policy of the repositories it creates; zero
	// when it gives none.
	RepositoryPolicy Fact[string]
}

// GuardDutyFeature is an aws_guardduty_detector_feature (or a feature of
// an AWS::GuardDuty::Detector): one protection plan of a detector, with
// its additional configuration.
type GuardDutyFeature struct {
	Meta
	Name   Fact[string] // "RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING", …
	Status Fact[string] // "ENABLED", "DISABLED"
	// Additional maps additional_configuration names
	// ("ECS_FARGATE_AGENT_MANAGEMENT") to their status. AdditionalKnown is
	// false when the list cannot be determined.
	Additional      map[string]Fact[string]
	AdditionalKnown bool
}

// Tags are a resource's tags as written (tags, or Tags in CloudFormation):
// Known is false when they cannot be determined.
type Tags = Fact[map[string]string]

// Kinds of object for Config.Incomplete.
const (
	KindCapacity         = "EC2 capacity" // capacity providers, Auto Scaling groups, launch templates, instance profiles
	KindCreationTemplate = "repository creation template"
	KindGuardDuty        = "GuardDuty feature"
	KindCacheRule        = "pull through cache rule"
)
