# The execution role comes from a CloudFormation stack's output: its ARN is
# known only after apply, and the plan cannot say which role it is. CP101
# would fire on a task definition without a role; an unknown role is not a
# missing one. (The plan holds the stack's template in a string: it is
# still the plan input's file, not the CloudFormation input's.)

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_cloudformation_stack" "roles" {
  name = "ecs-roles"
  template_body = jsonencode({
    AWSTemplateFormatVersion = "2010-09-09"
    Resources = {
      ExecutionRole = {
        Type = "AWS::IAM::Role"
        Properties = {
          AssumeRolePolicyDocument = {
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
          }
          ManagedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
        }
      }
    }
    Outputs = {
      ExecutionRoleArn = { Value = { "Fn::GetAtt" = ["ExecutionRole", "Arn"] } }
    }
  })
  capabilities = ["CAPABILITY_IAM"]
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_cloudformation_stack.roles.outputs["ExecutionRoleArn"]

  container_definitions = jsonencode([{
    name      = "app"
    image     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
    essential = true
  }])
}
