package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var PullThroughCacheAccess = register(&lint.Rule{
	ID:        "CP106",
	Name:      "pull-through-cache-access",
	Severity:  lint.Error,
	Precision: "high",
	Tags:      []string{"execution-role", "ecr", "pull-through-cache"},
	Summary:   "An image comes through an ECR pull through cache, and the role that pulls it may not import it from the upstream registry (ecr:BatchImportUpstreamImage) or create its repository (ecr:CreateRepository).",
	Run:       runPullThroughCacheAccess,
})

const (
	actionImport = "ecr:BatchImportUpstreamImage"
	actionCreate = "ecr:CreateRepository"
)

// cachedPull is an image of a task definition that comes through a pull
// through cache rule.
type cachedPull struct {
	c    *model.Container
	info image.Info
	rule *model.PullThroughCacheRule
}

func runPullThroughCacheAccess(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		var cached []cachedPull
		seen := map[string]bool{}
		for _, c := range td.Containers {
			p := imageOf(pass.Config, c)
			if !p.known || p.info.Kind != image.PrivateECR || p.info.Account == "" || p.info.Region == "" || seen[p.info.Repository] {
				continue
			}
			// A ROOT rule covers every repository of the registry, those
			// the configuration fills itself among them: it proves no
			// import.
			if rule, _ := cacheRuleFor(pass.Scanned, p.info); rule != nil && rule.Prefix.V != "ROOT" {
				seen[p.info.Repository] = true
				cached = append(cached, cachedPull{c: c, info: p.info, rule: rule})
			}
		}
		if len(cached) == 0 {
			continue
		}
		for _, pu := range pullersOf(pass, td, "pulls through a pull through cache") {
			for _, cp := range cached {
				checkCachedPull(pass, td, pu, cp)
			}
		}
	}
}

// checkCachedPull decides the two requests a first pull through the cache
// makes of the puller: the import, and, when ECR must create the
// repository, its creation.
func checkCachedPull(pass *lint.Pass, td *model.TaskDefinition, pu puller, cp cachedPull) {
	v, info := pu.v, cp.info
	p := v.principal()
	if p.Account == "" {
		p.Account = taskAccount(pass, td)
	}
	if p.Account != "" && p.Account != info.Account {
		return // another account's cache: the repository's side is CP302's
	}
	key := pu.key + "|" + info.Repository
	repo := cachedRepositoryOf(pass.Scanned, info)
	if repo.unknown != "" {
		noteUnknown(pass, pu.at, key, "whether ECR must create repository "+info.Repository+" for the pull through cache",
			"Its repository or a repository creation template may be declared where canpull cannot see it: "+repo.unknown+".",
			"give the variables values (--var, --var-file) and run terraform init")
		return
	}
	regPols, regRelated, regKnown := registryPolicies(pass, info)
	repoPols, repoKnown, owner := ownPolicies(pass, repo)
	resource := "arn:" + awsPartition(info.Region) + ":ecr:" + info.Region + ":" + info.Account + ":repository/" + info.Repository
	ctx := v.context(info.Region)
	ctx.Set(iam.KeyResourceAccount, info.Account)

	var missing []denial
	var unseenActions []string
	unseenWorst, unseenOwner := iam.ImplicitDeny, ""
	decide := func(action string, resources []*iam.Policy, known bool, unseen string) {
		req := iam.Request{Principal: &p, Action: action, Resource: resource, Context: ctx}
		worst := v.access(resources).Decide(req)
		d := worst
		if !known && worst != iam.Allow {
			d = v.access(append(append([]*iam.Policy(nil), resources...), iam.GrantTo(p.ARN))).Decide(req)
			if d == iam.Allow {
				unseenActions = append(unseenActions, action)
				if worst == iam.Unknown {
					unseenWorst = worst
				}
				if len(unseen) > len(unseenOwner) {
					unseenOwner = unseen
				}
				return
			}
		}
		switch d {
		case iam.Allow:
		case iam.Unknown:
			noteUnknown(pass, pu.at, key, "whether "+v.title()+" may "+action+" depends on an unknown condition or value",
				"The policies that decide "+action+" on "+model.Display(resource)+" do so by a condition or a value that the configuration does not determine.",
				"check the policies by hand")
		default:
			missing = append(missing, v.deny(req, resource))
		}
	}
	unseen := "the registry policy"
	if !repoKnown {
		unseen = "the registry policy or the repository's own policy"
	} else if regKnown {
		unseen = ""
	}
	decide(actionImport, append(append([]*iam.Policy(nil), regPols...), repoPols...), regKnown && repoKnown, unseen)
	if repo.declared == nil && repo.template == nil {
		// ECR creates the repository on the first pull, with the puller's
		// permission; only identity policies and the registry policy grant
		// it (a repository that does not exist yet has no policy).
		decide(actionCreate, regPols, regKnown, "the registry policy")
	}
	if len(unseenActions) > 0 {
		what, why := unseenNote(v, unseenWorst, model.JoinNames(unseenActions, 0), model.Display(resource), unseenOwner)
		noteUnknown(pass, pu.at, key, what, why, "scan the folder that defines "+unseenOwner+" together with this one")
	}
	if len(missing) == 0 {
		return
	}
	reportCachedPull(pass, td, pu, cp, repo, owner, missing, regRelated)
}

