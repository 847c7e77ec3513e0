package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/inputs"
)

// BenchmarkNetwork200Services lints a root module with 200 Fargate services
// over one shared, endpoint-only network: three private subnets, ECR, logs
// and Secrets Manager interface endpoints, an S3 gateway endpoint, and a
// security group per service. It times the whole run: loading, evaluating
// and every rule.
func BenchmarkNetwork200Services(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(manyServices(200)), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := driver.Options{Paths: []string{dir}, Rules: All(), Inputs: inputs.All(inputs.Options{})}
	res := driver.Run(context.Background(), opts)
	if len(res.Errors) > 0 || res.Stats.Services != 200 {
		b.Fatalf("setup: %d services, errors %v", res.Stats.Services, res.Errors)
	}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.RuleID, "CP2") {
			b.Fatalf("the shared network is correct, but %s reports: %s", f.RuleID, f.Message)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		driver.Run(context.Background(), opts)
	}
}

// manyServices writes the shared network and n services over it.
func manyServices(n int) string {
	var sb strings.Builder
	sb.WriteString(`provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

locals {
  azs = { a = "10.0.11.0/24", b = "10.0.12.0/24", c = "10.0.13.0/24" }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = local.azs
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name   = "vpc-endpoints"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = values(aws_subnet.private)[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_iam_role" "execution" {
  name = "execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}
`)
	for i := range n {
		fmt.Fprintf(&sb, `
resource "aws_security_group" "svc%[1]d" {
  name   = "svc%[1]d"
  vpc_id = aws_vpc.main.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

resource "aws_ecs_task_definition" "svc%[1]d" {
  family                   = "svc%[1]d"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([{
    name  = "app"
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/svc%[1]d:1.0.%[1]d"
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = "/ecs/svc%[1]d"
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "app"
      }
    }
  }])
}

resource "aws_ecs_service" "svc%[1]d" {
  name            = "svc%[1]d"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.svc%[1]d.arn
  launch_type     = "FARGATE"
  desired_count   = 2

  network_configuration {
    subnets         = values(aws_subnet.private)[*].id
    security_groups = [aws_security_group.svc%[1]d.id]
  }
}
`, i)
	}
	return sb.String()
}
