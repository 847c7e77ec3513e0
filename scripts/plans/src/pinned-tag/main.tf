# The working variant of latest-tag: a version tag and a digest.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecs_task_definition" "app" {
  family = "app"

  container_definitions = jsonencode([
    {
      name  = "app"
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
    },
    {
      name  = "proxy"
      image = "public.ecr.aws/nginx/nginx@sha256:0f3f9e1c7b2a4d6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60"
    },
  ])
}
