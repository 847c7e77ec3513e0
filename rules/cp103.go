package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var ExecutionRoleTrust = register(&lint.Rule{
	ID:        "CP103",
	Name:      "execution-role-trust",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"execution-role", "trust-policy"},
	Summary:   "The execution role's trust policy does not let Amazon ECS tasks (ecs-tasks.amazonaws.com) assume it.",
	Run:       runExecutionRoleTrust,
})

// ecsTasks is the service principal that assumes execution and task roles.
const ecsTasks = "ecs-tasks.amazonaws.com"

// runExecutionRoleTrust checks each role of this configuration that a task
// definition of any scanned configuration uses as its execution role, so
// that a role shared by many task definitions gets one finding, in the
// file that defines it.
func runExecutionRoleTrust(pass *lint.Pass) {
	ix := rolesOf(pass)
	for _, role := range pass.Config.Roles {
		users := ix.users[role]
		if len(users) == 0 {
			continue
		}
		checkTrust(pass, role, users)
	}
}

func checkTrust(pass *lint.Pass, role *model.Role, users []*model.TaskDefinition) {
	doc := role.AssumeRolePolicy
	if !doc.Known {
		pass.Unverified(doc.Range, role.Addr, "the trust policy of execution role "+role.Addr+" is unknown",
			"give the variables it depends on values with --var-file or --var")
		return
	}
	trust, ok := parsePolicy(pass.Config, doc)
	if !ok {
		return // AWS refuses the role itself; terraform apply says why
	}
	req := iam.Request{Principal: &iam.Principal{Service: ecsTasks}, Action: "sts:AssumeRole", Context: trustContext(role, users)}
	d := iam.Evaluate([]*iam.Policy{trust}, req)
	switch d {
	case iam.Allow:
		return
	case iam.Unknown:
		noteUnknown(pass, doc.Range, role.Addr, "whether the trust policy of "+role.Addr+" lets ECS tasks assume it depends on a condition",
			"The trust policy decides whether "+ecsTasks+" may sts:AssumeRole by a condition that canpull cannot decide.",
			"check the trust policy by hand")
		return
	}
	var related []lint.Related
	var names []string
	for _, td := range users {
		related = append(related, lint.Related{Range: td.ExecutionRole.Range, Message: "execution role of " + name(td)})
		names = append(names, name(td))
	}
	why := "it does not allow the service principal " + ecsTasks + " the action sts:AssumeRole"
	fix := "set `assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Principal = { Service = \"ecs-tasks.amazonaws.com\" }, Action = \"sts:AssumeRole\" }] })`"
	switch {
	case d == iam.ExplicitDeny:
		why = "a Deny statement refuses " + ecsTasks + " the action sts:AssumeRole"
		fix = "remove the Deny statement that matches " + ecsTasks + " from `assume_role_policy`"
	case iam.Evaluate([]*iam.Policy{trust.WithoutConditions()}, req) == iam.Allow:
		why = "the statement that allows " + ecsTasks + " has a Condition that ECS's request does not meet" + sourceHint(req.Context)
		fix = "make the Condition match the tasks' own account and region, or remove it: " + sourceFix(req.Context)
	}
	pass.Report(lint.Finding{
		Range:   doc.Range,
		Key:     role.Addr,
		Message: fmt.Sprintf("the trust policy of execution role %s does not let ECS tasks assume it", role.Addr),
		Detail: fmt.Sprintf("The trust policy of %s, the execution role of %s, does not let Amazon ECS tasks assume it: %s. "+
			"ECS cannot get the role's credentials to pull the image.\nThe service reports `service ... failed to launch a task with "+
			"(error ECS was unable to assume the role '%s' that was provided for this task. Please verify that the role being passed "+
			"has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.)`.",
			role.Addr, model.JoinNames(names, 0), why, roleDisplayARN(role)),
		Fix:     fix,
		Related: related,
	})
}

// trustContext is what ECS's request to assume the role carries: the
// account and ARN of the task (aws:SourceAccount, aws:SourceArn), so that
// a trust policy guarded against the confused deputy still decides.
func trustContext(role *model.Role, users []*model.TaskDefinition) iam.Context {
	c := iam.Context{}
	c.Set(iam.KeyPrincipalService, ecsTasks)
	c.Set(iam.KeyIsAWSService, "true")
	c.Set(iam.KeySecureTransport, "true")
	if !role.Account.Known {
		return c
	}
	c.Set(iam.KeySourceAccount, role.Account.V)
	region := ""
	for _, td := range users {
		if !td.Region.Known || region != "" && td.Region.V != region {
			return c // the tasks' region is unknown, or not one
		}
		region = td.Region.V
	}
	// An ECS resource of the tasks' account and region.
	c.Set(iam.KeySourceArn, "arn:"+awsPartition(region)+":ecs:"+region+":"+role.Account.V+":"+model.Token(role.Addr, "ecs-source"))
	return c
}

// sourceHint says what ECS sends as aws:SourceAccount and aws:SourceArn.
func sourceHint(ctx iam.Context) string {
	acct, ok := ctx[strings.ToLower(iam.KeySourceAccount)]
	if !ok || len(acct) != 1 {
		return ""
	}
	hint := " (ECS sends aws:SourceAccount " + acct[0]
	if arn, ok := ctx[strings.ToLower(iam.KeySourceArn)]; ok && len(arn) == 1 {
		prefix, _, _ := strings.Cut(arn[0], "\uE000")
		hint += " and an aws:SourceArn that starts with " + prefix
	}
	return hint + ")"
}

func sourceFix(ctx iam.Context) string {
	acct, ok := ctx[strings.ToLower(iam.KeySourceAccount)]
	if !ok || len(acct) != 1 {
		return "a `condition` block with `test = \"StringEquals\"`, `variable = \"aws:SourceAccount\"` and `values = [data.aws_caller_identity.current.account_id]`"
	}
	return fmt.Sprintf("a `condition` block with `test = \"StringEquals\"`, `variable = \"aws:SourceAccount\"` and `values = [%q]`", acct[0])
}

func roleDisplayARN(r *model.Role) string {
	if r.ARN.Known {
		return r.ARN.V
	}
	return "arn:aws:iam::...:role/..."
}
