package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var CrossAccountECRPolicy = register(&lint.Rule{
	ID:        "CP302",
	Name:      "cross-account-ecr-policy",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"ecr", "cross-account"},
	Summary:   "An image is in another account's private ECR, and no repository or registry policy lets the task's account pull it.",
	Run:       runCrossAccountECRPolicy,
})

// pullActions are what a cross-account pull needs the repository to grant.
var pullActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

func runCrossAccountECRPolicy(pass *lint.Pass) {
	cfg := pass.Config
	for _, td := range cfg.TaskDefinitions {
		task := taskAccount(pass, td)
		for _, c := range td.Containers {
			p := imageOf(cfg, c)
			if !p.known || p.info.Kind != image.PrivateECR {
				continue
			}
			switch {
			case p.info.Account == "":
				continue
			case task == "":
				noteUnknown(pass, c.Image.Range, td.Addr+"/"+c.Name.V, "the account the tasks of "+name(td)+" run in is unknown",
					"Without it, whether they may pull "+model.Display(c.Image.V)+" from account "+p.info.Account+" cannot be checked.",
					"pass --account-id, or set allowed_account_ids or assume_role in the provider")
				continue
			case p.info.Account == task, awsPublished[p.info.Repository]:
				continue
			}
			checkCrossAccount(pass, td, c, p, task)
		}
	}
}

// awsPublished are repositories that AWS publishes in private ECR registries
// of its own accounts, with policies that let every account pull: the
// FireLens log router, the App Mesh proxy, the GuardDuty runtime agent.
// AWS's own task definitions name them by such URLs.
var awsPublished = map[string]bool{
	"aws-for-fluent-bit":          true,
	"aws-appmesh-envoy":           true,
	"aws-guardduty-agent-fargate": true,
}

func checkCrossAccount(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, p pulled, task string) {
	key := td.Addr + "/" + c.Name.V
	policies, related, repo, known := ecrPolicies(pass, p)
	if !known && repo != nil {
		noteUnknown(pass, c.Image.Range, key, "a policy that may apply to repository "+repo.Addr+" is unknown",
			"A repository or registry policy is unknown, or the configuration may hold more than canpull could read.",
			"give the variables they depend on values with --var-file or --var")
		return
	}
	// The execution role pulls on Fargate; on EC2 the container instance's
	// role may, and which one is unknown.
	principal := iam.Principal{Account: task}
	if pullsWithExecutionRole(pass.Config, td) {
		principal.ARN = roleARN(pass, td.ExecutionRole)
	}
	ctx := iam.RoleSessionContext(principal)
	ctx.Set(iam.KeyResourceAccount, p.info.Account)
	if p.info.Region != "" {
		ctx.Set(iam.KeyRequestedRegion, p.info.Region)
	}
	resource := repositoryARN(pass.Config, p)
	var missing []string
	for _, action := range pullActions {
		switch iam.Evaluate(policies, iam.Request{Principal: &principal, Action: action, Resource: resource, Context: ctx}) {
		case iam.Unknown:
			noteUnknown(pass, c.Image.Range, key, "whether repository "+p.info.Repository+" lets account "+task+" "+action+" depends on a condition",
				"Its policies decide by a condition that canpull cannot decide (aws:PrincipalOrgID, for one).",
				"check the repository policy by hand")
			return
		case iam.Allow:
		default:
			missing = append(missing, action)
		}
	}
	if len(missing) == 0 {
		return
	}
	if repo == nil && !known && hasUnknownRegistryPolicy(pass, p) {
		pass.Unverified(c.Image.Range, key, "a registry policy of unknown account may be that of account "+p.info.Account, "set the provider's allowed_account_ids")
		return
	}
	f := lint.Finding{Range: c.Image.Range, Key: key, Related: related}
	what := fmt.Sprintf("Container %s of %s pulls %s from private ECR in account %s, but the task runs in account %s", containerLabel(td, c), name(td), model.Display(c.Image.V), p.info.Account, task)
	aws := "Tasks stop with `CannotPullContainerError: pull access denied` (`not authorized to perform: ecr:BatchGetImage`)."
	partition := awsPartition(p.info.Region)
	snippet := fmt.Sprintf("`{ Effect = \"Allow\", Principal = { AWS = \"arn:%s:iam::%s:root\" }, Action = [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\", \"ecr:BatchCheckLayerAvailability\"] }`", partition, task)
	if pass.Config.Source != model.SourceTerraform { // JSON, and YAML too
		snippet = fmt.Sprintf("`{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:%s:iam::%s:root\"}, \"Action\": [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\", \"ecr:BatchCheckLayerAvailability\"]}`", partition, task)
	}
	if repo != nil {
		f.Message = fmt.Sprintf("repository %s lets no policy give account %s the pull of container %s", repo.Addr, task, containerLabel(td, c))
		f.Detail = fmt.Sprintf("%s, and no repository or registry policy in the configuration lets account %s %s.\n%s", what, task, model.JoinNames(missing, 0), aws)
		f.Fix = fmt.Sprintf("give %s an `aws_ecr_repository_policy` with the statement %s", repo.Addr, snippet)
	} else {
		f.Severity = lint.Warning
		f.Message = fmt.Sprintf("container %s pulls from ECR in account %s, and nothing shows that account %s may", containerLabel(td, c), p.info.Account, task)
		f.Detail = fmt.Sprintf("%s, and the repository is not in the configuration, so nothing shows that its policy lets account %s pull.\nIf it does not: %s", what, task, aws)
		f.Fix = fmt.Sprintf("make sure repository %s in account %s has a policy with the statement %s; scan the folder that defines it together with this one (canpull DIR1 DIR2) to check it", p.info.Repository, p.info.Account, snippet)
	}
	pass.Report(f)
}

// hasUnknownRegistryPolicy reports whether some registry policy's account
// is unknown: it may be the image's registry.
func hasUnknownRegistryPolicy(pass *lint.Pass, p pulled) bool {
	for _, c := range pass.Scanned {
		for _, rp := range c.RegistryPolicies {
			if !rp.Account.Known {
				return true
			}
		}
		if c.MayLack(model.KindPolicy) {
			return true
		}
	}
	return false
}

// roleARN is a role reference's ARN, when known: the role of the
// configuration, or a literal ARN.
func roleARN(pass *lint.Pass, r model.Ref) string {
	if role, _ := rolesOf(pass).find(pass.Config, r); role != nil {
		if role.ARN.Known {
			return role.ARN.V
		}
		return ""
	}
	if accountOf(r.Value) != "" {
		return r.Value
	}
	return ""
}

// findRepository finds the repository an image names among the scanned
// configurations. An implicit one (the CDK's asset repository) has its
// policy elsewhere: it is not found.
func findRepository(scanned []*model.Config, info image.Info) *model.Repository {
	for _, cfg := range scanned {
		for _, r := range cfg.Repositories {
			if !r.Implicit && r.Name.Known && r.Name.V == info.Repository && r.Account.Known && r.Account.V == info.Account &&
				(!r.Region.Known || r.Region.V == info.Region) {
				return r
			}
		}
	}
	return nil
}
