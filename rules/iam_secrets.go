package rules

import (
	"strings"

	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

// secretTarget is what a container's secret reference names, as far as the
// configuration knows it.
type secretTarget struct {
	kind model.SecretKind
	// arns are the forms the secret's ARN may take: one, or two when a
	// literal ARN may or may not end in AWS's random suffix.
	arns            []string
	account, region string
	// secret is the secret or parameter of the scanned configurations, with
	// the configuration that defines it; nil when it is not there.
	secret *model.Secret
	cfg    *model.Config
	// display names it in messages, expr in Terraform fixes.
	display, expr string
}

// resolveSecret reads a secret reference of a container of td. ok is false
// when it cannot be determined (an unknown value, a token of something
// canpull does not model). credentials says it is a
// repositoryCredentials.credentialsParameter, which names a Secrets Manager
// secret even when it is a bare name.
func resolveSecret(scanned []*model.Config, cfg *model.Config, td *model.TaskDefinition, ref model.Ref, credentials bool) (secretTarget, bool) {
	if !ref.Known {
		return secretTarget{}, false
	}
	if ref.Addr != "" {
		s, ok := model.Resolve[*model.Secret](cfg, ref)
		if !ok {
			return secretTarget{}, false
		}
		return targetOf(cfg, s), true
	}
	v := ref.Value
	if v == "" || model.HasToken(v) && !model.PlaceTokensOnly(v) {
		return secretTarget{}, false
	}
	t := secretTarget{display: model.Display(v), expr: `"` + wildPlaces(v) + `"`}
	if parts := strings.SplitN(v, ":", 7); len(parts) >= 6 && parts[0] == "arn" {
		t.account, t.region = parts[4], parts[3]
		// An account or region the configuration does not fix stays in
		// the ARN as a token, which policies match as unknown.
		if model.HasToken(t.account) {
			t.account = ""
		}
		if model.HasToken(t.region) {
			t.region = ""
		}
		prefix := strings.Join(parts[:5], ":") + ":"
		switch {
		case parts[2] == "secretsmanager" && len(parts) == 7 && parts[5] == "secret":
			name, _, _ := strings.Cut(parts[6], ":") // drop a JSON key and version
			t.kind = model.SecretsManagerSecret
			t.arns = append(t.arns, prefix+"secret:"+name+"-"+iam.Hole(v, 6))
			if hasSuffix(name) {
				t.arns = append(t.arns, prefix+"secret:"+name)
			}
		case parts[2] == "ssm" && strings.HasPrefix(parts[5], "parameter/"):
			t.kind = model.SSMParameter
			t.arns = []string{v}
		default:
			return secretTarget{}, false
		}
	} else {
		// A name: in the task's account and region.
		t.account, t.region = td.Account.V, td.Region.V
		if !td.Account.Known || !td.Region.Known {
			return secretTarget{}, false
		}
		prefix := "arn:" + awsPartition(t.region) + ":"
		if credentials {
			t.kind = model.SecretsManagerSecret
			t.arns = []string{prefix + "secretsmanager:" + t.region + ":" + t.account + ":secret:" + v + "-" + iam.Hole(v, 6)}
		} else {
			t.kind = model.SSMParameter
			name := v
			if !strings.HasPrefix(name, "/") {
				name = "/" + name
			}
			t.arns = []string{prefix + "ssm:" + t.region + ":" + t.account + ":parameter" + name}
		}
	}
	if s, c := findSecret(scanned, t); s != nil {
		// Describe it as the configuration does, so that policies that
		// name it by reference agree.
		found := targetOf(c, s)
		found.display = v
		return found, true
	}
	return t, true
}

// wildPlaces writes * for the tokens of an ARN, for policies that a fix
// suggests: arn:aws:ssm:eu-west-1:*:parameter/db.
func wildPlaces(arn string) string {
	ts := model.Tokens(arn)
	for i := len(ts) - 1; i >= 0; i-- {
		arn = arn[:ts[i].Start] + "*" + arn[ts[i].End:]
	}
	return arn
}

// targetOf describes a secret of the configuration.
func targetOf(cfg *model.Config, s *model.Secret) secretTarget {
	t := secretTarget{kind: s.Kind, secret: s, cfg: cfg, display: s.Addr, expr: s.Addr + ".arn", account: s.Account.V, region: s.Region.V}
	t.arns = []string{expandTokens(cfg, model.Token(s.Addr, "arn"))}
	return t
}

// hasSuffix reports whether a secret name ends like AWS's random suffix
// ("-AbCdEf"): the name may be a complete ARN's, or a name of its own.
func hasSuffix(name string) bool {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || len(name)-i != 7 {
		return false
	}
	for _, c := range name[i+1:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// findSecret finds the secret or parameter a literal reference names in
// the scanned configurations: same kind and name, and no known account or
// region that differs. Two candidates are no answer.
func findSecret(scanned []*model.Config, t secretTarget) (*model.Secret, *model.Config) {
	var found *model.Secret
	var in *model.Config
	name := secretNameOf(t)
	for _, c := range scanned {
		for _, s := range c.Secrets {
			if s.Kind != t.kind || !s.Name.Known || !sameOrUnknownFact(s.Account, t.account) || !sameOrUnknownFact(s.Region, t.region) {
				continue
			}
			n := s.Name.V
			if s.Kind == model.SSMParameter && !strings.HasPrefix(n, "/") {
				n = "/" + n
			}
			if n != name && !(s.Kind == model.SecretsManagerSecret && hasSuffix(name) && n == name[:len(name)-7]) {
				continue
			}
			if found != nil {
				return nil, nil
			}
			found, in = s, c
		}
	}
	return found, in
}

// secretNameOf is the name a target's ARN gives: "/prod/db" for a
// parameter, "db" or "db-AbCdEf" for a secret.
func secretNameOf(t secretTarget) string {
	arn := t.arns[len(t.arns)-1]
	if t.kind == model.SSMParameter {
		return arn[strings.Index(arn, ":parameter")+len(":parameter"):]
	}
	name := arn[strings.Index(arn, ":secret:")+len(":secret:"):]
	if i := strings.Index(name, "\uE002"); i >= 0 {
		name = strings.TrimSuffix(name[:i], "-")
	}
	return name
}

func sameOrUnknownFact(f model.Fact[string], v string) bool {
	return v == "" || !f.Known || f.V == v
}

// customerKey resolves the KMS key that encrypts a secret or parameter of
// the configuration. needed is false when no kms:Decrypt is needed (the
// AWS-managed key, a String parameter); key is nil when the key is needed
// but not in the configuration.
func customerKey(t secretTarget) (key *model.KMSKey, needed bool) {
	s := t.secret
	if s == nil {
		return nil, false
	}
	if s.Kind == model.SSMParameter && !(s.ParameterType.Known && s.ParameterType.V == "SecureString") {
		return nil, false
	}
	ref := s.KMSKey
	if ref.IsZero() || ref.Known && ref.Addr == "" && isAWSManagedKey(ref.Value) {
		return nil, false
	}
	switch o := t.cfg.Lookup(ref.Addr).(type) {
	case *model.KMSKey:
		return o, true
	case *model.KMSAlias:
		if k, ok := model.Resolve[*model.KMSKey](t.cfg, o.Target); ok {
			return k, true
		}
	}
	return nil, true
}

// isAWSManagedKey reports whether a key reference names an AWS-managed key
// ("alias/aws/secretsmanager", or its ARN).
func isAWSManagedKey(v string) bool {
	return strings.HasPrefix(v, "alias/aws/") || strings.Contains(v, ":alias/aws/")
}

// keyPolicy is a key's policy; a key without one has AWS's default policy,
// which lets the account's IAM policies grant access.
func keyPolicy(cfg *model.Config, k *model.KMSKey) (*iam.Policy, bool) {
	if k.Policy.Set {
		return parsePolicy(cfg, k.Policy)
	}
	if !k.Account.Known {
		return nil, false
	}
	root := "arn:" + awsPartition(k.Region.V) + ":iam::" + k.Account.V + ":root"
	p, err := iam.Parse(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
		`"Principal":{"AWS":"` + root + `"},"Action":"kms:*","Resource":"*"}]}`)
	return p, err == nil
}

// decideAll decides a request whose resource may take several forms: the
// answer holds only if every form gives it.
func decideAll(a iam.Access, reqs []iam.Request) iam.Decision {
	d := a.Decide(reqs[0])
	for _, r := range reqs[1:] {
		if a.Decide(r) != d {
			return iam.Unknown
		}
	}
	return d
}
