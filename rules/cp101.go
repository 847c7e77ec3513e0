package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var ExecutionRoleMissing = register(&lint.Rule{
	ID:        "CP101",
	Name:      "execution-role-missing",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"execution-role"},
	Summary:   "A task definition that needs an execution role to pull its image, read its secrets or send its logs has none.",
	Run:       runExecutionRoleMissing,
})

func runExecutionRoleMissing(pass *lint.Pass) {
	cfg := pass.Config
	for _, td := range cfg.TaskDefinitions {
		if !td.ExecutionRole.IsZero() || !td.ContainersKnown {
			continue // set (or unknown), or nothing to judge by
		}
		reason, related := needsExecutionRole(cfg, td)
		if reason == "" {
			continue
		}
		detail := fmt.Sprintf("Task definition %s has no execution role, but %s. ", name(td), reason)
		if !td.TaskRole.IsZero() {
			detail += "It sets a task role: that role is for the application's own AWS calls; pulling images, reading secrets and sending logs use the execution role. "
			related = append(related, lint.Related{Range: td.TaskRole.Range, Message: "the task role is set here, the execution role is not"})
		}
		detail += "\nAWS refuses it: " + reasonError(reason)
		pass.Report(lint.Finding{
			Range:   td.Range,
			Key:     td.Addr,
			Message: fmt.Sprintf("task definition %s has no execution role, but %s", name(td), shortReason(reason)),
			Detail:  detail,
			Fix:     fixExecutionRole(cfg),
			Related: related,
		})
	}
}

// needsExecutionRole says why a task definition needs an execution role,
// or "" when the configuration does not prove that it does.
func needsExecutionRole(cfg *model.Config, td *model.TaskDefinition) (string, []lint.Related) {
	// On any launch type: secrets and private registry credentials are
	// fetched with the execution role.
	for _, c := range td.Containers {
		switch {
		case c.HasCredentials && c.Credentials.Known:
			// Known: the container certainly has repositoryCredentials
			// (HasCredentials alone also covers "may have").
			return "container " + containerLabel(td, c) + " uses repositoryCredentials", []lint.Related{{Range: c.Credentials.Range, Message: "registry credentials are read with the execution role"}}
		case len(c.Secrets) > 0:
			return "container " + containerLabel(td, c) + " reads secrets", []lint.Related{{Range: c.Secrets[0].ValueFrom.Range, Message: "secrets are read with the execution role"}}
		case c.Log != nil && len(c.Log.SecretOptions) > 0:
			return "container " + containerLabel(td, c) + " passes secretOptions to its log driver", []lint.Related{{Range: c.Log.SecretOptions[0].ValueFrom.Range, Message: "log secrets are read with the execution role"}}
		}
	}
	fargate, where := mayRunOnFargate(cfg, td)
	if !fargate {
		return "", nil
	}
	related := []lint.Related{{Range: where, Message: "the task may run on Fargate"}}
	if c := usesPrivateECR(cfg, td); c != nil {
		return fmt.Sprintf("it may run on Fargate and container %s pulls %s from private ECR", containerLabel(td, c), model.Display(c.Image.V)),
			append(related, lint.Related{Range: c.Image.Range, Message: "private ECR image"})
	}
	if c := usesAWSLogs(td); c != nil {
		return fmt.Sprintf("it may run on Fargate and container %s logs with awslogs", containerLabel(td, c)),
			append(related, lint.Related{Range: c.Log.Driver.Range, Message: "awslogs log driver"})
	}
	return "", nil
}

// mayRunOnFargate reports whether a task definition is declared for
// Fargate or run by a Fargate service, and where that is written.
func mayRunOnFargate(cfg *model.Config, td *model.TaskDefinition) (bool, hcl.Range) {
	if td.RequiresCompatibilities.Known {
		for _, c := range td.RequiresCompatibilities.V {
			if strings.EqualFold(c, "FARGATE") {
				return true, td.RequiresCompatibilities.Range
			}
		}
	}
	for _, s := range servicesOf(cfg, td) {
		if launchOf(cfg, s) == launchFargate {
			return true, s.Range
		}
	}
	return false, hcl.Range{}
}

// shortReason is why the role is needed, in a few words, for a headline.
func shortReason(reason string) string {
	switch {
	case strings.Contains(reason, "private ECR"):
		return "it pulls from private ECR on Fargate"
	case strings.Contains(reason, "awslogs"):
		return "it logs with awslogs on Fargate"
	case strings.Contains(reason, "repositoryCredentials"):
		return "it uses private registry credentials"
	case strings.Contains(reason, "secretOptions"):
		return "its log driver reads secrets"
	}
	return "it reads secrets"
}

// reasonError is what AWS says when it refuses such a task definition.
func reasonError(reason string) string {
	switch {
	case strings.Contains(reason, "private ECR"):
		return "`ClientException: Fargate requires task definition to have execution role ARN to support ECR images`."
	case strings.Contains(reason, "awslogs"):
		return "`ClientException: Fargate requires task definition to have execution role ARN to support log driver awslogs`."
	case strings.Contains(reason, "repositoryCredentials"):
		return "`ClientException: Private repository authentication requires that the task definition specify a value for executionRoleArn.`"
	case strings.Contains(reason, "secretOptions"):
		return "the secrets cannot be fetched without it, and tasks stop with `ResourceInitializationError: unable to pull secrets or registry auth`."
	}
	return "`ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.`"
}

func fixExecutionRole(cfg *model.Config) string {
	if cfg.Source == model.SourceJSON {
		return "add `\"executionRoleArn\": \"arn:aws:iam::ACCOUNT:role/ROLE\"` with a role that trusts ecs-tasks.amazonaws.com and has the AmazonECSTaskExecutionRolePolicy managed policy"
	}
	return "set `execution_role_arn` to the ARN of a role that trusts ecs-tasks.amazonaws.com and has the AmazonECSTaskExecutionRolePolicy managed policy"
}
