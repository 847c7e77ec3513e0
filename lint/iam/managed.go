package iam

import (
	"strings"
	"sync"
)

// managedPolicy is one AWS-managed policy of the table.
type managedPolicy struct {
	path     string // "/", "/service-role/"
	document string // in the "aws" partition
}

// managedPolicies are the AWS-managed policies that decide whether an ECS
// task can pull its image, read its secrets and send its logs, with their
// documents as AWS publishes them (the default version, in the AWS Managed
// Policy Reference). Statements that grant only unrelated services are
// kept, so that each document is the whole policy.
//
// An attached AWS-managed policy that is not listed here makes the role's
// permissions unknown.
var managedPolicies = map[string]managedPolicy{
	"AmazonECSTaskExecutionRolePolicy": {"/service-role/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
			"ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`},
	"AmazonEC2ContainerServiceforEC2Role": {"/service-role/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ec2:DescribeTags","ecs:CreateCluster","ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint",
			"ecs:Poll","ecs:RegisterContainerInstance","ecs:StartTelemetrySession","ecs:UpdateContainerInstancesState","ecs:Submit*",
			"ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage",
			"logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},
		{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
			"Condition":{"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}}]}`},
	"AmazonEC2ContainerRegistryReadOnly": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
			"ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage",
			"ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],
			"Resource":"*"}]}`},
	"AmazonEC2ContainerRegistryPullOnly": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer",
			"ecr:BatchImportUpstreamImage"],"Resource":"*"}]}`},
	"AmazonEC2ContainerRegistryPowerUser": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
			"ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage",
			"ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings",
			"ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"*"}]}`},
	"AmazonEC2ContainerRegistryFullAccess": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ecr:*","cloudtrail:LookupEvents"],"Resource":"*"},
		{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole"],"Resource":"*",
			"Condition":{"StringEquals":{"iam:AWSServiceName":["replication.ecr.amazonaws.com"]}}}]}`},
	"AdministratorAccess": {"/", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	"PowerUserAccess": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetGovCloudAccountInformation","account:GetPrimaryEmail",
			"account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles",
			"organizations:DescribeEffectivePolicy","organizations:DescribeOrganization"],"Resource":"*"}]}`},
	"SecretsManagerReadWrite": {"/", `{"Version":"2012-10-17","Statement":[
		{"Sid":"BasePermissions","Effect":"Allow","Action":["secretsmanager:*","cloudformation:CreateChangeSet",
			"cloudformation:DescribeChangeSet","cloudformation:DescribeStackResource","cloudformation:DescribeStacks",
			"cloudformation:ExecuteChangeSet","docdb-elastic:GetCluster","docdb-elastic:ListClusters","ec2:DescribeSecurityGroups",
			"ec2:DescribeSubnets","ec2:DescribeVpcs","kms:DescribeKey","kms:ListAliases","kms:ListKeys","lambda:ListFunctions",
			"rds:DescribeDBClusters","rds:DescribeDBInstances","redshift:DescribeClusters","redshift-serverless:ListWorkgroups",
			"redshift-serverless:GetNamespace","tag:GetResources"],"Resource":"*"},
		{"Sid":"LambdaPermissions","Effect":"Allow","Action":["lambda:AddPermission","lambda:CreateFunction","lambda:GetFunction",
			"lambda:InvokeFunction","lambda:UpdateFunctionConfiguration"],"Resource":"arn:aws:lambda:*:*:function:SecretsManager*"},
		{"Sid":"SARPermissions","Effect":"Allow","Action":["serverlessrepo:CreateCloudFormationChangeSet","serverlessrepo:GetApplication"],
			"Resource":"arn:aws:serverlessrepo:*:*:applications/SecretsManager*"},
		{"Sid":"S3Permissions","Effect":"Allow","Action":["s3:GetObject"],
			"Resource":["arn:aws:s3:::awsserverlessrepo-changesets*","arn:aws:s3:::secrets-manager-rotation-apps-*/*"]},
		{"Sid":"CloudFormationTagOnCreate","Effect":"Allow","Action":["cloudformation:TagResource","cloudformation:UntagResource"],
			"Resource":"*","Condition":{"StringEquals":{"cloudformation:CreateAction":["CreateChangeSet","ExecuteChangeSet"]}}}]}`},
	"CloudWatchLogsFullAccess": {"/", `{"Version":"2012-10-17","Statement":[
		{"Sid":"CloudWatchLogsFullAccess","Effect":"Allow","Action":["logs:*","cloudwatch:GenerateQuery",
			"cloudwatch:GenerateQueryResultsSummary"],"Resource":"*"}]}`},
	"CloudWatchAgentServerPolicy": {"/", `{"Version":"2012-10-17","Statement":[
		{"Sid":"CWACloudWatchServerPermissions","Effect":"Allow","Action":["cloudwatch:PutMetricData","ec2:DescribeVolumes",
			"ec2:DescribeTags","logs:PutLogEvents","logs:PutRetentionPolicy","logs:DescribeLogStreams","logs:DescribeLogGroups",
			"logs:CreateLogStream","logs:CreateLogGroup","xray:PutTraceSegments","xray:PutTelemetryRecords","xray:GetSamplingRules",
			"xray:GetSamplingTargets","xray:GetSamplingStatisticSummaries"],"Resource":"*"},
		{"Sid":"CWASSMServerPermissions","Effect":"Allow","Action":["ssm:GetParameter"],
			"Resource":"arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"}]}`},
	"AmazonSSMReadOnlyAccess": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]}`},
	"AmazonSSMFullAccess": {"/", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["cloudwatch:PutMetricData","ds:CreateComputer","ds:DescribeDirectories",
			"ec2:DescribeInstanceStatus","logs:*","ssm:*","ec2messages:*"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole",
			"Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*",
			"Condition":{"StringLike":{"iam:AWSServiceName":"ssm.amazonaws.com"}}},
		{"Effect":"Allow","Action":["iam:DeleteServiceLinkedRole","iam:GetServiceLinkedRoleDeletionStatus"],
			"Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*"},
		{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel",
			"ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"}]}`},
}

