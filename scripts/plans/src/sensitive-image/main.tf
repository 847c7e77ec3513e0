# The image comes from a sensitive variable, so Terraform marks the task
# definition's container_definitions sensitive. The plan still prints it;
# canpull treats it as unknown, so that no report repeats it, and the image
# rules stay quiet where the source (which canpull evaluates) would make
# them fire (CP301: Docker Hub without credentials; CP304: latest).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "image" {
  type      = string
  default   = "nginx:latest"
  sensitive = true
}

resource "aws_ecs_task_definition" "app" {
  family = "app"

  container_definitions = jsonencode([{
    name      = "app"
    image     = var.image
    essential = true
  }])
}
