# fixtures/CP304/fires-terraform builds its images from the repository_url
# of a repository it creates, which a plan knows only after apply. Here the
# images are written out: one asks for latest, one has no tag at all.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecs_task_definition" "app" {
  family = "app"

  container_definitions = jsonencode([
    {
      name  = "app"
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:latest"
    },
    {
      name  = "proxy"
      image = "public.ecr.aws/nginx/nginx"
    },
  ])
}
