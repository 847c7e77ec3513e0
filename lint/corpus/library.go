package corpus

// Module libraries, as terraform-aws-modules/terraform-aws-ecs and
// hashicorp/terraform-aws-consul-ecs keep them: modules/ with the ECS
// modules (a service module that calls a container-definition module),
// examples/ whose root modules call two or three of them, and test/ with
// many small root modules that call the same service module again and
// again. Each library is its own text: a run parses each of its modules
// once however many roots call it.

import (
	"fmt"
	"strings"
)

const libClusterMain = `resource "aws_cloudwatch_log_group" "exec" {
  name              = "/aws/ecs/${var.name}/exec"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  configuration {
    execute_command_configuration {
      logging = "OVERRIDE"
      log_configuration {
        cloud_watch_log_group_name = aws_cloudwatch_log_group.exec.name
      }
    }
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = keys(var.capacity_providers)

  dynamic "default_capacity_provider_strategy" {
    for_each = var.capacity_providers
    content {
      capacity_provider = default_capacity_provider_strategy.key
      weight            = default_capacity_provider_strategy.value.weight
      base              = try(default_capacity_provider_strategy.value.base, null)
    }
  }
}
`

const libClusterVariables = `variable "name" {
  description = "Name of the cluster (up to 255 letters, numbers, hyphens and underscores)"
  type        = string
}

variable "container_insights" {
  description = "Whether to enable CloudWatch Container Insights"
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days to keep the execute-command logs"
  type        = number
  default     = 30
}

variable "capacity_providers" {
  description = "Capacity providers and their default strategy"
  type        = map(object({ weight = number, base = optional(number) }))
  default = {
    FARGATE      = { weight = 50, base = 1 }
    FARGATE_SPOT = { weight = 50 }
  }
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default     = {}
}
`

const libClusterOutputs = `output "arn" {
  description = "ARN of the cluster"
  value       = aws_ecs_cluster.this.arn
}

output "id" {
  description = "ID of the cluster"
  value       = aws_ecs_cluster.this.id
}

output "name" {
  description = "Name of the cluster"
  value       = aws_ecs_cluster.this.name
}

output "log_group" {
  description = "The execute-command log group"
  value       = aws_cloudwatch_log_group.exec.name
}
`

const libContainerMain = `locals {
  # Terraform sorts maps; ECS keeps the order given: sort for a stable diff.
  environment = [
    for k in sort(keys(var.environment)) : { name = k, value = var.environment[k] }
  ]
  secrets = [
    for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }
  ]
  port_mappings = [
    for p in var.port_mappings : {
      containerPort = p.container_port
      hostPort      = try(p.host_port, p.container_port)
      protocol      = try(p.protocol, "tcp")
    }
  ]
  log_configuration = var.log_group == null ? null : {
    logDriver = "awslogs"
    options = {
      awslogs-group         = var.log_group
      awslogs-region        = var.region
      awslogs-stream-prefix = var.container_name
    }
  }
  health_check = var.health_check_command == null ? null : {
    command     = ["CMD-SHELL", var.health_check_command]
    interval    = 30
    timeout     = 5
    retries     = 3
    startPeriod = 10
  }

  container_definition = {
    name                   = var.container_name
    image                  = var.container_image
    essential              = var.essential
    cpu                    = var.container_cpu
    memory                 = var.container_memory
    memoryReservation      = var.container_memory_reservation
    portMappings           = local.port_mappings
    environment            = local.environment
    secrets                = length(local.secrets) > 0 ? local.secrets : null
    logConfiguration       = local.log_configuration
    healthCheck            = local.health_check
    readonlyRootFilesystem = var.readonly_root_filesystem
    command                = var.command
    entryPoint             = var.entrypoint
    user                   = var.user
    ulimits                = var.ulimits
  }

  # ECS rejects nulls in some fields: leave them out.
  final = { for k, v in local.container_definition : k => v if v != null }
}
`

const libContainerVariables = `variable "container_name" {
  description = "The name of the container"
  type        = string
}

variable "container_image" {
  description = "The image, as registry/repository:tag"
  type        = string
}

variable "container_cpu" {
  description = "CPU units reserved for the container"
  type        = number
  default     = 0
}

variable "container_memory" {
  description = "Hard memory limit (MiB)"
  type        = number
  default     = null
}

variable "container_memory_reservation" {
  description = "Soft memory limit (MiB)"
  type        = number
  default     = null
}

variable "essential" {
  description = "Whether the task stops when this container stops"
  type        = bool
  default     = true
}

variable "port_mappings" {
  description = "Ports the container listens on"
  type        = list(object({ container_port = number, host_port = optional(number), protocol = optional(string) }))
  default     = []
}

variable "environment" {
  description = "Environment variables"
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Secrets, by variable name: ARNs in Secrets Manager or SSM"
  type        = map(string)
  default     = {}
}

variable "log_group" {
  description = "CloudWatch Logs group; no logging when null"
  type        = string
  default     = null
}

variable "region" {
  description = "Region of the log group"
  type        = string
  default     = "eu-west-1"
}

variable "health_check_command" {
  description = "Shell command of the health check; none when null"
  type        = string
  default     = null
}

variable "readonly_root_filesystem" {
  type    = bool
  default = true
}

variable "command" {
  type    = list(string)
  default = null
}

variable "entrypoint" {
  type    = list(string)
  default = null
}

variable "user" {
  type    = string
  default = null
}

variable "ulimits" {
  type    = list(object({ name = string, softLimit = number, hardLimit = number }))
  default = null
}
`

