package corpus

// A platform monorepo, as cloudposse/terraform-aws-components keeps one:
// hundreds of root modules ("components"), each of six to eight files,
// that hold buckets, functions, databases, queues and alarms and nothing
// the rules read; each names itself through a registry label module (not
// downloaded, as in a repository) and calls a shared local module about
// once. A few run ECS services, some through a registry module named for
// ECS that is not on disk.

// componentRemoteState reads the outputs of other components from their
// state, through a registry module that is not downloaded, as platform
// components do (two or three registry modules per root module).
const componentRemoteState = `
module "vpc" {
  source  = "cloudposse/stack-config/yaml//modules/remote-state"
  version = "1.5.0"

  component = "vpc"
  context   = module.this.context
}

module "dns_delegated" {
  source  = "cloudposse/stack-config/yaml//modules/remote-state"
  version = "1.5.0"

  component   = "dns-delegated"
  environment = "gbl"
  context     = module.this.context
}
`

// componentContext is the label plumbing every component carries.
const componentContext = `module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"

  enabled             = var.enabled
  namespace           = var.namespace
  tenant              = var.tenant
  environment         = var.environment
  stage               = var.stage
  name                = var.name
  delimiter           = var.delimiter
  attributes          = var.attributes
  tags                = var.tags
  additional_tag_map  = var.additional_tag_map
  label_order         = var.label_order
  regex_replace_chars = var.regex_replace_chars
  id_length_limit     = var.id_length_limit
  label_key_case      = var.label_key_case
  label_value_case    = var.label_value_case

  context = var.context
}

variable "context" {
  type = any
  default = {
    enabled             = true
    namespace           = null
    tenant              = null
    environment         = null
    stage               = null
    name                = null
    delimiter           = null
    attributes          = []
    tags                = {}
    additional_tag_map  = {}
    regex_replace_chars = null
    label_order         = []
    id_length_limit     = null
    label_key_case      = null
    label_value_case    = null
  }
  description = <<-EOT
    Single object for setting entire context at once.
    See description of individual variables for details.
    Leave string and numeric variables as null to use default value.
    Individual variable settings (non-null) override settings in context object,
    except for attributes, tags, and additional_tag_map, which are merged.
  EOT
}

variable "enabled" {
  type        = bool
  default     = null
  description = "Set to false to prevent the module from creating any resources"
}

variable "namespace" {
  type        = string
  default     = null
  description = "ID element. Usually an abbreviation of your organization name"
}

variable "tenant" {
  type        = string
  default     = null
  description = "ID element (rarely used, not included by default). A customer identifier"
}

variable "environment" {
  type        = string
  default     = null
  description = "ID element. Usually used for region"
}

variable "delimiter" {
  type        = string
  default     = null
  description = "Delimiter to be used between ID elements"
}

variable "attributes" {
  type        = list(string)
  default     = []
  description = "ID element. Additional attributes to add to id"
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Additional tags"
}

variable "additional_tag_map" {
  type        = map(string)
  default     = {}
  description = "Additional key-value pairs to add to each map in tags_as_list_of_maps"
}

variable "label_order" {
  type        = list(string)
  default     = null
  description = "The order in which the labels (ID elements) appear in the id"
}

variable "regex_replace_chars" {
  type        = string
  default     = null
  description = "Terraform regular expression (regex) string"
}

variable "id_length_limit" {
  type        = number
  default     = null
  description = "Limit id to this many characters (minimum 6)"
  validation {
    condition     = var.id_length_limit == null ? true : var.id_length_limit >= 6 || var.id_length_limit == 0
    error_message = "The id_length_limit must be >= 6 if supplied (not null), or 0 for unlimited length."
  }
}

variable "label_key_case" {
  type        = string
  default     = null
  description = "Controls the letter case of the tags keys (label names)"
}

variable "label_value_case" {
  type        = string
  default     = null
  description = "Controls the letter case of ID elements (labels) as included in id"
}
`

