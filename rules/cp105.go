package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var AWSLogsAccess = register(&lint.Rule{
	ID:        "CP105",
	Name:      "awslogs-access",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"execution-role", "logs", "fargate"},
	Summary:   "A container logs with awslogs, but the execution role may not create its log stream (or group), or on Fargate a required awslogs option is missing.",
	Run:       runAWSLogsAccess,
})

// fargateLogOptions are the awslogs options Fargate requires.
var fargateLogOptions = []string{"awslogs-group", "awslogs-region", "awslogs-stream-prefix"}

func runAWSLogsAccess(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		var logging []*model.Container
		for _, c := range td.Containers {
			if c.Log != nil && c.Log.Driver.Known && c.Log.Driver.V == "awslogs" {
				logging = append(logging, c)
			}
		}
		if len(logging) == 0 {
			continue
		}
		if fargate, where := mayRunOnFargate(pass.Config, td); fargate {
			for _, c := range logging {
				checkFargateLogOptions(pass, td, c, where)
			}
		}
		if td.ExecutionRole.IsZero() || !pullsWithExecutionRole(pass.Config, td) {
			continue // CP101's, or on EC2 perhaps the container instance's role
		}
		v := roleOrNote(pass, td, "CloudWatch Logs calls")
		if v == nil {
			continue
		}
		checkLogAccess(pass, td, v, logging)
	}
}

// logOption returns a known, non-empty awslogs option. present is false
// when the option is left out or empty; known is false when the options
// cannot be read or its value is unknown.
func logOption(c *model.Container, key string) (value string, present, known bool) {
	if !c.Log.OptionsKnown {
		return "", false, false
	}
	f, ok := c.Log.Options[key]
	switch {
	case !ok:
		return "", false, true
	case !f.Known:
		return "", true, false
	}
	return f.V, f.V != "", true
}