const libContainerOutputs = `output "json_map_object" {
  description = "The container definition as an object"
  value       = local.final
}

output "json_map_encoded" {
  description = "The container definition as JSON"
  value       = jsonencode(local.final)
}

output "json_map_encoded_list" {
  description = "A list of one container definition, as JSON, for container_definitions"
  value       = jsonencode([local.final])
}
`

const libServiceMain = `locals {
  log_group = "/ecs/${var.cluster_name}/${var.name}"
}

module "container" {
  source = "../container-definition"

  container_name       = var.name
  container_image      = var.image
  container_memory     = var.memory
  port_mappings        = [{ container_port = var.container_port }]
  environment          = var.environment
  log_group            = local.log_group
  region               = var.region
  health_check_command = var.health_check_command
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = module.container.json_map_encoded_list

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-service"
  description = "Tasks of ${var.name}"
  vpc_id      = var.vpc_id

  ingress {
    description = "From the load balancer"
    from_port   = var.container_port
    to_port     = var.container_port
    protocol    = "tcp"
    cidr_blocks = var.ingress_cidr_blocks
  }

  egress {
    description = "HTTPS: images, logs, AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name                   = var.name
  cluster                = var.cluster_arn
  task_definition        = aws_ecs_task_definition.this.arn
  desired_count          = var.desired_count
  launch_type            = "FARGATE"
  enable_execute_command = var.enable_execute_command
  propagate_tags         = "SERVICE"

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = var.assign_public_ip
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = var.tags
}
`

const libServiceIAM = `data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "ECSTasksAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ExecuteCommand"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "execute-command"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
`

const libServiceAutoscaling = `resource "aws_appautoscaling_target" "this" {
  count              = var.autoscaling_max > var.desired_count ? 1 : 0
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.desired_count
  max_capacity       = var.autoscaling_max
}

resource "aws_appautoscaling_policy" "cpu" {
  count              = length(aws_appautoscaling_target.this)
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
`

const libServiceVariables = `variable "name" {
  description = "Name of the service, its task family and its roles"
  type        = string
}

variable "cluster_arn" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "image" {
  description = "The container image"
  type        = string
}

variable "cpu" {
  type    = number
  default = 256
}

variable "memory" {
  type    = number
  default = 512
}

variable "cpu_architecture" {
  type    = string
  default = "X86_64"
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "environment" {
  type    = map(string)
  default = {}
}

variable "health_check_command" {
  type    = string
  default = null
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "autoscaling_max" {
  type    = number
  default = 2
}

variable "enable_execute_command" {
  type    = bool
  default = false
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "assign_public_ip" {
  type    = bool
  default = false
}

variable "ingress_cidr_blocks" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "tags" {
  type    = map(string)
  default = {}
}
`

const libServiceOutputs = `output "service_name" {
  value = aws_ecs_service.this.name
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.this.arn
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}

output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}

output "security_group_id" {
  value = aws_security_group.this.id
}

output "container_definition" {
  value = module.container.json_map_object
}
`

const libVersions = `terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
`

// libExampleMain: library name, example name, CIDR octet, image, services.
// The VPC comes from the registry, not downloaded: its subnets are unknown,
// as they are when examples are linted without terraform init.
const libExampleMain = `provider "aws" {
  region = local.region
}

data "aws_availability_zones" "available" {}

locals {
  name   = "%[1]s-%[2]s"
  region = "eu-west-1"

  vpc_cidr = "10.%[3]d.0.0/16"
  azs      = slice(data.aws_availability_zones.available.names, 0, 3)

  tags = {
    Example    = local.name
    Repository = "https://github.com/example/%[1]s"
  }
}

module "cluster" {
  source = "../../modules/cluster"

  name = local.name
  tags = local.tags
}

module "service" {
  source   = "../../modules/service"
  for_each = toset(%[5]s)

  name         = "${local.name}-${each.key}"
  cluster_arn  = module.cluster.arn
  cluster_name = module.cluster.name
  image        = "%[4]s"
  environment = {
    SERVICE = each.key
    STAGE   = "example"
  }
  health_check_command = "curl -f http://localhost:8080/health || exit 1"

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets
  tags       = local.tags
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = local.name
  cidr = local.vpc_cidr

  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 4, k)]
  public_subnets  = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 8, k + 48)]

  enable_nat_gateway = true
  single_nat_gateway = true

  tags = local.tags
}
`

const libExampleOutputs = `output "cluster_arn" {
  description = "ARN of the cluster"
  value       = module.cluster.arn
}

output "services" {
  description = "The services, by name"
  value       = { for k, s in module.service : k => s.service_name }
}

output "task_roles" {
  value = { for k, s in module.service : k => s.task_role_arn }
}
`

