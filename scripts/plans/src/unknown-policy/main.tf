# The execution role has no policy for ECR but one more policy whose ARN a
# CloudFormation stack gives only after apply: it may allow the pull, so
# CP102 cannot say the role lacks it.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_cloudformation_stack" "policies" {
  name = "ecs-policies"
  template_body = jsonencode({
    Resources = {
      Pull = {
        Type = "AWS::IAM::ManagedPolicy"
        Properties = {
          PolicyDocument = {
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource = "*" }]
          }
        }
      }
    }
    Outputs = {
      PullPolicyArn = { Value = { Ref = "Pull" } }
    }
  })
}

resource "aws_iam_role" "execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "pull" {
  role       = aws_iam_role.execution.name
  policy_arn = aws_cloudformation_stack.policies.outputs["PullPolicyArn"]
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([{
    name      = "app"
    image     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
    essential = true
  }])
}
