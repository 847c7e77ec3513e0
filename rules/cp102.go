package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var ExecutionRoleECRAccess = register(&lint.Rule{
	ID:        "CP102",
	Name:      "execution-role-ecr-access",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"execution-role", "ecr"},
	Summary:   "The execution role may not get an ECR login token or pull the image from its repository.",
	Run:       runExecutionRoleECRAccess,
})

// Pulling from private ECR takes a login token for the registry, then the
// image's manifest and layers from the repository.
const actionToken = "ecr:GetAuthorizationToken"

var repositoryActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

// managedExecutionPolicy is the AWS-managed policy made for execution
// roles.
const managedExecutionPolicy = "AmazonECSTaskExecutionRolePolicy"

func runExecutionRoleECRAccess(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		pulls, containers := privatePulls(pass.Config, td)
		if len(pulls) == 0 || td.ExecutionRole.IsZero() {
			continue
		}
		if !pullsWithExecutionRole(pass.Config, td) {
			noteUnknown(pass, td.ExecutionRole.Range, td.Addr, name(td)+" may run on EC2, where its ECR pulls need not use the execution role",
				"On EC2 the container instance's role may pull the image instead of the execution role, so the execution role's ECR permissions decide nothing.",
				"set `requires_compatibilities = [\"FARGATE\"]`, or run it with a Fargate service in the same configuration")
			continue
		}
		v := roleOrNote(pass, td, "ECR pulls")
		if v == nil {
			continue
		}
		checkECRAccess(pass, td, v, pulls, containers)
	}
}

// denial is one request the role may not make.
type denial struct {
	action, resource string
	deniedBy         string // the policy with a matching Deny statement, or ""
	why              string // for messages
	boundary         string // the permissions boundary that does not allow it, or ""
}

func checkECRAccess(pass *lint.Pass, td *model.TaskDefinition, v *roleView, pulls []pulled, containers []*model.Container) {
	pc := decidePulls(pass, v, taskAccount(pass, td), pulls, containers, td.ExecutionRole.Range, td.Addr)
	if len(pc.missing) == 0 {
		return
	}
	headline, detail := ecrMessage(td, v, pc.missing, pc.images)
	pass.Report(lint.Finding{
		Range:   td.ExecutionRole.Range,
		Key:     td.Addr,
		Message: headline,
		Detail:  detail,
		Fix:     ecrFix(v, pc.missing),
		Related: pc.related,
	})
}

// pullCheck is what a role may not do of what pulling images takes.
type pullCheck struct {
	missing []denial
	// images are the images it may not pull; related the role, its
	// policies, and the images and repositories it may not pull.
	images  []string
	related []lint.Related
}

// decidePulls checks that a role (v) may get an ECR login token and pull
// each image (pulls, of containers): CP102's check, for an execution role
// or a container instance's. account is the account the tasks run in,
// when the role's own does not say. Notes go to at, under key.
func decidePulls(pass *lint.Pass, v *roleView, account string, pulls []pulled, containers []*model.Container, at hcl.Range, key string) pullCheck {
	p := v.principal()
	if p.Account == "" {
		p.Account = account
	}
	var pc pullCheck
	pc.related = v.related()
	add := func(d iam.Decision, req iam.Request) bool {
		switch d {
		case iam.Allow:
			return true
		case iam.Unknown:
			noteUnknown(pass, at, key, "whether "+v.title()+" may "+req.Action+" depends on an unknown condition or value",
				"The role's policies decide "+req.Action+" on "+model.Display(req.Resource)+" by a condition or a value that the configuration does not determine.",
				"check the role's policies by hand")
			return false
		}
		pc.missing = append(pc.missing, v.deny(req, req.Resource))
		return false
	}
	regions := map[string]bool{}
	for i, pl := range pulls {
		ctx := v.context(pl.info.Region)
		if !regions[pl.info.Region] {
			regions[pl.info.Region] = true
			req := iam.Request{Principal: &p, Action: actionToken, Resource: "*", Context: ctx}
			add(v.access(nil).Decide(req), req)
		}
		resource := repositoryARN(pass.Config, pl)
		if pl.info.Account != "" {
			ctx.Set(iam.KeyResourceAccount, pl.info.Account)
		}
		resPolicies, resRelated, _, resKnown := ecrPolicies(pass, pl)
		cross := p.Account != "" && pl.info.Account != "" && p.Account != pl.info.Account
		before := len(pc.missing)
		for _, action := range repositoryActions {
			req := iam.Request{Principal: &p, Action: action, Resource: resource, Context: ctx}
			if resKnown && !cross {
				add(v.access(resPolicies).Decide(req), req)
				continue
			}
			// Across accounts the repository's side is CP302's; a
			// repository policy canpull cannot see may grant the role.
			d, worst := v.decideUnseen(req, cross)
			if d == iam.Allow && worst != iam.Allow && !cross {
				what, why := unseenNote(v, worst, action, model.Display(resource), "the repository's own policy")
				noteUnknown(pass, at, key, what, why,
					"scan the folder that defines the repository together with this one")
				continue
			}
			add(d, req)
		}
		if len(pc.missing) > before {
			pc.images = append(pc.images, model.Display(containers[i].Image.V))
			pc.related = append(pc.related, lint.Related{Range: containers[i].Image.Range, Message: "image " + model.Display(containers[i].Image.V)})
			pc.related = append(pc.related, resRelated...)
		}
	}
	if len(pc.missing) > 0 && len(pc.images) == 0 {
		pc.images = []string{model.Display(containers[0].Image.V)}
	}
	return pc
}