// libTestMain: library name, test index, CIDR octet, image, modules path
// twice, the subnets' tier ("private", "public"). Each test root builds its own network with
// the library's network module (endpoints for ECR and logs), and runs one
// service on it.
const libTestMain = `provider "aws" {
  region = var.region
}

locals {
  name = "%[1]s-t%[2]d"
}

module "network" {
  source = "%[5]s/network"

  name   = local.name
  cidr   = "10.%[3]d.0.0/16"
  region = var.region
}

resource "aws_ecs_cluster" "test" {
  name = local.name
}

module "service" {
  source = "%[6]s/service"

  name         = "${local.name}-app"
  cluster_arn  = aws_ecs_cluster.test.arn
  cluster_name = aws_ecs_cluster.test.name
  image        = "%[4]s"
  cpu          = var.cpu
  memory       = var.cpu * 2
  environment = {
    TEST_NAME = local.name
    LOG_LEVEL = "debug"
  }

  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.%[7]s_subnet_ids
}
`

const libTestVariables = `variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cpu" {
  type    = number
  default = 512
}

variable "suffix" {
  description = "A suffix the test harness sets to keep runs apart"
  type        = string
  default     = ""
}
`

// features writes n optional features of a module, as real modules carry
// them: a variable that turns each on (off by default) and the resource it
// makes, with the settings real ones have. prefix tells the features of
// one module from another's.
func features(prefix string, n int) (resources, variables string) {
	var r, v strings.Builder
	for i := range n {
		f := featureKinds[i%len(featureKinds)]
		name := fmt.Sprintf("%s_%s_%d", prefix, f.name, i)
		fmt.Fprintf(&v, "variable \"enable_%s\" {\n  description = \"Whether to create the %s (%s)\"\n  type        = bool\n  default     = false\n}\n\n", name, strings.ReplaceAll(f.name, "_", " "), f.typ)
		fmt.Fprintf(&v, "variable \"%s_settings\" {\n  description = \"Settings of the %s, merged over the defaults\"\n  type        = any\n  default     = {}\n}\n\n", name, strings.ReplaceAll(f.name, "_", " "))
		fmt.Fprintf(&r, "resource %q %q {\n  count = var.enable_%s ? 1 : 0\n\n", f.typ, name, name)
		for j, a := range f.attrs {
			fmt.Fprintf(&r, "  %-20s = try(var.%s_settings.%s, %s)\n", a, name, a, f.defaults[j])
		}
		fmt.Fprintf(&r, "\n  tags = merge(var.tags, { Feature = %q })\n}\n\n", name)
	}
	return r.String(), v.String()
}

type featureKind struct {
	name, typ       string
	attrs, defaults []string
}

var featureKinds = []featureKind{
	{"target_group", "aws_lb_target_group",
		[]string{"name", "port", "protocol", "target_type", "vpc_id", "deregistration_delay"},
		[]string{`"${var.name}-tg"`, "var.container_port", `"HTTP"`, `"ip"`, "var.vpc_id", "30"}},
	{"alarm", "aws_cloudwatch_metric_alarm",
		[]string{"alarm_name", "comparison_operator", "evaluation_periods", "metric_name", "namespace", "period", "statistic", "threshold"},
		[]string{`"${var.name}-cpu"`, `"GreaterThanThreshold"`, "3", `"CPUUtilization"`, `"AWS/ECS"`, "60", `"Average"`, "80"}},
	{"parameter", "aws_ssm_parameter",
		[]string{"name", "type", "value", "tier"},
		[]string{`"/${var.name}/config"`, `"String"`, `jsonencode({ name = var.name })`, `"Standard"`}},
	{"queue", "aws_sqs_queue",
		[]string{"name", "visibility_timeout_seconds", "message_retention_seconds", "sqs_managed_sse_enabled"},
		[]string{`"${var.name}-events"`, "60", "345600", "true"}},
	{"discovery", "aws_service_discovery_service",
		[]string{"name", "description"},
		[]string{"var.name", `"Service discovery for ${var.name}"`}},
	{"topic", "aws_sns_topic",
		[]string{"name", "kms_master_key_id"},
		[]string{`"${var.name}-notifications"`, `"alias/aws/sns"`}},
	{"scheduled_scaling", "aws_appautoscaling_scheduled_action",
		[]string{"name", "service_namespace", "resource_id", "scalable_dimension", "schedule"},
		[]string{`"${var.name}-night"`, `"ecs"`, `"service/${var.name}"`, `"ecs:service:DesiredCount"`, `"cron(0 20 * * ? *)"`}},
	{"log_subscription", "aws_cloudwatch_log_subscription_filter",
		[]string{"name", "log_group_name", "filter_pattern", "destination_arn"},
		[]string{`"${var.name}-errors"`, `"/ecs/${var.name}"`, `"ERROR"`, `"arn:aws:lambda:eu-west-1:111122223333:function:ship"`}},
}