var (
	managedOnce   sync.Once
	managedParsed map[string]*Policy
)

// parsedManaged parses the table once. A document that does not parse is
// a bug in the table; TestManagedPolicies catches it.
func parsedManaged() map[string]*Policy {
	managedOnce.Do(func() {
		managedParsed = map[string]*Policy{}
		for name, mp := range managedPolicies {
			if p, err := Parse(mp.document); err == nil {
				managedParsed[name] = p
			}
		}
	})
	return managedParsed
}

// IsAWSManagedARN reports whether arn names an AWS-managed policy
// ("arn:aws:iam::aws:policy/…"), whether or not the table has it.
func IsAWSManagedARN(arn string) bool {
	_, _, _, ok := splitManagedARN(arn)
	return ok
}

func splitManagedARN(arn string) (partition, path, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" || parts[4] != "aws" {
		return "", "", "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "policy/")
	if !ok {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	return parts[1], "/" + rest[:i+1], rest[i+1:], true
}

// ManagedPolicy returns the AWS-managed policy an ARN names, if the table
// holds it. The path must be the policy's own: AWS has no
// "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy".
func ManagedPolicy(arn string) (*Policy, bool) {
	doc, ok := ManagedDocument(arn)
	if !ok {
		return nil, false
	}
	if partitionOf(arn) == "aws" {
		p, ok := parsedManaged()[managedName(arn)]
		return p, ok
	}
	p, err := Parse(doc)
	return p, err == nil
}

// ManagedDocument returns the JSON document of the AWS-managed policy an
// ARN names, in the ARN's partition.
func ManagedDocument(arn string) (string, bool) {
	partition, path, name, ok := splitManagedARN(arn)
	if !ok {
		return "", false
	}
	mp, ok := managedPolicies[name]
	if !ok || mp.path != path {
		return "", false
	}
	if partition != "aws" {
		return strings.ReplaceAll(mp.document, `"arn:aws:`, `"arn:`+partition+`:`), true
	}
	return mp.document, true
}

// ManagedPolicyARN returns the ARN of an AWS-managed policy of the table by
// name, in a partition ("aws", "aws-cn", "aws-us-gov").
func ManagedPolicyARN(partition, name string) (string, bool) {
	mp, ok := managedPolicies[name]
	if !ok {
		return "", false
	}
	return "arn:" + partition + ":iam::aws:policy" + mp.path + name, true
}

func managedName(arn string) string {
	_, _, name, _ := splitManagedARN(arn)
	return name
}

func partitionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}
