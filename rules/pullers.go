package rules

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// puller is a role that pulls a task definition's images, with where a
// finding about it points.
type puller struct {
	v   *roleView
	at  hcl.Range
	key string
	// how says how the role comes to pull, for a finding's body: "It is
	// the execution role of aws_ecs_task_definition.app".
	how string
}

// pullersOf lists the roles that pull a task definition's images: its
// execution role when ECS provably pulls with it (Fargate, external
// instances); on EC2, when the task definition has no execution role, the
// roles of the container instances its services place tasks on. Where a
// role cannot be known, a note says so; need says what the role is
// checked for ("pulls through a pull through cache").
func pullersOf(pass *lint.Pass, td *model.TaskDefinition, need string) []puller {
	cfg := pass.Config
	if !td.ExecutionRole.IsZero() {
		if !pullsWithExecutionRole(cfg, td) {
			noteUnknown(pass, td.ExecutionRole.Range, td.Addr, name(td)+" may run on EC2, where its ECR pulls need not use the execution role",
				"On EC2 the container instance's role may pull the image instead of the execution role, so the execution role's permissions decide nothing.",
				"set `requires_compatibilities = [\"FARGATE\"]`, or run it with a Fargate service in the same configuration")
			return nil
		}
		v := roleOrNote(pass, td, need)
		if v == nil {
			return nil
		}
		return []puller{{v: v, at: td.ExecutionRole.Range, key: td.Addr, how: "It is the execution role of " + name(td) + ", which ECS pulls its images with."}}
	}
	var out []puller
	instanceRoles(pass, td, nil, func(s *model.Service, _ placement, g *model.AutoScalingGroup, lt *model.LaunchTemplate, ir instanceRole) {
		v := viewRole(pass.Scanned, ir.role, ir.cfg)
		v.kind = "instance role"
		key := td.Addr + "|" + ir.role.Addr
		if v.gap != nil {
			noteUnknown(pass, lt.InstanceProfile.Range, key, "not every policy of instance role "+ir.role.Addr+" is known",
				"Its permissions for "+need+" depend on "+v.gap.What+".",
				"give the variables it depends on values, or scan the folder that attaches the policy too")
			return
		}
		out = append(out, puller{v: v, at: lt.InstanceProfile.Range, key: key,
			how: name(td) + " has no execution role, so on EC2 the container agent pulls its images with the role of the instances of " + g.Addr +
				" (service " + name(s) + " places its tasks there), which launch template " + lt.Addr + " gives them."})
	})
	return out
}
