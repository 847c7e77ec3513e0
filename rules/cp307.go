package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var PullThroughCacheConfig = register(&lint.Rule{
	ID:        "CP307",
	Name:      "pull-through-cache-config",
	Severity:  lint.Error,
	Precision: "high",
	Tags:      []string{"ecr", "pull-through-cache"},
	Summary:   "A pull through cache rule cannot authenticate to its upstream registry (no credentials, a secret ECR may not read, another account's ECR without a role), or an image names a cache prefix that no rule declares.",
	Run:       runPullThroughCacheConfig,
})

func runPullThroughCacheConfig(pass *lint.Pass) {
	for _, r := range pass.Config.PullThroughCacheRules {
		checkCacheRule(pass, r)
	}
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			p := imageOf(pass.Config, c)
			if !p.known || p.info.Kind != image.PrivateECR || c.ImageRepository.Addr != "" {
				continue
			}
			if rule := cacheTypo(pass, p.info); rule != nil {
				reportCacheTypo(pass, td, c, p.info, rule)
			}
		}
	}
}

// checkCacheRule checks that a rule can authenticate to its upstream.
func checkCacheRule(pass *lint.Pass, r *model.PullThroughCacheRule) {
	if !r.Upstream.Known {
		return
	}
	auth, title, upAccount := upstreamOf(r.Upstream.V)
	switch auth {
	case authSecret:
		checkCacheCredential(pass, r, title)
	case authRole:
		if !r.CustomRole.IsZero() {
			return
		}
		if !r.Account.Known || r.Account.V == "" {
			noteUnknown(pass, r.Upstream.Range, r.Addr, "whether pull through cache rule "+r.Addr+" caches another account's ECR registry",
				"An ECR upstream of another account needs custom_role_arn; the account the rule is made in is not known.",
				"pass --account-id, or set allowed_account_ids or assume_role in the provider")
			return
		}
		if upAccount == r.Account.V {
			return // the same account: ECR's service-linked role pulls
		}
		pass.Report(lint.Finding{
			Range:   r.Upstream.Range,
			Key:     r.Addr,
			Message: fmt.Sprintf("pull through cache rule %s caches another account's ECR registry but has no custom_role_arn", r.Addr),
			Detail: fmt.Sprintf("Pull through cache rule %s caches %s, in account %s, into the registry of account %s. "+
				"For an upstream ECR registry of another account, ECR must assume an IAM role of the caching account that may pull from the upstream "+
				"(custom_role_arn, a role that trusts pullthroughcache.ecr.amazonaws.com), and the upstream registry's policy must let that account pull. "+
				"Without the role, ECR cannot pull from the upstream, and images under prefix %q cannot be cached.",
				r.Addr, title, upAccount, r.Account.V, r.Prefix.V),
			Fix: "set `custom_role_arn` to a role of this account that trusts pullthroughcache.ecr.amazonaws.com and may pull from the upstream registry",
		})
	}
}

// checkCacheCredential checks the secret of an upstream that needs one.
func checkCacheCredential(pass *lint.Pass, r *model.PullThroughCacheRule, title string) {
	ref := r.Credential
	if ref.IsZero() {
		pass.Report(lint.Finding{
			Range:   r.Upstream.Range,
			Key:     r.Addr,
			Message: fmt.Sprintf("pull through cache rule %s caches %s, which needs credentials, but has no credential_arn", r.Addr, title),
			Detail: fmt.Sprintf("Pull through cache rule %s caches %s. ECR pulls from %s only with credentials, kept in a Secrets Manager secret "+
				"whose name starts with %s, in the rule's account and region, and named by credential_arn; the rule has none, so ECR does not create it, "+
				"and no image can be pulled through prefix %q.",
				r.Addr, title, title, secretPrefix, r.Prefix.V),
			Fix: fmt.Sprintf("store the %s credentials in a Secrets Manager secret named `%sNAME` and set `credential_arn` to its ARN", title, secretPrefix),
		})
		return
	}
	if !ref.Known {
		return
	}
	secretName, account, region, ok := secretOf(pass.Config, ref)
	if !ok {
		return
	}
	if secretName != "" && !strings.HasPrefix(secretName, secretPrefix) {
		pass.Report(lint.Finding{
			Range: ref.Range,
			Key:   r.Addr,
			Message: fit(fmt.Sprintf("pull through cache rule %s reads secret %q, which ECR may not read: its name lacks %s", r.Addr, secretName, secretPrefix),
				fmt.Sprintf("pull through cache rule %s reads a secret ECR may not read: its name lacks %s", r.Addr, secretPrefix)),
			Detail: fmt.Sprintf("Pull through cache rule %s reads its %s credentials from secret %q. ECR reads them with its service-linked role for pull through cache, "+
				"AWSServiceRoleForECRPullThroughCache, whose policy allows secretsmanager:GetSecretValue only on secrets whose name starts with %s: "+
				"ECR cannot read this one, cannot log in to %s, and images under prefix %q cannot be cached.",
				r.Addr, title, secretName, secretPrefix, title, r.Prefix.V),
			Fix: fmt.Sprintf("store the credentials in a secret named `%s%s` and set `credential_arn` to its ARN", secretPrefix, strings.TrimPrefix(secretName, "/")),
		})
		return
	}
	if where := placeMismatch(r.Meta, account, region); where != "" {
		pass.Report(lint.Finding{
			Range:   ref.Range,
			Key:     r.Addr,
			Message: fmt.Sprintf("pull through cache rule %s reads its credentials from a secret of another %s", r.Addr, where),
			Detail: fmt.Sprintf("Pull through cache rule %s reads its %s credentials from a secret in account %s, %s, but the rule is in account %s, %s: "+
				"the secret must be in the rule's own account and region, and ECR cannot read this one.",
				r.Addr, title, orText(account, "(unknown)"), orText(region, "(unknown)"), r.Account.V, r.Region.V),
			Fix: fmt.Sprintf("store the credentials in a secret named `%sNAME` in the rule's account and region", secretPrefix),
		})
	}
}