// componentECSService: component index. A component that runs its
// service through a registry module named for ECS, not on disk.
const componentECSService = `module "ecs_alb_service_task" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.76.0"

  container_definition_json = jsonencode([{
    name      = "app"
    image     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/component-%d:latest"
    essential = true
  }])
  ecs_cluster_arn = "arn:aws:ecs:eu-west-1:111122223333:cluster/main"
  vpc_id          = "vpc-0a1b2c3d4e5f"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  context = module.this.context
}
`

// componentVariables are the settings a component declares besides its
// label's, with plainVariables.
const componentVariables = `variable "region" {
  description = "AWS region the component runs in"
  type        = string
  default     = "eu-west-1"
}

variable "retention_days" {
  description = "Days to keep the logs of the functions"
  type        = number
  default     = 14
}

variable "alarm_evaluation_periods" {
  description = "Periods over which alarms compare their metric"
  type        = number
  default     = 3
}

variable "alarm_email_addresses" {
  description = "Where the alarms send e-mail"
  type        = list(string)
  default     = ["oncall@example.com"]
}

variable "db_allocated_storage" {
  description = "Storage of the database (GiB)"
  type        = number
  default     = 20
}

variable "db_engine_version" {
  description = "PostgreSQL version of the database"
  type        = string
  default     = "16.3"
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups"
  type        = number
  default     = 7
}

variable "db_multi_az" {
  description = "Whether the database has a standby in another zone"
  type        = bool
  default     = false
}

variable "queue_count" {
  description = "How many job queues"
  type        = number
  default     = 2
}

variable "queue_visibility_timeout" {
  description = "Seconds a received job stays hidden"
  type        = number
  default     = 120
}

variable "function_runtime" {
  description = "Runtime of the functions"
  type        = string
  default     = "python3.12"
}

variable "function_architecture" {
  description = "Instruction set of the functions"
  type        = string
  default     = "arm64"
}

variable "artifacts_expiration_days" {
  description = "Days before build artifacts expire"
  type        = number
  default     = 90
}

variable "kms_deletion_window" {
  description = "Days before a deleted key is gone"
  type        = number
  default     = 30
}

variable "ci_role_arns" {
  description = "Roles that CI deploys with"
  type        = list(string)
  default     = ["arn:aws:iam::111122223333:role/ci"]
}

variable "vpc_id" {
  description = "VPC of the database"
  type        = string
  default     = "vpc-0a1b2c3d4e5f"
}

variable "subnet_ids" {
  description = "Subnets of the database"
  type        = list(string)
  default     = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

variable "allowed_cidr_blocks" {
  description = "Networks that may reach the database"
  type        = list(string)
  default     = ["10.0.0.0/8"]
}

variable "enable_xray" {
  description = "Whether the functions trace with X-Ray"
  type        = bool
  default     = true
}

variable "owner" {
  description = "Team that owns the component"
  type        = string
  default     = "platform"
}

variable "cost_center" {
  description = "Cost center the component bills to"
  type        = string
  default     = "cc-1234"
}
`

// componentOutputs are the outputs a component adds to plainOutputs.
const componentOutputs = `output "kms_key_arn" {
  description = "The key that encrypts the component's data"
  value       = aws_kms_key.data.arn
}

output "secret_arn" {
  description = "Where the database credentials are kept"
  value       = aws_secretsmanager_secret.db.arn
}

output "lambda_role" {
  description = "The role the functions run as"
  value = {
    arn  = aws_iam_role.lambda.arn
    name = aws_iam_role.lambda.name
  }
}

output "alarm_names" {
  description = "Every alarm, by function"
  value = {
    for k in keys(local.functions) : k => [
      aws_cloudwatch_metric_alarm.throttles[k].alarm_name,
      aws_cloudwatch_metric_alarm.duration[k].alarm_name,
      aws_cloudwatch_metric_alarm.errors[k].alarm_name,
    ]
  }
}

output "label" {
  description = "The component's label, for the components that depend on it"
  value = {
    id      = module.this.id
    tags    = module.this.tags
    context = module.this.context
  }
}
`
