package cloudformation

import (
	"strings"

	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var secretTypes = []string{"AWS::SecretsManager::Secret", "AWS::SSM::Parameter"}

// ecr reads repositories with their policies, registry policies and pull
// through cache rules.
func (b *builder) ecr() {
	for _, r := range b.byType["AWS::ECR::Repository"] {
		p := b.props(r)
		repo := &model.Repository{Meta: b.meta(r), Name: p.str("RepositoryName", "")}
		if !repo.Name.Set {
			repo.Name = model.Fact[string]{Range: r.keyRange} // CloudFormation names it
		}
		if repo.Name.Known && repo.Account.Known && repo.Region.Known {
			repo.URL = model.Fact[string]{V: image.ECRHost(repo.Account.V, repo.Region.V) + "/" + repo.Name.V, Known: true, Range: repo.Name.Range}
		}
		if p.get("RepositoryPolicyText") != nil {
			repo.Policies = append(repo.Policies, p.doc("RepositoryPolicyText"))
		}
		b.cfg.Add(repo)
	}
	for _, r := range b.byType["AWS::ECR::RegistryPolicy"] {
		b.cfg.Add(&model.RegistryPolicy{Meta: b.meta(r), Document: b.props(r).doc("PolicyText")})
	}
	for _, r := range b.byType["AWS::ECR::PullThroughCacheRule"] {
		p := b.props(r)
		b.cfg.Add(&model.PullThroughCacheRule{
			Meta:           b.meta(r),
			Prefix:         p.str("EcrRepositoryPrefix", ""),
			Upstream:       p.str("UpstreamRegistryUrl", ""),
			UpstreamPrefix: p.str("UpstreamRepositoryPrefix", "ROOT"),
			Credential:     b.ref(p, "CredentialArn", "AWS::SecretsManager::Secret"),
			CustomRole:     b.ref(p, "CustomRoleArn", roleTypes...),
		})
	}
	for _, r := range b.byType["AWS::ECR::RepositoryCreationTemplate"] {
		p := b.props(r)
		t := &model.RepositoryCreationTemplate{Meta: b.meta(r), Prefix: p.str("Prefix", ""), AppliedFor: p.strs("AppliedFor")}
		if p.get("RepositoryPolicy") != nil {
			t.RepositoryPolicy = p.doc("RepositoryPolicy")
		}
		b.cfg.Add(t)
	}
}

// secrets reads Secrets Manager secrets with their resource policies, SSM
// parameters, KMS keys and aliases, and log groups.
func (b *builder) secrets() {
	for _, r := range b.byType["AWS::KMS::Key"] {
		b.cfg.Add(&model.KMSKey{Meta: b.meta(r), Policy: b.props(r).doc("KeyPolicy")})
	}
	for _, r := range b.byType["AWS::KMS::Alias"] {
		p := b.props(r)
		b.cfg.Add(&model.KMSAlias{Meta: b.meta(r), Name: p.str("AliasName", ""), Target: b.ref(p, "TargetKeyId", "AWS::KMS::Key")})
	}
	for _, r := range b.byType["AWS::Logs::LogGroup"] {
		lg := &model.LogGroup{Meta: b.meta(r), Name: b.props(r).str("LogGroupName", "")}
		if !lg.Name.Set {
			lg.Name = model.Fact[string]{Range: r.keyRange}
		}
		b.cfg.Add(lg)
	}
	kmsTypes := []string{"AWS::KMS::Key", "AWS::KMS::Alias"}
	byAddr := map[string]*model.Secret{}
	for _, r := range b.byType["AWS::SecretsManager::Secret"] {
		p := b.props(r)
		s := &model.Secret{Meta: b.meta(r), Kind: model.SecretsManagerSecret, Name: p.str("Name", ""), KMSKey: b.ref(p, "KmsKeyId", kmsTypes...)}
		if !s.Name.Set {
			s.Name = model.Fact[string]{Range: r.keyRange}
		}
		s.ARN = model.Fact[string]{Range: s.Name.Range} // ends in six random characters
		byAddr[r.addr] = s
		b.cfg.Add(s)
	}
	for _, r := range b.byType["AWS::SSM::Parameter"] {
		p := b.props(r)
		s := &model.Secret{Meta: b.meta(r), Kind: model.SSMParameter, Name: p.str("Name", ""), ParameterType: p.str("Type", "String")}
		if !s.Name.Set {
			s.Name = model.Fact[string]{Range: r.keyRange}
		}
		s.ARN = parameterARN(s)
		b.cfg.Add(s)
	}
	if b.unknownTypes["AWS::SecretsManager::ResourcePolicy"] {
		b.cfg.SetIncomplete(model.KindSecretPolicy)
	}
	for _, r := range b.byType["AWS::SecretsManager::ResourcePolicy"] {
		p := b.props(r)
		ref := b.ref(p, "SecretId", "AWS::SecretsManager::Secret")
		if s := byAddr[ref.Addr]; s != nil {
			s.Policies = append(s.Policies, p.doc("ResourcePolicy"))
		} else if !ref.Known {
			b.cfg.SetIncomplete(model.KindSecretPolicy)
		}
	}
}

// parameterARN derives an SSM parameter's ARN.
func parameterARN(s *model.Secret) model.Fact[string] {
	if !s.Name.Known || s.Name.V == "" || !s.Account.Known || !s.Region.Known {
		return model.Fact[string]{Range: s.Name.Range}
	}
	name := s.Name.V
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return model.Fact[string]{V: "arn:" + model.Partition(s.Region.V) + ":ssm:" + s.Region.V + ":" + s.Account.V + ":parameter" + name, Known: true, Range: s.Name.Range}
}
