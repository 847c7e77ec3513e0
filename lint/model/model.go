package model

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Meta is what every object of the model has.
type Meta struct {
	// Addr identifies the object within its Config: a Terraform address
	// ("module.net.aws_subnet.private[0]") or, for ECS JSON, the file and the
	// document's path ("taskdef.json:containerDefinitions").
	Addr string
	// Range is the object's definition: the block header in Terraform, the
	// opening of the document in JSON.
	Range hcl.Range
	// Account and Region are those of the provider configuration the object
	// belongs to, where the configuration says.
	Account Fact[string]
	Region  Fact[string]
}

func (m *Meta) meta() *Meta { return m }

// Object is any object of the model.
type Object interface{ meta() *Meta }

// MetaOf returns the Meta of any object.
func MetaOf(o Object) *Meta { return o.meta() }

// Source says where a configuration came from.
type Source int

const (
	SourceTerraform Source = iota
	SourceJSON
	SourceCloudFormation
)

// Config is everything loaded from one unit of input: a Terraform root module
// with the modules it calls, the ECS JSON documents scanned together, or
// CloudFormation stacks that refer to each other (nested stacks, exports).
type Config struct {
	Source Source
	// Plan is set for a configuration read from a Terraform plan: it has
	// every variable's value, and what it does not know Terraform learns
	// only at apply.
	Plan bool
	// Dir is the root module's folder, or "" for JSON.
	Dir string

	TaskDefinitions []*TaskDefinition
	Services        []*Service
	Clusters        []*Cluster

	VPCs             []*VPC
	Subnets          []*Subnet
	RouteTables      []*RouteTable
	InternetGateways []*InternetGateway
	NATGateways      []*NATGateway
	Endpoints        []*VPCEndpoint
	SecurityGroups   []*SecurityGroup
	NetworkACLs      []*NetworkACL
	DHCPOptionSets   []*DHCPOptions

	Roles    []*Role
	Policies []*Policy

	Repositories          []*Repository
	RegistryPolicies      []*RegistryPolicy
	PullThroughCacheRules []*PullThroughCacheRule
	CreationTemplates     []*RepositoryCreationTemplate
	Secrets               []*Secret

	CapacityProviders []*CapacityProvider
	AutoScalingGroups []*AutoScalingGroup
	LaunchTemplates   []*LaunchTemplate
	InstanceProfiles  []*InstanceProfile

	GuardDutyFeatures []*GuardDutyFeature

	// Account is the account the configuration deploys to, when known: from
	// --account-id or the provider configuration.
	Account Fact[string]
	// Region is the default provider's region, when known.
	Region Fact[string]

	// Files lists the input files that were read, relative or absolute as given.
	Files []string

	// Unknowns say, for a fact written at a range whose value is unknown,
	// what made it so and how to supply it, where the input can tell: the
	// notes of the rules that stop on it name the real unknown.
	Unknowns map[hcl.Range]Unknown

	// RoleGrants are policies given to roles that this configuration does
	// not define (aws_iam_role_policy, attachments naming a role by name or
	// ARN): the engine marks such a role of another scanned configuration as
	// having policies canpull does not see.
	RoleGrants []RoleGrant

	// Incomplete names the kinds of object (KindEndpoint, …) of which the
	// configuration may hold more than the lists show: a resource whose count
	// is unknown, a module that is not on disk (KindAll). A rule that
	// concludes from absence checks MayLack first.
	Incomplete map[string]bool

	// Downloaded lists the modules under .terraform (see passage.go).
	Downloaded []Downloaded

	byAddr map[string]Object
	// passages holds the way of values used away from where they are
	// written (see passage.go).
	passages map[hcl.Range][]instanceWay
	// modules holds the module instances evaluated (see instance.go).
	modules map[string]bool
}

// RoleGrant is a policy given to a role by its name from outside the
// configuration that defines the role.
type RoleGrant struct {
	RoleName string
	Addr     string // the resource that gives it
	Range    hcl.Range
}

// Kinds of object for Config.Incomplete.
const (
	KindAll           = "*"
	KindEndpoint      = "endpoint"
	KindRepository    = "repository"
	KindPolicy        = "policy"
	KindRoute         = "route"
	KindSecurityGroup = "security group"
	KindNetworkACL    = "network ACL"
	KindDHCPOptions   = "DHCP options"
)

// MayLack reports whether objects of a kind may exist that the
// configuration's lists do not show.
func (c *Config) MayLack(kind string) bool {
	return c.Incomplete[KindAll] || c.Incomplete[kind]
}

