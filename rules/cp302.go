package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var CrossAccountECRPolicy = register(&lint.Rule{
	ID:       "CP302",
	Name:     "cross-account-ecr-policy",
	Severity: lint.Error,
	Summary:  "An image is in another account's private ECR, and no repository or registry policy lets the task's account pull it.",
	Run:      runCrossAccountECRPolicy,
})

// pullActions are what a cross-account pull needs the repository to grant.
var pullActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

func runCrossAccountECRPolicy(pass *lint.Pass) {
	cfg := pass.Config
	for _, td := range cfg.TaskDefinitions {
		task := taskAccount(pass, td)
		if task == "" {
			continue
		}
		for _, c := range td.Containers {
			p := imageOf(cfg, c)
			if !p.known || p.info.Kind != image.PrivateECR || p.info.Account == "" || p.info.Account == task {
				continue
			}
			checkCrossAccount(pass, td, c, p, task)
		}
	}
}

func checkCrossAccount(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, p pulled, task string) {
	cfg := pass.Config
	repo := p.repo
	if repo == nil {
		repo = findRepository(pass.Scanned, p.info)
	}
	var docs []model.Fact[string]
	var related []lint.Related
	if repo != nil {
		docs = append(docs, repo.Policies...)
		related = append(related, lint.Related{Range: repo.Range, Message: "repository " + repo.Addr + " (account " + p.info.Account + ")"})
	}
	for _, other := range pass.Scanned {
		for _, rp := range other.RegistryPolicies {
			if !rp.Account.Known {
				return // it may be the image's registry
			}
			if rp.Account.V == p.info.Account {
				docs = append(docs, rp.Document)
				related = append(related, lint.Related{Range: rp.Range, Message: "registry policy " + rp.Addr})
			}
		}
		if other.MayLack(model.KindPolicy) {
			return
		}
	}
	var policies []*iam.Policy
	for _, d := range docs {
		if !d.Known {
			return
		}
		pol, err := iam.Parse(d.V)
		if err != nil {
			return
		}
		policies = append(policies, pol)
	}
	principal := &iam.Principal{Account: task, ARN: roleARN(cfg, td.ExecutionRole)}
	var missing []string
	for _, action := range pullActions {
		switch iam.Evaluate(policies, iam.Request{Principal: principal, Action: action}) {
		case iam.Unknown:
			return
		case iam.Allow:
		default:
			missing = append(missing, action)
		}
	}
	if len(missing) == 0 {
		return
	}
	f := lint.Finding{
		Range:   c.Image.Range,
		Key:     td.Addr + "/" + c.Name.V,
		Related: related,
	}
	what := fmt.Sprintf("container %s of %s pulls %s from private ECR in account %s, but the task runs in account %s", c.Name.V, name(td), model.Display(c.Image.V), p.info.Account, task)
	aws := "tasks stop with `CannotPullContainerError: pull access denied` (`not authorized to perform: ecr:BatchGetImage`)."
	if repo != nil {
		f.Message = fmt.Sprintf("%s, and no repository or registry policy in the configuration lets account %s %s: %s", what, task, joinNames(missing), aws)
		f.Fix = fmt.Sprintf(`add an aws_ecr_repository_policy to %s that allows principal "arn:aws:iam::%s:root" (or the execution role) the actions ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability`, repo.Addr, task)
	} else {
		f.Severity = lint.Warning
		f.Message = fmt.Sprintf("%s, and the repository is not in the configuration, so nothing shows that its policy lets account %s pull: if it does not, %s", what, task, aws)
		f.Fix = fmt.Sprintf(`make sure repository %s in account %s has a policy allowing "arn:aws:iam::%s:root" ecr:BatchGetImage and ecr:GetDownloadUrlForLayer; scan the folder that defines it together with this one (canpull DIR1 DIR2) to check it`, p.info.Repository, p.info.Account, task)
	}
	pass.Report(f)
}

// taskAccount is the account the task runs in: --account-id, else the
// task definition's provider account, else the one in its role ARNs.
func taskAccount(pass *lint.Pass, td *model.TaskDefinition) string {
	if pass.AccountID != "" {
		return pass.AccountID
	}
	if td.Account.Known && td.Account.V != "" {
		return td.Account.V
	}
	for _, r := range []model.Ref{td.ExecutionRole, td.TaskRole} {
		if role, ok := model.Resolve[*model.Role](pass.Config, r); ok && role.Account.Known {
			return role.Account.V
		}
		if a := accountOf(r.Value); a != "" {
			return a
		}
	}
	return ""
}

// roleARN is a role reference's ARN, when known.
func roleARN(cfg *model.Config, r model.Ref) string {
	if role, ok := model.Resolve[*model.Role](cfg, r); ok {
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
// configurations.
func findRepository(scanned []*model.Config, info image.Info) *model.Repository {
	for _, cfg := range scanned {
		for _, r := range cfg.Repositories {
			if r.Name.Known && r.Name.V == info.Repository && r.Account.Known && r.Account.V == info.Account &&
				(!r.Region.Known || r.Region.V == info.Region) {
				return r
			}
		}
	}
	return nil
}