// ownPolicies are the policies the cached repository has: those of the
// declared repository, else those its creation template gives, else none
// (ECR creates it without a policy). owner names where they come from.
func ownPolicies(pass *lint.Pass, repo cachedRepository) (policies []*iam.Policy, known bool, owner string) {
	var docs []model.Fact[string]
	var cfg *model.Config
	switch {
	case repo.declared != nil:
		docs, cfg, owner = repo.declared.Policies, configOf(pass.Scanned, repo.declared), "repository "+repo.declared.Addr
		if cfg.MayLack(model.KindPolicy) {
			return nil, false, owner
		}
	case repo.template != nil:
		cfg, owner = configOf(pass.Scanned, repo.template), "repository creation template "+repo.template.Addr
		if rp := repo.template.RepositoryPolicy; rp.Set || rp.Known {
			docs = []model.Fact[string]{rp}
		}
	default:
		return nil, true, ""
	}
	for _, d := range docs {
		pol, ok := parsePolicy(cfg, d)
		if !ok {
			return nil, false, owner
		}
		policies = append(policies, pol)
	}
	return policies, true, owner
}

func reportCachedPull(pass *lint.Pass, td *model.TaskDefinition, pu puller, cp cachedPull, repo cachedRepository, owner string,
	missing []denial, regRelated []lint.Related) {
	v, info, rule := pu.v, cp.info, cp.rule
	importDenied := false
	var actions []string
	for _, m := range missing {
		actions = append(actions, m.action)
		importDenied = importDenied || m.action == actionImport
	}
	f := lint.Finding{
		Range: pu.at,
		Key:   pu.key + "|" + info.Repository,
		Message: fit(fmt.Sprintf("%s may not pull %s through the pull through cache: it lacks %s", v.title(), shortImage(info.Raw), model.JoinNames(unique(actions), 0)),
			fmt.Sprintf("%s may not pull through the pull through cache: it lacks %s", v.title(), model.JoinNames(unique(actions), 0))),
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Container %s of %s pulls %s, which pull through cache rule %s serves (prefix %q). %s ",
		containerLabel(td, cp.c), name(td), info.Raw, rule.Addr, rule.Prefix.V, pu.how)
	fmt.Fprintf(&b, "The first pull of an image through the cache, and of each new tag, makes ECR import it from the upstream registry with the permission of the one who pulls: "+
		"%s may not %s: %s.", v.title(), describeDenials(missing), whys(missing))
	switch {
	case repo.declared != nil:
		fmt.Fprintf(&b, " Repository %s exists, so ECR need not create it; neither the registry policy nor its own policy grants the import.", repo.declared.Addr)
	case repo.template != nil:
		fmt.Fprintf(&b, " ECR creates repository %s with the settings of %s.", info.Repository, owner)
	default:
		fmt.Fprintf(&b, " No repository %s is declared and no repository creation template covers it, so the first pull must create it, and ECR creates it without a repository policy.", info.Repository)
	}
	if importDenied {
		fmt.Fprintf(&b, "\nTasks that pull an image that is not cached yet stop with `CannotPullContainerError: ... not authorized to perform: %s`.", actionImport)
	} else {
		f.Severity = lint.Warning
		fmt.Fprintf(&b, "\nUnless the repository was already created by an earlier pull (canpull cannot see that), the first pull stops with `CannotPullContainerError: ... not authorized to perform: %s`.", actionCreate)
	}
	f.Detail = b.String()
	f.Fix = fmt.Sprintf("add a statement to a policy of %s with `actions = [%s]` and `resources = [%q]`, or grant them in the registry policy (`aws_ecr_registry_policy`)",
		v.role.Addr, quoteAll(unique(actions)), "arn:"+awsPartition(info.Region)+":ecr:"+info.Region+":"+info.Account+":repository/"+cacheNamespace(rule, info)+"*")
	f.Related = append(append(v.related(),
		lint.Related{Range: cp.c.Image.Range, Message: "image " + model.Display(cp.c.Image.V)},
		lint.Related{Range: rule.Range, Message: "pull through cache rule " + rule.Addr}), regRelated...)
	if repo.declared != nil {
		f.Related = append(f.Related, lint.Related{Range: repo.declared.Range, Message: "repository " + repo.declared.Addr})
	}
	if repo.template != nil {
		f.Related = append(f.Related, lint.Related{Range: repo.template.Range, Message: owner})
	}
	pass.Report(f)
}

// cacheNamespace is the repository name prefix a rule caches under:
// "docker-hub/" (nothing for ROOT).
func cacheNamespace(rule *model.PullThroughCacheRule, info image.Info) string {
	if rule.Prefix.V == "ROOT" {
		return ""
	}
	return strings.TrimSuffix(rule.Prefix.V, "/") + "/"
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