func checkFargateLogOptions(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, fargate hcl.Range) {
	var missing []string
	for _, k := range fargateLogOptions {
		_, present, known := logOption(c, k)
		if !known && !present && !c.Log.OptionsKnown {
			return // the options cannot be read
		}
		if known && !present {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return
	}
	aws := "Tasks stop with `ResourceInitializationError: failed to validate logger args: ...`."
	if len(missing) == 1 && missing[0] == "awslogs-stream-prefix" {
		aws = "ECS refuses the task definition: `ClientException: Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.`"
	}
	snippet := "`{ " + optionsSnippet(td, c, missing, " = ") + " }`"
	if pass.Config.Source != model.SourceTerraform || td.ContainersJSON {
		// JSON, and YAML too: a template, or Terraform's container
		// definitions written as JSON text (a heredoc, a file).
		snippet = "`{" + optionsSnippet(td, c, missing, ": ") + "}`"
	}
	pass.Report(lint.Finding{
		Range:   c.Log.Range,
		Key:     td.Addr + "/" + c.Name.V + "/options",
		Message: fmt.Sprintf("the awslogs options of container %s lack %s, which Fargate requires", containerLabel(td, c), model.JoinNames(missing, 0)),
		Detail: fmt.Sprintf("Container %s of %s logs with awslogs and may run on Fargate, but its log options lack %s, which Fargate requires.\n%s",
			containerLabel(td, c), name(td), model.JoinNames(missing, 0), aws),
		Fix:     "add to the options of logConfiguration: " + snippet,
		Related: []lint.Related{{Range: fargate, Message: "the task may run on Fargate"}},
	})
}

// optionsSnippet suggests values for missing awslogs options.
func optionsSnippet(td *model.TaskDefinition, c *model.Container, missing []string, sep string) string {
	// The container's name, else the family's, else a word: an option
	// suggested as "" would be refused too.
	base := "app"
	// A name known only in part holds a token: not for a fix.
	if td.Family.Known && td.Family.V != "" && !model.HasToken(td.Family.V) {
		base = td.Family.V
	}
	if c.Name.Known && c.Name.V != "" && !model.HasToken(c.Name.V) {
		base = c.Name.V
	}
	var parts []string
	for _, k := range missing {
		v := base
		switch k {
		case "awslogs-group":
			v = "/ecs/" + base
			if td.Family.Known && td.Family.V != "" && !model.HasToken(td.Family.V) {
				v = "/ecs/" + td.Family.V
			}
		case "awslogs-region":
			v = "REGION"
			if td.Region.Known {
				v = td.Region.V
			}
		}
		parts = append(parts, fmt.Sprintf("%q%s%q", k, sep, v))
	}
	return strings.Join(parts, ", ")
}

// checkLogAccess checks that the role may create each container's log
// stream and put events in it, and create the group when asked to.
func checkLogAccess(pass *lint.Pass, td *model.TaskDefinition, v *roleView, logging []*model.Container) {
	p := v.principal()
	if p.Account == "" {
		p.Account = taskAccount(pass, td)
	}
	var missing []denial
	related := v.related()
	for _, c := range logging {
		group, present, known := logOption(c, "awslogs-group")
		region, rPresent, rKnown := logOption(c, "awslogs-region")
		if !rPresent && rKnown && td.Region.Known {
			region, rPresent = td.Region.V, true
		}
		if !known || !present || !rKnown || !rPresent || p.Account == "" {
			if !(known && !present) { // a missing group is the options check's
				noteUnknown(pass, c.Log.Range, td.Addr+"/"+c.Name.V, "the log group, region or account of container "+containerLabel(td, c)+"'s awslogs is unknown",
					"Without them the execution role's CloudWatch Logs permissions cannot be checked.",
					"give the variables they depend on values, or pass --account-id")
			}
			continue
		}
		groupARN := "arn:" + awsPartition(region) + ":logs:" + region + ":" + p.Account + ":log-group:" + group
		stream := model.Token(td.Addr+"/"+c.Name.V, "log-stream")
		if prefix, ok, _ := logOption(c, "awslogs-stream-prefix"); ok {
			stream = prefix + "/" + c.Name.V + "/" + model.Token(td.Addr, "task-id")
		}
		ctx := v.context(region)
		ask := func(action string, resources ...string) {
			var reqs []iam.Request
			for _, r := range resources {
				reqs = append(reqs, iam.Request{Principal: &p, Action: action, Resource: r, Context: ctx})
			}
			switch d := decideAll(v.access(nil), reqs); d {
			case iam.Allow:
			case iam.Unknown:
				noteUnknown(pass, c.Log.Range, td.Addr+"/"+c.Name.V, "whether execution role "+v.role.Addr+" may "+action+" depends on an unknown condition or value",
					"Its policies decide "+action+" on log group "+model.Display(group)+" by a condition or a value that the configuration does not determine.",
					"check the role's policies by hand")
			default:
				missing = append(missing, v.deny(reqs[0], groupARN))
				related = append(related, lint.Related{Range: c.Log.Range, Message: "awslogs of container " + containerLabel(td, c)})
			}
		}
		if create, _, _ := logOption(c, "awslogs-create-group"); strings.EqualFold(create, "true") {
			// The request names the group, with or without a stream part.
			ask("logs:CreateLogGroup", groupARN, groupARN+":log-stream:")
		}
		streamARN := groupARN + ":log-stream:" + stream
		ask("logs:CreateLogStream", streamARN)
		ask("logs:PutLogEvents", streamARN)
	}
	if len(missing) == 0 {
		return
	}
	pass.Report(lint.Finding{
		Range:   td.ExecutionRole.Range,
		Key:     td.Addr + "/awslogs",
		Message: fmt.Sprintf("execution role %s may not send the logs of %s to CloudWatch Logs", v.role.Addr, name(td)),
		Detail:  logMessage(td, v, missing),
		Fix:     logFix(v, missing),
		Related: related,
	})
}

func logMessage(td *model.TaskDefinition, v *roleView, missing []denial) string {
	why := whys(missing)
	first := missing[0].action
	aws := "`ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: ... is not authorized to perform: logs:CreateLogStream ...`"
	if first == "logs:CreateLogGroup" {
		aws = "`ResourceInitializationError: failed to validate logger args: create log group: ... AccessDeniedException: ... is not authorized to perform: logs:CreateLogGroup ...`"
	}
	return fmt.Sprintf("%s logs with awslogs, but execution role %s may not %s: %s. ECS sets up the log stream with that role before the container starts.\nThe task stops with %s.",
		name(td), v.role.Addr, describeLogDenials(missing), why, aws)
}

func describeLogDenials(ds []denial) string {
	var parts []string
	var order []string
	by := map[string][]string{}
	for _, d := range ds {
		if _, ok := by[d.resource]; !ok {
			order = append(order, d.resource)
		}
		by[d.resource] = append(by[d.resource], d.action)
	}
	for _, r := range order {
		parts = append(parts, model.JoinNames(unique(by[r]), 0)+" in log group "+r[strings.Index(r, ":log-group:")+len(":log-group:"):])
	}
	return strings.Join(parts, ", nor ")
}

func logFix(v *roleView, missing []denial) string {
	for _, m := range missing {
		if m.deniedBy != "" {
			return fmt.Sprintf("remove %s from the Deny statement of %s, or narrow that statement's Resource", m.action, m.deniedBy)
		}
	}
	var actions []string
	var resources []string
	for _, m := range missing {
		actions = append(actions, fmt.Sprintf("%q", m.action))
		resources = append(resources, fmt.Sprintf("%q", m.resource+":*"))
	}
	return fmt.Sprintf("add a statement to a policy of %s with `actions = [%s]` and `resources = [%s]`", v.role.Addr,
		strings.Join(unique(actions), ", "), strings.Join(unique(resources), ", "))
}