func ecrMessage(td *model.TaskDefinition, v *roleView, missing []denial, images []string) (headline, detail string) {
	what := "pull the images of " + name(td) + " from ECR"
	if missing[0].action == actionToken {
		what = "get the ECR login token that " + name(td) + " needs"
	}
	headline = fmt.Sprintf("execution role %s may not %s", v.role.Addr, what)
	var b strings.Builder
	fmt.Fprintf(&b, "Execution role %s of %s may not %s: %s. ", v.role.Addr, name(td), describeDenials(missing), whys(missing))
	fmt.Fprintf(&b, "ECS pulls %s with this role, so the tasks stop before they start.\nThey stop with ", model.JoinNames(images, 0))
	if missing[0].action == actionToken {
		b.WriteString("`ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: ... not authorized to perform: ecr:GetAuthorizationToken`.")
	} else {
		fmt.Fprintf(&b, "`CannotPullContainerError: ... not authorized to perform: %s`.", missing[0].action)
	}
	return headline, b.String()
}

// describeDenials lists denied requests: "ecr:GetAuthorizationToken, and
// ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on arn:…".
func describeDenials(ds []denial) string {
	var parts []string
	var order []string
	byResource := map[string][]string{}
	for _, d := range ds {
		if _, ok := byResource[d.resource]; !ok {
			order = append(order, d.resource)
		}
		byResource[d.resource] = append(byResource[d.resource], d.action)
	}
	for _, r := range order {
		actions := model.JoinNames(unique(byResource[r]), 0)
		switch r {
		case "*", "":
			parts = append(parts, actions)
		default:
			parts = append(parts, actions+" on "+model.Display(r))
		}
	}
	return strings.Join(parts, ", nor ")
}

// whys joins the reasons of denials.
func whys(ds []denial) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.why)
	}
	return strings.Join(unique(out), "; ")
}

func unique(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// ecrFix is the smallest change: widen a Deny, widen the boundary, attach
// the AWS-managed execution policy, or add the repository to a statement.
func ecrFix(v *roleView, missing []denial) string {
	var actions []string
	token := false
	for _, m := range missing {
		if m.deniedBy != "" {
			return fmt.Sprintf("remove %s from the Deny statement of %s, or narrow that statement's Resource so that it spares %s", m.action, m.deniedBy, model.Display(m.resource))
		}
		actions = append(actions, fmt.Sprintf("%q", m.action))
		token = token || m.action == actionToken
	}
	if b := missing[0].boundary; b != "" {
		return fmt.Sprintf("add a statement to the permissions boundary %s: `{ Effect = \"Allow\", Action = [%s], Resource = \"*\" }`", b, strings.Join(unique(actions), ", "))
	}
	if token {
		arn, _ := iam.ManagedPolicyARN(awsPartition(v.role.Region.V), managedExecutionPolicy)
		return fmt.Sprintf("attach the AWS-managed execution policy: an `aws_iam_role_policy_attachment` with `role = %s.name` and `policy_arn = %q`", v.role.Addr, arn)
	}
	return fmt.Sprintf("add a statement to a policy of %s with `actions = [%s, \"ecr:BatchCheckLayerAvailability\"]` and `resources = [%q]`",
		v.role.Addr, strings.Join(unique(actions), ", "), model.Display(missing[0].resource))
}
