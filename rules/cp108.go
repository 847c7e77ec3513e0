package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var GuardDutyAgentPull = register(&lint.Rule{
	ID:        "CP108",
	Name:      "guardduty-agent-pull",
	Severity:  lint.Note,
	Precision: "high",
	Tags:      []string{"fargate", "guardduty", "execution-role"},
	Summary:   "GuardDuty manages its runtime agent on Fargate, and a Fargate task cannot pull the agent's sidecar image from ECR: the task starts without it, unprotected.",
	Run:       runGuardDutyAgentPull,
})

// GuardDuty Runtime Monitoring with automated agent management for
// Fargate adds a sidecar to every new Fargate task of the account and
// region: the security agent, pulled from GuardDuty's own ECR repository
// with the task's execution role, over the task's network. ECS documents
// what happens when it cannot be pulled (no execution role, no connection
// to ECR): the task starts without the sidecar, and GuardDuty counts it as
// missing protection. It does not document a task that fails to start, so
// CP108 reports a note, not an error.

// guardDutyAgentRepository is the repository of GuardDuty's Fargate agent.
const guardDutyAgentRepository = "aws-guardduty-agent-fargate"

// guardDutyAgentAccounts are the accounts that host the agent's
// repository, by region (GuardDuty User Guide, "ECR repository for
// GuardDuty agent on AWS Fargate"). A region that is not listed leaves the
// role's check unknown.
var guardDutyAgentAccounts = map[string]string{
	"us-east-1": "593207742271", "us-east-2": "307168627858", "us-west-1": "684579721401", "us-west-2": "733349766148",
	"ca-central-1": "354763396469", "sa-east-1": "758426053663",
	"eu-west-1": "694911143906", "eu-west-2": "892757235363", "eu-west-3": "665651866788", "eu-central-1": "323658145986",
	"eu-north-1": "591436053604", "ap-south-1": "251508486986", "ap-south-2": "950823858135", "me-central-1": "000014521398",
}

func runGuardDutyAgentPull(pass *lint.Pass) {
	cfg := pass.Config
	for _, s := range cfg.Services {
		if launchOf(cfg, s) != launchFargate {
			continue
		}
		f, region, ok := agentFeatureFor(pass, s)
		if !ok {
			continue
		}
		td, ok := model.Resolve[*model.TaskDefinition](cfg, s.TaskDefinition)
		if !ok || !agentInScope(pass, s, td, f) {
			continue
		}
		if td.ExecutionRole.IsZero() {
			reportAgent(pass, s, td, f, td.Range, "its task definition "+name(td)+" has no execution role",
				"GuardDuty's agent is pulled with the task's execution role, and "+name(td)+" has none.",
				"set `execution_role_arn` to a role that may pull from ECR (the AmazonECSTaskExecutionRolePolicy managed policy allows it)", nil)
			continue
		}
		if checkAgentRole(pass, s, td, f, region) {
			continue
		}
		checkAgentNetwork(pass, s, td, f, region)
	}
}

// agentFeatureFor finds the GuardDuty feature that manages the agent for a
// service's account and region: RUNTIME_MONITORING enabled with
// ECS_FARGATE_AGENT_MANAGEMENT enabled. region is the service's region.
func agentFeatureFor(pass *lint.Pass, s *model.Service) (*model.GuardDutyFeature, string, bool) {
	for _, c := range pass.Scanned {
		for _, f := range c.GuardDutyFeatures {
			if !f.Name.Known || f.Name.V != "RUNTIME_MONITORING" || !f.Status.Known || f.Status.V != "ENABLED" || !f.AdditionalKnown {
				continue
			}
			if st, ok := f.Additional["ECS_FARGATE_AGENT_MANAGEMENT"]; !ok || !st.Known || st.V != "ENABLED" {
				continue
			}
			if !samePlace(f.Account, s.Account) || !samePlace(f.Region, s.Region) {
				continue
			}
			return f, s.Region.V, true
		}
	}
	return nil, "", false
}

// samePlace reports whether two accounts (or regions) are known to be the
// same.
func samePlace(a, b model.Fact[string]) bool {
	return a.Known && b.Known && a.V != "" && a.V == b.V
}

// agentInScope reports whether GuardDuty adds its agent to the service's
// tasks: Linux tasks on platform version 1.4.0 or later, of a cluster,
// service or task definition not tagged GuardDutyManaged=false. Where the
// tags are unknown a note says so.
func agentInScope(pass *lint.Pass, s *model.Service, td *model.TaskDefinition, f *model.GuardDutyFeature) bool {
	if !td.OSFamily.Known || isWindows(td.OSFamily.V) {
		return false
	}
	if pv := s.PlatformVersion; !pv.Known {
		return false
	} else if v, ok := parsePlatformVersion(pv.V); ok && v.less(platformVersion{1, 4, 0}) {
		return false
	}
	tags := []model.Tags{s.Tags, td.Tags}
	if c, ok := model.Resolve[*model.Cluster](pass.Config, s.Cluster); ok {
		tags = append(tags, c.Tags)
	} else {
		return false // a cluster canpull cannot see may be excluded
	}
	for _, t := range tags {
		if !t.Known {
			noteUnknown(pass, t.Range, s.Addr, "whether GuardDuty adds its agent to the tasks of "+name(s)+" (the tags are unknown)",
				"A cluster, service or task definition tagged GuardDutyManaged = false is left out of "+f.Addr+"'s automated agent.",
				"give the variables values (--var, --var-file)")
			return false
		}
		if v, ok := t.V["GuardDutyManaged"]; ok && strings.EqualFold(v, "false") {
			return false
		}
	}
	return true
}

