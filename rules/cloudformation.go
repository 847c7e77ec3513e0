package rules

import (
	"regexp"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// The rules reason over the model alone, and most of their messages name
// a setting the way Terraform writes it (assign_public_ip,
// private_dns_enabled) or say how Terraform users give a value (--var).
// For a configuration read from CloudFormation templates, each finding's
// words are put into CloudFormation's before it is reported, from the table
// below, so that a fix says what to write in the template.

// inCloudFormation wraps a rule's Run: on a CloudFormation configuration
// its findings go through cfnWords.
func inCloudFormation(run func(*lint.Pass)) func(*lint.Pass) {
	if run == nil {
		return nil
	}
	return func(pass *lint.Pass) {
		if pass.Config.Source != model.SourceCloudFormation {
			run(pass)
			return
		}
		run(pass.WithReport(func(f lint.Finding) { pass.Report(cfnWords(f)) }))
	}
}

// cfnTerms are Terraform's words and their CloudFormation counterparts,
// longer phrases first.
var cfnTerms = strings.NewReplacer(
	// CloudFormation's own values.
	"assign_public_ip is left out (the default is false)", "AssignPublicIp is left out (the default is DISABLED)",
	"assign_public_ip is false", "AssignPublicIp is DISABLED",
	// Fixes whose code is HCL, in backquotes: the same in YAML.
	"set `assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Principal = { Service = \"ecs-tasks.amazonaws.com\" }, Action = \"sts:AssumeRole\" }] })`",
	"set `AssumeRolePolicyDocument: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: \"sts:AssumeRole\"}]}`",
	"set `assign_public_ip = true` in network_configuration", "set `AssignPublicIp: ENABLED` in the service's AwsvpcConfiguration",
	"`private_dns_enabled = true`", "`PrivateDnsEnabled: true`",
	"`vpc_endpoint_type = \"Interface\"`", "`VpcEndpointType: Interface`",
	"`enable_dns_support = true`", "`EnableDnsSupport: true`",
	"`enable_dns_hostnames = true`", "`EnableDnsHostnames: true`",
	"remove `connectivity_type = \"private\"` (a public NAT gateway, with an Elastic IP in `allocation_id`, in a public subnet)",
	"remove `ConnectivityType: private` (a public NAT gateway, with an Elastic IP in `AllocationId`, in a public subnet)",
	"set `execution_role_arn` to", "set `ExecutionRoleArn` to",
	"set `requires_compatibilities = [\"FARGATE\"]`", "set `RequiresCompatibilities: [FARGATE]`",
	"set `platform_version = \"1.4.0\"` or `\"LATEST\"`", "set `PlatformVersion: 1.4.0` or `LATEST`",
	"from `assume_role_policy`", "from `AssumeRolePolicyDocument`",
	// Fixes written as HCL, before they were in backquotes.
	`assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })`,
	`AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: "sts:AssumeRole"}]}`,
	"set assign_public_ip = true in network_configuration", "set AssignPublicIp: ENABLED in the service's AwsvpcConfiguration",
	"set private_dns_enabled = true on", "set PrivateDnsEnabled: true on",
	`set vpc_endpoint_type = "Interface" on`, "set VpcEndpointType: Interface on",
	"set enable_dns_support = true and enable_dns_hostnames = true on", "set EnableDnsSupport: true and EnableDnsHostnames: true on",
	`remove connectivity_type = "private" (a public NAT gateway, with an Elastic IP in allocation_id, in a public subnet)`,
	"remove ConnectivityType: private (a public NAT gateway, with an Elastic IP in AllocationId, in a public subnet)",
	"with private_dns_enabled = true, subnet_ids,", "with PrivateDnsEnabled: true, SubnetIds,",
	"set execution_role_arn to", "set ExecutionRoleArn to",
	"set requires_compatibilities to FARGATE", "set RequiresCompatibilities to [FARGATE]",
	"set platform_version to", "set PlatformVersion to",
	"set runtime_platform's cpu_architecture to", "set RuntimePlatform's CpuArchitecture to",
	"(runtime_platform's operating_system_family)", "(RuntimePlatform's OperatingSystemFamily)",
	"from assume_role_policy", "from AssumeRolePolicyDocument",
	// How to give a value that is unknown.
	"give the variables values (--var, --var-file) and run terraform init", "give the parameters values (--param, --param-file)",
	"give the variables values (--var, --var-file)", "give the parameters values (--param, --param-file)",
	"give the variables it depends on values (--var-file, --var), run terraform init,", "give the parameters it depends on values (--param, --param-file),",
	"give the variables they depend on values with --var-file or --var", "give the parameters they depend on values with --param or --param-file",
	"give the variables it depends on values with --var-file or --var", "give the parameters it depends on values with --param or --param-file",
	"give the variable it depends on a value with --var-file or --var", "give the parameter it depends on a value with --param or --param-file",
	"give the variables that its routes depend on values with --var-file or --var", "give the parameters that its routes depend on values with --param or --param-file",
	// The same advice followed by another way: what is left once the
	// longer phrasings above had their turn.
	"give the variables it depends on values,", "give the parameters it depends on values (--param, --param-file),",
	"give the variables they depend on values,", "give the parameters they depend on values (--param, --param-file),",
	"give the variables its policy depends on values", "give the parameters its policy depends on values (--param, --param-file)",
	// What may be hidden: a stack has no modules or counts, but nested
	// stacks canpull cannot read and resources under a condition.
	"(an unknown count, VPC or service name, or a module not on disk)", "(an unknown condition, VPC or service name, or an unread nested stack)",
	"or a module that may declare more is not on disk.", "or a nested stack that canpull cannot read may declare more.",
	"a module that may declare the repository or a repository creation template is not on disk, or a count is unknown",
	"a nested stack that canpull cannot read may declare the repository or a repository creation template, or a condition is unknown",
	"run terraform init so that every module is on disk", "scan the folder that holds the nested templates too (TemplateURL as a local path)",
	// How to say where a stack deploys.
	"pass --account-id, or set allowed_account_ids or assume_role in the provider", "pass --account-id (or --param AWS::AccountId=…)",
	"set the provider's allowed_account_ids", "pass --account-id (or --param AWS::AccountId=…)",
	`add "AmazonProvidedDNS" to domain_name_servers of`, "add AmazonProvidedDNS to the DomainNameServers of",
	"set `enable_dns64 = true` on the subnet", "set `EnableDns64: true` on the subnet",
	"with `ip_address_type = \"ipv6\"`", "with `IpAddressType: ipv6`",
	"(ipv6_native or cidr_block is unknown)", "(Ipv6Native or CidrBlock is unknown)",
	// EC2 capacity and pull through cache.
	"set `associate_public_ip_address = true` in the launch template's network_interfaces block",
	"set `AssociatePublicIpAddress: true` in the launch template's NetworkInterfaces",
	"associate_public_ip_address = false", "AssociatePublicIpAddress: false",
	"(`aws_ecr_registry_policy`)", "(`AWS::ECR::RegistryPolicy`)",
	"`execution_role_arn`", "`ExecutionRoleArn`",
	"`credential_arn`", "`CredentialArn`",
	"`custom_role_arn`", "`CustomRoleArn`",
	// Settings named in messages.
	"associate_public_ip_address", "AssociatePublicIpAddress",
	"map_public_ip_on_launch", "MapPublicIpOnLaunch",
	"network_interfaces", "NetworkInterfaces",
	"vpc_zone_identifier", "VPCZoneIdentifier",
	"credential_arn", "CredentialArn",
	"custom_role_arn", "CustomRoleArn",
	"domain_name_servers", "DomainNameServers",
	"enable_dns64", "EnableDns64",
	"ip_address_type", "IpAddressType",
	"repository_url", "RepositoryUri",
	"default_security_group_id", "DefaultSecurityGroup",
	"assign_public_ip", "AssignPublicIp",
	"private_dns_enabled", "PrivateDnsEnabled",
	"vpc_endpoint_type", "VpcEndpointType",
	"enable_dns_support", "EnableDnsSupport",
	"enable_dns_hostnames", "EnableDnsHostnames",
	"connectivity_type", "ConnectivityType",
	"service_name", "ServiceName",
	"subnet_ids", "SubnetIds",
	"route_table_ids", "RouteTableIds",
	"referenced_security_group_id", "SourceSecurityGroupId",
	"network_configuration", "NetworkConfiguration",
	"inline_policy", "inline policy",
)

// attachmentFix is CP102's fix as Terraform writes it.
var attachmentFix = regexp.MustCompile("an `aws_iam_role_policy_attachment` with `role = (\\S+)\\.name` and `policy_arn = \"([^\"]+)\"`")

// statementFix is CP106's fix as Terraform writes it.
var statementFix = regexp.MustCompile("with `actions = \\[([^\\]]*)\\]` and `resources = \\[([^\\]]*)\\]`")

// cpuArchitectureFix is CP306's fix as Terraform writes it.
var cpuArchitectureFix = regexp.MustCompile("set `cpu_architecture = \"([A-Z0-9_]+)\"` in runtime_platform")

// cfnWords puts a finding into CloudFormation's words.
func cfnWords(f lint.Finding) lint.Finding {
	f.Message = cfnTerms.Replace(f.Message)
	f.Detail = cfnTerms.Replace(f.Detail)
	fix := attachmentFix.ReplaceAllString(f.Fix, "add `$2` to the `ManagedPolicyArns` of $1")
	fix = cpuArchitectureFix.ReplaceAllString(fix, "set `CpuArchitecture: $1` in RuntimePlatform")
	fix = statementFix.ReplaceAllString(fix, "with `{Effect: Allow, Action: [$1], Resource: [$2]}`")
	f.Fix = cfnTerms.Replace(fix)
	if len(f.Related) > 0 {
		rel := make([]lint.Related, len(f.Related))
		for i, r := range f.Related {
			r.Message = cfnTerms.Replace(r.Message)
			rel[i] = r
		}
		f.Related = rel
	}
	return f
}
