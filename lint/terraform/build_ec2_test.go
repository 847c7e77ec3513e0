package terraform

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

// EC2 capacity reaches the model linked up: capacity provider → Auto
// Scaling group (its subnets; launch templates from launch_template and a
// mixed instances policy) → launch template (instance profile, security
// groups of its first network interface, public IP, user data) → instance
// profile → role; and a count that is unknown marks the capacity
// incomplete.
func TestCapacity(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
resource "aws_subnet" "a" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.1.0/24"
}
resource "aws_security_group" "i" {
  vpc_id = "vpc-1"
}
resource "aws_iam_role" "i" {
  name               = "ecs-instance"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "i" {
  name = "ecs-instance"
  role = aws_iam_role.i.name
}
resource "aws_launch_template" "lt" {
  name_prefix = "ecs-"
  user_data   = base64encode("ECS_CLUSTER=main")
  iam_instance_profile {
    name = aws_iam_instance_profile.i.name
  }
  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.i.id]
  }
}
resource "aws_launch_template" "spot" {
  name = "spot"
}
resource "aws_autoscaling_group" "g" {
  max_size            = 2
  min_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.lt.id
      }
      override {
        launch_template_specification {
          launch_template_name = "spot"
        }
      }
    }
  }
}
resource "aws_ecs_capacity_provider" "cp" {
  name = "ec2"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.g.arn
  }
}
`}, Options{})
	if len(cfg.CapacityProviders) != 1 || len(cfg.AutoScalingGroups) != 1 || len(cfg.LaunchTemplates) != 2 || len(cfg.InstanceProfiles) != 1 {
		t.Fatalf("capacity: %d providers, %d groups, %d templates, %d profiles", len(cfg.CapacityProviders), len(cfg.AutoScalingGroups),
			len(cfg.LaunchTemplates), len(cfg.InstanceProfiles))
	}
	cp, g := cfg.CapacityProviders[0], cfg.AutoScalingGroups[0]
	if cp.AutoScalingGroup.Addr != g.Addr {
		t.Errorf("provider's group %+v, want %s", cp.AutoScalingGroup, g.Addr)
	}
	if !g.Subnets.AllKnown() || len(g.Subnets.Items) != 1 || g.Subnets.Items[0].Addr != "aws_subnet.a" {
		t.Errorf("group's subnets %+v", g.Subnets)
	}
	if !g.LaunchTemplatesKnown || len(g.LaunchTemplates) != 2 || g.LaunchTemplates[0].Addr != "aws_launch_template.lt" ||
		g.LaunchTemplates[1].Addr != "aws_launch_template.spot" {
		t.Errorf("group's launch templates %+v", g.LaunchTemplates)
	}
	lt, _ := cfg.Lookup("aws_launch_template.lt").(*model.LaunchTemplate)
	if lt.InstanceProfile.Addr != "aws_iam_instance_profile.i" {
		t.Errorf("instance profile %+v", lt.InstanceProfile)
	}
	if ip := lt.AssociatePublicIP; !ip.Known || !ip.V || !ip.Set {
		t.Errorf("public IP %+v", ip)
	}
	if sg := lt.SecurityGroups; !sg.AllKnown() || len(sg.Items) != 1 || sg.Items[0].Addr != "aws_security_group.i" {
		t.Errorf("security groups %+v", sg)
	}
	if ud := lt.UserData; !ud.Known || ud.V != "RUNTX0NMVVNURVI9bWFpbg==" || !lt.UserDataBase64 {
		t.Errorf("user data %+v", ud)
	}
	if p := cfg.InstanceProfiles[0]; p.Role.Addr != "aws_iam_role.i" {
		t.Errorf("profile's role %+v", p.Role)
	}
	spot, _ := cfg.Lookup("aws_launch_template.spot").(*model.LaunchTemplate)
	if ip := spot.AssociatePublicIP; ip.Known || ip.Set {
		t.Errorf("left-out public IP %+v: the subnet decides", ip)
	}
	if !spot.InstanceProfile.IsZero() {
		t.Errorf("spot's instance profile %+v, want none", spot.InstanceProfile)
	}

	cfg = mustLoad(t, map[string]string{
		"main.tf": `
variable "n" {
  type = number
}
resource "aws_autoscaling_group" "g" {
  count    = var.n
  max_size = 1
  min_size = 1
}
`}, Options{})
	if !cfg.MayLack(model.KindCapacity) {
		t.Error("an Auto Scaling group with an unknown count leaves the capacity complete")
	}
}
