package terraform

import (
	"strings"

	"github.com/canpull/canpull/lint/model"
)

var (
	secretTypes = []string{"aws_secretsmanager_secret", "aws_ssm_parameter"}
	kmsKeyTypes = []string{"aws_kms_key", "aws_kms_alias"}
)

// secrets reads Secrets Manager secrets with their resource policies, SSM
// parameters, and the KMS keys and log groups that the execution role's
// checks follow.
func (b *builder) secrets() {
	for _, ri := range b.byType["aws_kms_key"] {
		b.cfg.Add(&model.KMSKey{Meta: b.meta(ri), Policy: ri.block.str("policy", "")})
	}
	for _, ri := range b.byType["aws_kms_alias"] {
		b.cfg.Add(&model.KMSAlias{Meta: b.meta(ri), Name: ri.block.str("name", ""),
			Target: b.ref(ri.block.attrs["target_key_id"], "aws_kms_key")})
	}
	for _, ri := range b.byType["aws_cloudwatch_log_group"] {
		lg := &model.LogGroup{Meta: b.meta(ri), Name: ri.block.str("name", "")}
		if !lg.Name.Set {
			lg.Name = model.Fact[string]{Range: ri.block.defRange}
		}
		b.cfg.Add(lg)
	}

	byAddr := map[string]*model.Secret{}
	for _, ri := range b.byType["aws_secretsmanager_secret"] {
		eb := ri.block
		s := &model.Secret{Meta: b.meta(ri), Kind: model.SecretsManagerSecret, Name: secretName(eb),
			KMSKey: b.ref(eb.attrs["kms_key_id"], kmsKeyTypes...)}
		// The ARN ends in six random characters: only AWS knows it.
		s.ARN = model.Fact[string]{Range: s.Name.Range}
		if a := eb.attrs["policy"]; a != nil && !(a.val.IsKnown() && a.val.IsNull()) {
			s.Policies = append(s.Policies, eb.str("policy", ""))
		}
		byAddr[ri.addr] = s
		b.cfg.Add(s)
	}
	for _, ri := range b.byType["aws_ssm_parameter"] {
		eb := ri.block
		s := &model.Secret{Meta: b.meta(ri), Kind: model.SSMParameter, Name: secretName(eb),
			ParameterType: eb.str("type", "String"), KMSKey: b.ref(eb.attrs["key_id"], kmsKeyTypes...)}
		s.ARN = parameterARN(s, ri.mod.providerFor(ri.res))
		b.cfg.Add(s)
	}
	if b.unknownTypes["aws_secretsmanager_secret_policy"] {
		b.cfg.SetIncomplete(model.KindSecretPolicy)
	}
	for _, ri := range b.byType["aws_secretsmanager_secret_policy"] {
		ref := b.ref(ri.block.attrs["secret_arn"], "aws_secretsmanager_secret")
		if s := byAddr[ref.Addr]; s != nil {
			s.Policies = append(s.Policies, ri.block.str("policy", ""))
		} else if !ref.Known {
			b.cfg.SetIncomplete(model.KindSecretPolicy)
		}
	}
}

// secretName is a secret's or parameter's name, unknown when AWS picks it
// (name_prefix).
func secretName(eb *evalBlock) model.Fact[string] {
	n := eb.str("name", "")
	if !n.Set {
		return model.Fact[string]{Range: eb.defRange}
	}
	return n
}

// parameterARN derives an SSM parameter's ARN: a name with a leading slash
// ("/prod/db") follows "parameter" directly.
func parameterARN(s *model.Secret, prov *provider) model.Fact[string] {
	if !s.Name.Known || s.Name.V == "" || !s.Region.Known {
		return model.Fact[string]{Range: s.Name.Range}
	}
	name := s.Name.V
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	account := s.Account.V
	if !s.Account.Known {
		// The provider's account, as data "aws_caller_identity" gives it:
		// a policy with * there still matches.
		account = model.Token(prov.key(), "account_id")
	}
	arn := "arn:" + partition(s.Region) + ":ssm:" + s.Region.V + ":" + account + ":parameter" + name
	return model.Fact[string]{V: arn, Known: true, Range: s.Name.Range}
}

// secretRef resolves a container's secret reference (secrets[].valueFrom,
// secretOptions[].valueFrom, repositoryCredentials.credentialsParameter) to
// the secret or parameter of the configuration it names. ECS reads an ARN
// by its service; a bare name is an SSM parameter, except in
// repositoryCredentials, which always names a Secrets Manager secret. The
// reference keeps its Value; Addr is set only for a single match.
func (b *builder) secretRef(r model.Ref, credentials bool) model.Ref {
	if !r.Known || r.Addr != "" || r.Value == "" {
		return r
	}
	if model.HasToken(r.Value) && !model.PlaceTokensOnly(r.Value) {
		return b.refString(r.Value, r.Range, append(secretTypes, "aws_secretsmanager_secret_version")...)
	}
	kind, name, account, region := model.SSMParameter, r.Value, "", ""
	if credentials {
		kind = model.SecretsManagerSecret
	}
	if parts := strings.SplitN(r.Value, ":", 7); len(parts) >= 6 && parts[0] == "arn" {
		account, region = parts[4], parts[3]
		if model.HasToken(account) {
			account = "" // not fixed by the configuration
		}
		if model.HasToken(region) {
			region = ""
		}
		switch {
		case parts[2] == "secretsmanager" && len(parts) == 7 && parts[5] == "secret":
			// secret:NAME-AbCdEf, then an optional JSON key and version.
			kind, name = model.SecretsManagerSecret, parts[6]
			name, _, _ = strings.Cut(name, ":")
		case parts[2] == "ssm" && strings.HasPrefix(parts[5], "parameter/"):
			kind, name = model.SSMParameter, strings.TrimPrefix(parts[5], "parameter")
		default:
			return r
		}
	}
	var found *model.Secret
	for _, s := range b.cfg.Secrets {
		if s.Kind != kind || !s.Name.Known || !sameOrUnknown(s.Account, account) || !sameOrUnknown(s.Region, region) {
			continue
		}
		if !secretNamed(s, name) {
			continue
		}
		if found != nil {
			return r // two candidates: do not guess
		}
		found = s
	}
	if found != nil {
		r.Addr = found.Addr
	}
	return r
}

// secretNamed reports whether a name taken from a reference names s: an
// SSM name from an ARN has its leading slash, a Secrets Manager name from
// an ARN may end in AWS's six-character suffix.
func secretNamed(s *model.Secret, name string) bool {
	if s.Kind == model.SSMParameter {
		return s.Name.V == name || strings.HasPrefix(name, "/") && "/"+strings.TrimPrefix(s.Name.V, "/") == name
	}
	if s.Name.V == name {
		return true
	}
	i := strings.LastIndexByte(name, '-')
	return i > 0 && len(name)-i == 7 && s.Name.V == name[:i]
}

func sameOrUnknown(f model.Fact[string], v string) bool {
	return v == "" || !f.Known || f.V == v
}
