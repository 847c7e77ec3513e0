# An ECS service built from two modules laid out as the terraform-aws-modules
# ones are (count = 1 on every resource, outputs of one feeding the other):
# the service's subnets come from module.vpc's output, so the plan, where
# their IDs are unknown, leads to them only through the configuration.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "assign_public_ip" {
  type    = bool
  default = false
}

module "vpc" {
  source         = "./modules/vpc"
  cidr           = "10.0.0.0/16"
  public_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
}

module "ecs_service" {
  source           = "./modules/ecs-service"
  name             = "app"
  image            = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"
  subnet_ids       = module.vpc.public_subnets
  assign_public_ip = var.assign_public_ip
}
