package corpus

// Application repositories, as aws-ia/ecs-blueprints and teams' own
// repositories hold them: one root module per environment that runs a
// service through a registry module that terraform init downloaded into
// .terraform/modules, a worker whose task definition is a heredoc, the
// subnets read with data sources; ECS JSON task definitions and
// CloudFormation stacks beside them.

// appVersions: app name, environment.
const appVersions = `terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "example-terraform-state"
    key            = "%[1]s/%[2]s/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "%[1]s"
      Environment = "%[2]s"
      ManagedBy   = "terraform"
    }
  }
}
`

// appMain: app name, environment.
const appMain = `data "aws_vpc" "main" {
  tags = {
    Name = "main-%[2]s"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  tags = {
    Tier = "private"
  }
}

data "aws_ecs_cluster" "main" {
  cluster_name = "main-%[2]s"
}

locals {
  name = "%[1]s-%[2]s"
}

resource "aws_ecr_repository" "app" {
  name                 = "%[1]s/app"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

module "ecs_service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.11.0"

  name         = local.name
  cluster_arn  = data.aws_ecs_cluster.main.arn
  cluster_name = data.aws_ecs_cluster.main.cluster_name
  image        = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
  cpu          = var.cpu
  memory       = var.cpu * 2
  environment = {
    APP_ENV   = "%[2]s"
    LOG_LEVEL = var.log_level
  }

  vpc_id     = data.aws_vpc.main.id
  subnet_ids = data.aws_subnets.private.ids
}
`

// appWorker: app name, environment. A task definition written as a
// heredoc, as older configurations do.
const appWorker = `resource "aws_ecr_repository" "worker" {
  name                 = "%[1]s/worker"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/ecs/%[1]s-%[2]s/worker"
  retention_in_days = 14
}

resource "aws_iam_role" "worker_execution" {
  name = "%[1]s-%[2]s-worker-execution"

  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ecs-tasks.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}

resource "aws_iam_role_policy_attachment" "worker_execution" {
  role       = aws_iam_role.worker_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "%[1]s-%[2]s-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.worker_execution.arn

  container_definitions = <<DEFINITION
[
  {
    "name": "worker",
    "image": "${aws_ecr_repository.worker.repository_url}:${var.image_tag}",
    "essential": true,
    "command": ["worker", "--queue", "%[1]s-%[2]s"],
    "environment": [
      { "name": "APP_ENV", "value": "%[2]s" },
      { "name": "LOG_LEVEL", "value": "${var.log_level}" }
    ],
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": {
        "awslogs-group": "${aws_cloudwatch_log_group.worker.name}",
        "awslogs-region": "${var.region}",
        "awslogs-stream-prefix": "worker"
      }
    }
  }
]
DEFINITION
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = data.aws_ecs_cluster.main.arn
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = data.aws_subnets.private.ids
    security_groups = [module.ecs_service.security_group_id]
  }
}
`

const appVariables = `variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "image_tag" {
  description = "The tag CI built and pushed"
  type        = string
}

variable "cpu" {
  type    = number
  default = 512
}

variable "log_level" {
  type    = string
  default = "info"
}
`

const appOutputs = `output "service_name" {
  value = module.ecs_service.service_name
}

output "repository_urls" {
  value = {
    app    = aws_ecr_repository.app.repository_url
    worker = aws_ecr_repository.worker.repository_url
  }
}
`

// appModulesJSON is what terraform init records for appMain.
const appModulesJSON = `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"ecs_service","Source":"registry.terraform.io/terraform-aws-modules/ecs/aws//modules/service","Version":"5.11.0","Dir":".terraform/modules/ecs_service/modules/service"},{"Key":"ecs_service.container","Source":"../container-definition","Dir":".terraform/modules/ecs_service/modules/container-definition"}]}
`

// appTaskDefinitionJSON: app name, image tag.
const appTaskDefinitionJSON = `{
  "family": "%[1]s-migrate",
  "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [
    {
      "name": "migrate",
      "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/%[1]s/app:%[2]s",
      "essential": true,
      "command": ["migrate", "up"]
    }
  ]
}
`