// agentImage is the agent's image in a region, when its account is known.
func agentImage(region string) (image.Info, bool) {
	account, ok := guardDutyAgentAccounts[region]
	if !ok {
		return image.Info{}, false
	}
	return image.Info{Kind: image.PrivateECR, Host: image.ECRHost(account, region), Repository: guardDutyAgentRepository,
		Account: account, Region: region, Raw: image.ECRHost(account, region) + "/" + guardDutyAgentRepository}, true
}

// checkAgentRole checks that the execution role may pull the agent. It
// reports true when it reported (or had to stop).
func checkAgentRole(pass *lint.Pass, s *model.Service, td *model.TaskDefinition, f *model.GuardDutyFeature, region string) bool {
	info, ok := agentImage(region)
	if !ok {
		return false
	}
	r, rc := rolesOf(pass).find(pass.Config, td.ExecutionRole)
	if r == nil {
		return true // unknown role: CP102's notes say so
	}
	v := viewRole(pass.Scanned, r, rc)
	if v.gap != nil {
		return true
	}
	p := v.principal()
	ctx := v.context(region)
	ctx.Set(iam.KeyResourceAccount, info.Account)
	resource := "arn:" + awsPartition(region) + ":ecr:" + region + ":" + info.Account + ":repository/" + guardDutyAgentRepository
	var missing []denial
	for _, req := range []iam.Request{
		{Principal: &p, Action: actionToken, Resource: "*", Context: ctx},
		{Principal: &p, Action: repositoryActions[0], Resource: resource, Context: ctx},
		{Principal: &p, Action: repositoryActions[1], Resource: resource, Context: ctx},
	} {
		a := v.access([]*iam.Policy{iam.GrantTo(p.ARN)}) // GuardDuty's repository lets every account pull
		a.CrossAccount = req.Resource != "*"
		switch a.Decide(req) {
		case iam.Allow:
		case iam.Unknown:
			return true
		default:
			missing = append(missing, v.deny(req, req.Resource))
		}
	}
	if len(missing) == 0 {
		return false
	}
	reportAgent(pass, s, td, f, td.ExecutionRole.Range, "execution role "+r.Addr+" may not pull it from ECR",
		fmt.Sprintf("GuardDuty's agent is pulled with the task's execution role, %s, which may not %s: %s.", r.Addr, describeDenials(missing), whys(missing)),
		fmt.Sprintf("let %s pull from ECR: attach the AmazonECSTaskExecutionRolePolicy managed policy, or allow `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` on %s", r.Addr, resource),
		v.related())
	return true
}

// checkAgentNetwork checks that the tasks' subnets reach ECR for the
// agent, where their own images get through.
func checkAgentNetwork(pass *lint.Pass, s *model.Service, td *model.TaskDefinition, f *model.GuardDutyFeature, region string) {
	so := serviceOrigin(pass.Config, s)
	if so == nil {
		return
	}
	info, ok := agentImage(region)
	if !ok {
		info = image.Info{Kind: image.PrivateECR, Repository: guardDutyAgentRepository, Region: region}
	}
	o := *so
	o.key = s.Addr + "|guardduty"
	o.needs = func(n *network, region string) []need {
		return imageNeeds(info, "GuardDuty's agent image ("+guardDutyAgentRepository+")", f.Range, yes)
	}
	own := map[string]bool{} // subnets whose tasks fail anyway: the network rules report those
	for _, op := range analyse(pass.Config) {
		if op.o.svc == s {
			for _, p := range op.paths {
				if p.claim != nil && p.subnet != nil {
					own[p.subnet.Addr] = true
				}
			}
		}
	}
	var broken []*subnetPath
	for _, p := range newNetwork(pass.Config).reach(&o) {
		if p.claim != nil && p.subnet != nil && !own[p.subnet.Addr] {
			broken = append(broken, p)
		}
	}
	if len(broken) == 0 {
		return
	}
	var names []string
	for _, p := range broken {
		names = append(names, p.subnet.Addr)
	}
	v := broken[0].claim
	reportAgent(pass, s, td, f, s.Network.Subnets.Range,
		plural(len(names), "subnet ", "subnets ")+fewNames(names)+" cannot reach ECR",
		fmt.Sprintf("The tasks run in %s, which cannot reach ECR for the agent's image: %s (%s).",
			plural(len(names), "subnet ", "subnets ")+model.JoinNames(names, 0), v.reason, v.rule),
		"give the subnets a way to ECR: a NAT gateway, or VPC endpoints for ecr.api and ecr.dkr and an S3 gateway endpoint", nil)
}

// reportAgent reports one service whose tasks start without the agent.
func reportAgent(pass *lint.Pass, s *model.Service, td *model.TaskDefinition, f *model.GuardDutyFeature, at hcl.Range,
	why, detail, fix string, related []lint.Related) {
	pass.Report(lint.Finding{
		Range:   at,
		Key:     s.Addr,
		Message: fmt.Sprintf("tasks of service %s start without GuardDuty's runtime agent: %s", name(s), why),
		Detail: fmt.Sprintf("%s turns on GuardDuty Runtime Monitoring with automated agent management for Fargate (ECS_FARGATE_AGENT_MANAGEMENT), "+
			"so GuardDuty adds its security agent, as a sidecar container pulled from its own ECR repository, to every new Fargate task of the account and region "+
			"that is not tagged GuardDutyManaged = false. %s\n"+
			"As ECS documents it, such a task starts without the GuardDuty sidecar container, and GuardDuty's coverage statistics show it as missing protection: "+
			"the task runs, unmonitored.",
			f.Addr, detail),
		Fix:     fix,
		Related: append([]lint.Related{{Range: f.Range, Message: "GuardDuty feature " + f.Addr}, {Range: s.Range, Message: "service " + name(s)}}, related...),
	})
}
