package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// Facts that several rules derive from the model, each following RULES.md.

// launch is how a service runs its tasks.
type launch int

const (
	launchUnknown launch = iota
	launchFargate
	launchEC2 // EC2 or EXTERNAL: the host pulls
)

// launchOf resolves a service's launch type: launch_type; else its capacity
// provider strategy (FARGATE and FARGATE_SPOT are Fargate); else the
// cluster's default strategy; else EC2.
func launchOf(cfg *model.Config, s *model.Service) launch {
	switch {
	case !s.LaunchType.Known:
		return launchUnknown
	case s.LaunchType.Set && s.LaunchType.V != "":
		if strings.EqualFold(s.LaunchType.V, "FARGATE") {
			return launchFargate
		}
		return launchEC2
	}
	if !s.CapacityStrategy.Known {
		return launchUnknown
	}
	if len(s.CapacityStrategy.Items) > 0 {
		return strategyLaunch(s.CapacityStrategy)
	}
	// The cluster's default strategy, when the cluster is in the
	// configuration. A cluster outside it (or the account's "default"
	// cluster) may have one canpull cannot see.
	c, ok := model.Resolve[*model.Cluster](cfg, s.Cluster)
	if !ok {
		return launchUnknown
	}
	if !c.DefaultStrategy.Known {
		return launchUnknown
	}
	if len(c.DefaultStrategy.Items) > 0 {
		return strategyLaunch(c.DefaultStrategy)
	}
	return launchEC2
}

// strategyLaunch classifies a strategy. AWS does not allow Fargate and Auto
// Scaling group providers in one strategy, so one known Fargate provider
// decides.
func strategyLaunch(st model.Strategy) launch {
	for _, it := range st.Items {
		if !it.Provider.Known {
			return launchUnknown
		}
		if isFargateProvider(it.Provider.V) {
			return launchFargate
		}
	}
	return launchEC2
}

func isFargateProvider(p string) bool { return p == "FARGATE" || p == "FARGATE_SPOT" }

// servicesOf lists the services of the configuration that run a task
// definition.
func servicesOf(cfg *model.Config, td *model.TaskDefinition) []*model.Service {
	var out []*model.Service
	for _, s := range cfg.Services {
		if s.TaskDefinition.Addr == td.Addr {
			out = append(out, s)
		}
	}
	return out
}

// pulled is what canpull knows of the image a container pulls.
type pulled struct {
	info image.Info
	// repo is the repository of the configuration the image names.
	repo *model.Repository
	// known is false when the image cannot be classified.
	known bool
}

// imageOf classifies a container's image.
func imageOf(cfg *model.Config, c *model.Container) pulled {
	repo, _ := model.Resolve[*model.Repository](cfg, c.ImageRepository)
	if !c.Image.Known {
		if repo != nil {
			// Built from the repository's URL: private ECR of the
			// repository's account and region, even if those are unknown.
			info := image.Info{Kind: image.PrivateECR, Repository: repo.Name.V}
			if repo.Account.Known {
				info.Account = repo.Account.V
			}
			if repo.Region.Known {
				info.Region = repo.Region.V
			}
			return pulled{info: info, repo: repo, known: true}
		}
		return pulled{}
	}
	info, err := image.Parse(c.Image.V)
	if err != nil {
		return pulled{}
	}
	return pulled{info: info, repo: repo, known: true}
}

// usesPrivateECR reports whether any container provably pulls from private
// ECR, and returns the first such container.
func usesPrivateECR(cfg *model.Config, td *model.TaskDefinition) *model.Container {
	for _, c := range td.Containers {
		if p := imageOf(cfg, c); p.known && p.info.Kind == image.PrivateECR {
			return c
		}
	}
	return nil
}

// usesAWSLogs returns the first container that logs with awslogs.
func usesAWSLogs(td *model.TaskDefinition) *model.Container {
	for _, c := range td.Containers {
		if c.Log != nil && c.Log.Driver.Known && c.Log.Driver.V == "awslogs" {
			return c
		}
	}
	return nil
}

// name is a short human name for an object in messages: its Terraform
// address, or for an ECS JSON document its family or service name.
func name(o model.Object) string {
	m := model.MetaOf(o)
	if !strings.Contains(m.Addr, ".json") {
		return m.Addr
	}
	switch o := o.(type) {
	case *model.TaskDefinition:
		if o.Family.Known && o.Family.V != "" {
			return o.Family.V
		}
	case *model.Service:
		if o.Name.Known && o.Name.V != "" {
			return o.Name.V
		}
	}
	return m.Addr
}

// containerLabel names a container in messages: its name, or, when the
// name is unknown or empty, its place among the task definition's
// containers ("#2"), so that no message reads "container  pulls".
func containerLabel(td *model.TaskDefinition, c *model.Container) string {
	if c.Name.Known && c.Name.V != "" {
		// A name known in part ("${var.prefix}-web" with no value for
		// the prefix) keeps its unknown part as a token: show its form.
		return model.Display(c.Name.V)
	}
	for i, other := range td.Containers {
		if other == c {
			return fmt.Sprintf("#%d", i+1)
		}
	}
	return "(unnamed)"
}

// accountOf returns the account an ARN names, or "".
func accountOf(arn string) string { return model.ARNAccount(arn) }

// noteUnknown is Pass.Unverified with a body: what stopped the rule
// (a clause for the headline), more about it (why), and how to supply it.
func noteUnknown(pass *lint.Pass, r hcl.Range, key, what, why, how string) {
	pass.Report(lint.Finding{Range: r, Key: key, Message: what, Detail: why, Fix: how, Unverified: true})
}

// shortImage is an image reference short enough for a headline: as
// written when it is, else its repository path and tag after "…/"
// (111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4.2 becomes
// …/team/app:1.4.2).
func shortImage(ref string) string {
	const most = 60
	d := model.Display(ref)
	if len(d) <= most {
		return d
	}
	if _, rest, ok := strings.Cut(d, "/"); ok && len(rest) <= most-2 {
		return "…/" + rest
	}
	// At a boundary of its names, never inside one:
	// …aws_ecr_repository.this[0].repository_url, not …ntainer_image_ecr….
	tail := d[len(d)-most+1:]
	if i := strings.IndexAny(tail, "./:"); i >= 0 && i < len(tail)-1 {
		tail = tail[i+1:]
	}
	return "…" + tail
}

// fit is the long form of a headline when it fits, else the short one
// (long names make the long one too long: CDK's logical IDs).
func fit(long, short string) string {
	if utf8.RuneCountInString(long) <= lint.MaxHeadline {
		return long
	}
	return short
}

// fewNames lists names for a headline: "a", "a and b" when both are
// short, else "a and 2 more".
func fewNames(names []string) string {
	if len(names) == 1 || len(names) == 2 && len(names[0])+len(names[1]) <= 40 {
		return model.JoinNames(names, 0)
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s and %d more", names[0], len(names)-1)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