// SetIncomplete records that objects of a kind may be missing.
func (c *Config) SetIncomplete(kind string) {
	if c.Incomplete == nil {
		c.Incomplete = map[string]bool{}
	}
	c.Incomplete[kind] = true
}

// Add puts objects into the configuration's lists and its address index.
func (c *Config) Add(objs ...Object) {
	if c.byAddr == nil {
		c.byAddr = map[string]Object{}
	}
	for _, o := range objs {
		c.byAddr[o.meta().Addr] = o
		switch o := o.(type) {
		case *TaskDefinition:
			c.TaskDefinitions = append(c.TaskDefinitions, o)
		case *Service:
			c.Services = append(c.Services, o)
		case *Cluster:
			c.Clusters = append(c.Clusters, o)
		case *VPC:
			c.VPCs = append(c.VPCs, o)
		case *Subnet:
			c.Subnets = append(c.Subnets, o)
		case *RouteTable:
			c.RouteTables = append(c.RouteTables, o)
		case *InternetGateway:
			c.InternetGateways = append(c.InternetGateways, o)
		case *NATGateway:
			c.NATGateways = append(c.NATGateways, o)
		case *VPCEndpoint:
			c.Endpoints = append(c.Endpoints, o)
		case *SecurityGroup:
			c.SecurityGroups = append(c.SecurityGroups, o)
		case *NetworkACL:
			c.NetworkACLs = append(c.NetworkACLs, o)
		case *DHCPOptions:
			c.DHCPOptionSets = append(c.DHCPOptionSets, o)
		case *Role:
			c.Roles = append(c.Roles, o)
		case *Policy:
			c.Policies = append(c.Policies, o)
		case *Repository:
			c.Repositories = append(c.Repositories, o)
		case *RegistryPolicy:
			c.RegistryPolicies = append(c.RegistryPolicies, o)
		case *PullThroughCacheRule:
			c.PullThroughCacheRules = append(c.PullThroughCacheRules, o)
		case *Secret:
			c.Secrets = append(c.Secrets, o)
		case *RepositoryCreationTemplate:
			c.CreationTemplates = append(c.CreationTemplates, o)
		case *CapacityProvider:
			c.CapacityProviders = append(c.CapacityProviders, o)
		case *AutoScalingGroup:
			c.AutoScalingGroups = append(c.AutoScalingGroups, o)
		case *LaunchTemplate:
			c.LaunchTemplates = append(c.LaunchTemplates, o)
		case *InstanceProfile:
			c.InstanceProfiles = append(c.InstanceProfiles, o)
		case *GuardDutyFeature:
			c.GuardDutyFeatures = append(c.GuardDutyFeatures, o)
		}
	}
}

// Lookup returns the object at addr, or nil.
func (c *Config) Lookup(addr string) Object {
	if addr == "" {
		return nil
	}
	return c.byAddr[addr]
}

// Resolve returns the object a reference names, if it is in the configuration
// and of type T. The second result is false when the reference is unknown or
// points outside the configuration.
func Resolve[T Object](c *Config, r Ref) (T, bool) {
	var zero T
	if r.Addr == "" {
		return zero, false
	}
	t, ok := c.Lookup(r.Addr).(T)
	return t, ok
}

// SortObjects orders every list by address, so that output is deterministic
// whatever order the adapter produced.
func (c *Config) SortObjects() {
	sortBy(c.TaskDefinitions)
	sortBy(c.Services)
	sortBy(c.Clusters)
	sortBy(c.VPCs)
	sortBy(c.Subnets)
	sortBy(c.RouteTables)
	sortBy(c.InternetGateways)
	sortBy(c.NATGateways)
	sortBy(c.Endpoints)
	sortBy(c.SecurityGroups)
	sortBy(c.NetworkACLs)
	sortBy(c.DHCPOptionSets)
	sortBy(c.Roles)
	sortBy(c.Policies)
	sortBy(c.Repositories)
	sortBy(c.RegistryPolicies)
	sortBy(c.PullThroughCacheRules)
	sortBy(c.Secrets)
	sortBy(c.CreationTemplates)
	sortBy(c.CapacityProviders)
	sortBy(c.AutoScalingGroups)
	sortBy(c.LaunchTemplates)
	sortBy(c.InstanceProfiles)
	sortBy(c.GuardDutyFeatures)
}

func sortBy[T Object](s []T) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].meta().Addr < s[j].meta().Addr })
}

// Unknown is why a fact is unknown: Why names what made it so ("var.image
// has no value", `module "vpc" (source "…") is not on disk`), Hint how to
// supply it.
type Unknown struct {
	Why, Hint string
}
