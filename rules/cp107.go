package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var InstanceRoleECRAccess = register(&lint.Rule{
	ID:        "CP107",
	Name:      "instance-role-ecr-access",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"ec2", "instance-role", "ecr"},
	Summary:   "A task on EC2 has no execution role, so its container instances pull its images with their own role, and that role may not pull them from ECR.",
	Run:       runInstanceRoleECRAccess,
})

// managedInstancePolicy is the AWS-managed policy made for container
// instance roles.
const managedInstancePolicy = "AmazonEC2ContainerServiceforEC2Role"

func runInstanceRoleECRAccess(pass *lint.Pass) {
	cfg := pass.Config
	for _, td := range cfg.TaskDefinitions {
		if !td.ExecutionRole.IsZero() {
			continue // the agent pulls with the execution role (CP102's)
		}
		pulls, containers := privatePulls(cfg, td)
		if len(pulls) == 0 {
			continue
		}
		unplaced := func(s *model.Service) {
			noteUnknown(pass, s.Range, td.Addr, "the container instances of service "+name(s)+" are not in the configuration",
				"Task definition "+name(td)+" has no execution role, so on EC2 the instances pull its images with their own role; canpull could not follow service "+name(s)+" to an Auto Scaling group of the configuration.",
				"scan the folder that defines the capacity provider and the Auto Scaling group too")
		}
		instanceRoles(pass, td, unplaced, func(s *model.Service, pl placement, g *model.AutoScalingGroup, _ *model.LaunchTemplate, ir instanceRole) {
			checkInstanceRole(pass, td, s, g, pl, ir, pulls, containers)
		})
	}
}

// checkInstanceRole checks that the instances' role may pull a task
// definition's private images.
func checkInstanceRole(pass *lint.Pass, td *model.TaskDefinition, s *model.Service, g *model.AutoScalingGroup, pl placement,
	ir instanceRole, pulls []pulled, containers []*model.Container) {
	key := td.Addr + "|" + ir.role.Addr
	v := viewRole(pass.Scanned, ir.role, ir.cfg)
	v.kind = "instance role"
	at := ir.lt.InstanceProfile.Range
	if v.gap != nil {
		noteUnknown(pass, at, key, "not every policy of instance role "+ir.role.Addr+" is known",
			"Its permissions for ECR pulls depend on "+v.gap.What+".",
			"give the variables it depends on values, or scan the folder that attaches the policy too")
		return
	}
	pc := decidePulls(pass, v, taskAccount(pass, td), pulls, containers, at, key)
	if len(pc.missing) == 0 {
		return
	}
	what := "pull the images of " + name(td) + " from ECR"
	if pc.missing[0].action == actionToken {
		what = "get the ECR login token that " + name(td) + " needs"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Task definition %s has no execution role, so on EC2 the container agent pulls its images with the role of the container instances. "+
		"Service %s places its tasks on Auto Scaling group %s (through %s), whose launch template %s gives the instances instance profile %s, with role %s. ",
		name(td), name(s), g.Addr, pl.via[g], ir.lt.Addr, ir.profile.Addr, ir.role.Addr)
	fmt.Fprintf(&b, "That role may not %s: %s. So the agent cannot pull %s, and the tasks stop before they start.\n",
		describeDenials(pc.missing), whys(pc.missing), model.JoinNames(pc.images, 0))
	fmt.Fprintf(&b, "They stop with `CannotPullContainerError: ... not authorized to perform: %s`.", pc.missing[0].action)
	related := append([]lint.Related{
		{Range: td.Range, Message: "task definition " + name(td) + " has no execution role"},
		{Range: pl.at[g], Message: "service " + name(s) + " places its tasks on " + g.Addr},
		{Range: g.Range, Message: "Auto Scaling group " + g.Addr},
		{Range: ir.profile.Range, Message: "instance profile " + ir.profile.Addr},
	}, pc.related...)
	pass.Report(lint.Finding{
		Range:   at,
		Key:     key,
		Message: fmt.Sprintf("instance role %s of %s may not %s", ir.role.Addr, g.Addr, what),
		Detail:  b.String(),
		Fix:     instanceRoleFix(v, pc.missing),
		Related: related,
	})
}

// instanceRoleFix is CP102's fix for a container instance's role: the
// AWS-managed policy for instance roles rather than the execution one.
func instanceRoleFix(v *roleView, missing []denial) string {
	for _, m := range missing {
		if m.deniedBy != "" || m.boundary != "" {
			return ecrFix(v, missing)
		}
	}
	arn, _ := iam.ManagedPolicyARN(awsPartition(v.role.Region.V), managedInstancePolicy)
	return fmt.Sprintf("attach the AWS-managed policy for container instances: an `aws_iam_role_policy_attachment` with `role = %s.name` and `policy_arn = %q`; or give the task definition an execution role (`execution_role_arn`), which the agent then pulls with",
		v.role.Addr, arn)
}
