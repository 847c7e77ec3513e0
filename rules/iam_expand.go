package rules

import (
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

// expandTokens puts, in place of each token of s, the value AWS will give the
// attribute, as far as the configuration knows it: a secret's ARN with its
// six random characters as holes, a log group's ARN from its name, a
// repository's ARN. Tokens that stay (a KMS key's ID) still stand for one
// unknown string each, so that a policy naming aws_kms_key.app.arn and a
// request for the same key agree.
func expandTokens(cfg *model.Config, s string) string {
	toks := model.Tokens(s)
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if v, ok := attrValue(cfg, t.Addr, t.Attr); ok {
			s = s[:t.Start] + v + s[t.End:]
		}
	}
	return s
}

// attrValue is what the configuration knows of a computed attribute.
func attrValue(cfg *model.Config, addr, attr string) (string, bool) {
	switch o := cfg.Lookup(addr).(type) {
	case *model.Secret:
		if o.Kind == model.SSMParameter {
			switch attr {
			case "arn":
				return o.ARN.V, o.ARN.Known
			case "name", "id":
				return o.Name.V, o.Name.Known
			}
			return "", false
		}
		if attr == "arn" || attr == "id" {
			return secretARN(o)
		}
	case *model.KMSKey:
		switch attr {
		case "arn":
			return keyARN(o)
		case "id":
			return model.Token(addr, "key_id"), true
		}
	case *model.KMSAlias:
		switch attr {
		case "arn":
			return arnIn(o.Meta, "kms", o.Name.V), o.Name.Known && placeKnown(o.Meta)
		case "name", "id":
			return o.Name.V, o.Name.Known
		case "target_key_arn":
			if k, ok := model.Resolve[*model.KMSKey](cfg, o.Target); ok {
				return keyARN(k)
			}
		case "target_key_id":
			if o.Target.Addr != "" {
				return model.Token(o.Target.Addr, "key_id"), true
			}
		}
	case *model.LogGroup:
		switch attr {
		case "arn":
			return arnIn(o.Meta, "logs", "log-group:"+o.Name.V), o.Name.Known && placeKnown(o.Meta)
		case "name", "id":
			return o.Name.V, o.Name.Known
		}
	case *model.Repository:
		switch attr {
		case "arn":
			return arnIn(o.Meta, "ecr", "repository/"+o.Name.V), o.Name.Known && placeKnown(o.Meta)
		case "name", "id":
			return o.Name.V, o.Name.Known
		case "registry_id":
			return o.Account.V, o.Account.Known
		case "repository_url":
			return o.URL.V, o.URL.Known
		}
	case *model.Role:
		switch attr {
		case "arn":
			return o.ARN.V, o.ARN.Known
		case "name", "id":
			return o.Name.V, o.Name.Known
		}
	case *model.Policy:
		if attr == "arn" || attr == "id" {
			return o.ARN.V, o.ARN.Known
		}
	}
	return "", false
}

// secretARN is a Secrets Manager secret's ARN, its random suffix unknown.
func secretARN(s *model.Secret) (string, bool) {
	if !s.Name.Known || s.Name.V == "" || !placeKnown(s.Meta) {
		return "", false
	}
	return arnIn(s.Meta, "secretsmanager", "secret:"+s.Name.V+"-"+iam.Hole(s.Addr, 6)), true
}

// keyARN is a KMS key's ARN, its key ID unknown.
func keyARN(k *model.KMSKey) (string, bool) {
	if !placeKnown(k.Meta) {
		return "", false
	}
	return arnIn(k.Meta, "kms", "key/"+model.Token(k.Addr, "key_id")), true
}

func placeKnown(m model.Meta) bool { return m.Account.Known && m.Region.Known }

// arnIn builds an ARN in an object's account and region.
func arnIn(m model.Meta, service, resource string) string {
	return "arn:" + awsPartition(m.Region.V) + ":" + service + ":" + m.Region.V + ":" + m.Account.V + ":" + resource
}

// awsPartition is the AWS partition of a region.
func awsPartition(region string) string { return model.Partition(region) }

// parsePolicy reads a policy document of a configuration with its tokens
// expanded; ok is false when the document is unknown or unreadable.
func parsePolicy(cfg *model.Config, doc model.Fact[string]) (*iam.Policy, bool) {
	if !doc.Known {
		return nil, false
	}
	p, err := iam.Parse(doc.V)
	if err != nil {
		return nil, false
	}
	return p.Rewrite(func(s string) string { return expandTokens(cfg, s) }), true
}