// secretOf reads the name, account and region of a credential_arn: the
// secret of the configuration, or a literal ARN. ok is false when nothing
// is known.
func secretOf(cfg *model.Config, ref model.Ref) (name, account, region string, ok bool) {
	if s, found := model.Resolve[*model.Secret](cfg, ref); found {
		if s.Kind != model.SecretsManagerSecret || !s.Name.Known {
			return "", "", "", false
		}
		if s.Account.Known {
			account = s.Account.V
		}
		if s.Region.Known {
			region = s.Region.V
		}
		return s.Name.V, account, region, true
	}
	v := ref.Value
	if v == "" || model.HasToken(v) {
		return "", "", "", false
	}
	parts := strings.SplitN(v, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "secretsmanager" || parts[5] != "secret" {
		return "", "", "", false
	}
	return parts[6], parts[4], parts[3], true
}

// placeMismatch says what differs between an object's place and an
// account and region: "account", "region", or "".
func placeMismatch(m model.Meta, account, region string) string {
	switch {
	case account != "" && m.Account.Known && m.Account.V != "" && m.Account.V != account:
		return "account"
	case region != "" && m.Region.Known && m.Region.V != "" && m.Region.V != region:
		return "region"
	}
	return ""
}

// cacheTypo finds the pull through cache rule that an image was probably
// meant to go through: the configuration declares pull through cache rules
// in the image's registry, none of them and no declared repository serves
// the image, and its first path segment is a near miss of a rule's prefix
// ("dockerhub/library/nginx" for "docker-hub"). nil when it is not one:
// CP305 speaks of other undeclared repositories.
func cacheTypo(pass *lint.Pass, info image.Info) *model.PullThroughCacheRule {
	first, _, hasPath := strings.Cut(info.Repository, "/")
	if !hasPath {
		return nil
	}
	var best *model.PullThroughCacheRule
	bestD := -1
	for _, r := range pass.Config.PullThroughCacheRules {
		if !sameRegistry(r.Meta, info) {
			continue
		}
		if !r.Prefix.Known {
			return nil
		}
		prefix := strings.TrimSuffix(r.Prefix.V, "/")
		if prefix == "ROOT" || strings.Contains(prefix, "/") {
			continue
		}
		d := ecsschema.Distance(first, prefix)
		if bestD < 0 || d < bestD {
			best, bestD = r, d
		}
	}
	if best == nil || bestD == 0 || bestD > nearMiss(best.Prefix.V) {
		return nil
	}
	if rule, unknown := cacheRuleFor(pass.Scanned, info); rule != nil || unknown {
		return nil
	}
	if reg := declaredIn(pass.Scanned, info); reg.declared || reg.unknown {
		return nil
	}
	return best
}

// nearMiss is how many edits make a near miss of a prefix.
func nearMiss(prefix string) int {
	return max(2, len(prefix)/3)
}

func reportCacheTypo(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, info image.Info, rule *model.PullThroughCacheRule) {
	first, rest, _ := strings.Cut(info.Repository, "/")
	want := strings.TrimSuffix(rule.Prefix.V, "/") + "/" + rest
	host := image.ECRHost(info.Account, info.Region)
	pass.Report(lint.Finding{
		Severity: lint.Warning,
		Range:    c.Image.Range,
		Key:      td.Addr + "/" + c.Name.V,
		Message: fmt.Sprintf("container %s pulls %q, under prefix %q, which no pull through cache rule declares; did you mean %q?",
			containerLabel(td, c), info.Repository, first, strings.TrimSuffix(rule.Prefix.V, "/")),
		Detail: fmt.Sprintf("Container %s of %s pulls %s. The configuration declares pull through cache rules in %s, but none for prefix %q, "+
			"and no repository %q; the closest rule is %s, for prefix %q. ECR serves an image from the upstream only under a rule's prefix: "+
			"it finds no repository %q and has nothing to fetch it from.\n"+
			"The task stops with `CannotPullContainerError: ... pull access denied for %s, repository does not exist or may require 'docker login'`.",
			containerLabel(td, c), name(td), info.Raw, host, first, info.Repository, rule.Addr, rule.Prefix.V, info.Repository, host+"/"+info.Repository),
		Fix:     fmt.Sprintf("pull `%s` instead", strings.Replace(info.Raw, info.Repository, want, 1)),
		Related: []lint.Related{{Range: rule.Prefix.Range, Message: fmt.Sprintf("pull through cache rule for prefix %q", rule.Prefix.V)}},
	})
}
