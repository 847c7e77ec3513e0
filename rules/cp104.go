package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var SecretAccess = register(&lint.Rule{
	ID:        "CP104",
	Name:      "secret-access",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"execution-role", "secrets", "kms"},
	Summary:   "The execution role may not read a secret, parameter or registry credential the task names, or decrypt it with its KMS key.",
	Run:       runSecretAccess,
})

// secretUse is one place a container names a secret.
type secretUse struct {
	container   *model.Container
	ref         model.Ref
	credentials bool   // repositoryCredentials
	field       string // for messages
}

func secretUses(td *model.TaskDefinition) []secretUse {
	var out []secretUse
	for _, c := range td.Containers {
		if c.HasCredentials && !c.Credentials.IsZero() {
			out = append(out, secretUse{c, c.Credentials, true, "repositoryCredentials"})
		}
		for _, s := range c.Secrets {
			out = append(out, secretUse{c, s.ValueFrom, false, "secret " + s.Name.V})
		}
		if c.Log != nil {
			for _, s := range c.Log.SecretOptions {
				out = append(out, secretUse{c, s.ValueFrom, false, "log secret option " + s.Name.V})
			}
		}
	}
	return out
}

func runSecretAccess(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		uses := secretUses(td)
		if len(uses) == 0 {
			continue
		}
		v := roleOrNote(pass, td, "secret reads")
		if v == nil {
			continue
		}
		for _, u := range uses {
			checkSecretUse(pass, td, v, u)
		}
	}
}

func checkSecretUse(pass *lint.Pass, td *model.TaskDefinition, v *roleView, u secretUse) {
	key := td.Addr + "/" + u.container.Name.V + "/" + u.field
	t, ok := resolveSecret(pass.Scanned, pass.Config, td, u.ref, u.credentials)
	if !ok {
		pass.Unverified(u.ref.Range, key, "the "+u.field+" of container "+containerLabel(td, u.container)+" names a secret that is not known",
			"give the variables it depends on values, or name the secret by its ARN")
		return
	}
	p := v.principal()
	if p.Account == "" {
		p.Account = taskAccount(pass, td)
	}
	cross := p.Account != "" && t.account != "" && p.Account != t.account
	ctx := v.context(t.region)
	if t.account != "" {
		ctx.Set(iam.KeyResourceAccount, t.account)
	}
	action := "ssm:GetParameters"
	if t.kind == model.SecretsManagerSecret {
		action = "secretsmanager:GetSecretValue"
	}
	var reqs []iam.Request
	for _, arn := range t.arns {
		reqs = append(reqs, iam.Request{Principal: &p, Action: action, Resource: arn, Context: ctx})
	}
	access := v.access(nil)
	if t.kind == model.SecretsManagerSecret {
		pols, known := secretPolicies(t)
		if known {
			access = v.access(pols)
			access.CrossAccount = cross
		} else {
			// A resource policy canpull cannot see may grant the role.
			d, worst := v.decideUnseen(reqs[0], cross)
			if d == iam.Allow && worst != iam.Allow && !cross {
				what, why := unseenNote(v, worst, action, t.display, "the secret's own resource policy")
				noteUnknown(pass, u.ref.Range, key, what, why,
					"scan the folder that defines the secret together with this one, or give the variables its policy depends on values")
				return
			}
			if d != iam.Allow {
				why, fix := readWhy(v, t, access, reqs)
				reportSecret(pass, td, v, u, t, key, d, reqs[0], nil, why, fix)
				return
			}
		}
	}
	d := decideAll(access, reqs)
	if d == iam.Allow {
		checkDecrypt(pass, td, v, u, t, p, key)
		return
	}
	why, fix := readWhy(v, t, access, reqs)
	reportSecret(pass, td, v, u, t, key, d, reqs[0], nil, why, fix)
}

// secretPolicies are a Secrets Manager secret's resource policies; known
// is false when the secret is not in the configuration or a policy is
// unknown.
func secretPolicies(t secretTarget) ([]*iam.Policy, bool) {
	if t.secret == nil || t.cfg.MayLack(model.KindSecretPolicy) {
		return nil, false
	}
	var out []*iam.Policy
	for _, d := range t.secret.Policies {
		p, ok := parsePolicy(t.cfg, d)
		if !ok {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}

// checkDecrypt checks kms:Decrypt when the secret uses a customer key:
// the key policy must allow it, itself or through the account's IAM
// policies.
func checkDecrypt(pass *lint.Pass, td *model.TaskDefinition, v *roleView, u secretUse, t secretTarget, p iam.Principal, key string) {
	k, needed := customerKey(t)
	if !needed {
		return
	}
	if k == nil {
		noteUnknown(pass, u.ref.Range, key, "the KMS key of the "+u.field+" of container "+containerLabel(td, u.container)+" is not in the configuration",
			"The secret is "+t.display+": whether the execution role may kms:Decrypt with its key cannot be checked.",
			"scan the folder that defines the key together with this one")
		return
	}
	kp, ok := keyPolicy(t.cfg, k)
	if !ok {
		pass.Unverified(u.ref.Range, key, "the key policy of "+k.Addr+" is unknown", "give the variables it depends on values with --var-file or --var")
		return
	}
	service := "ssm"
	if t.kind == model.SecretsManagerSecret {
		service = "secretsmanager"
	}
	ctx := v.context(t.region)
	if t.region != "" {
		ctx.Set(iam.KeyViaService, service+"."+t.region+".amazonaws.com")
	}
	access := v.access([]*iam.Policy{kp})
	access.KeyPolicy = true
	access.CrossAccount = k.Account.Known && p.Account != "" && k.Account.V != p.Account
	req := iam.Request{Principal: &p, Action: "kms:Decrypt", Resource: expandTokens(t.cfg, model.Token(k.Addr, "arn")), Context: ctx}
	if d := access.Decide(req); d != iam.Allow {
		why, fix := decryptWhy(v, k, kp, req)
		reportSecret(pass, td, v, u, t, key, d, req, k, why, fix)
	}
}

func reportSecret(pass *lint.Pass, td *model.TaskDefinition, v *roleView, u secretUse, t secretTarget, key string, d iam.Decision, req iam.Request, k *model.KMSKey, why, fix string) {
	if d == iam.Unknown {
		noteUnknown(pass, u.ref.Range, key, "whether execution role "+v.role.Addr+" may "+req.Action+" depends on an unknown condition or value",
			fmt.Sprintf("Container %s reads %s (its %s) with that role, and the policies decide %s by a condition or a value that the configuration does not determine.",
				containerLabel(td, u.container), t.display, u.field, req.Action),
			"check the role's policies by hand")
		return
	}
	related := v.related()
	if t.secret != nil {
		related = append(related, lint.Related{Range: t.secret.Range, Message: "secret " + t.secret.Addr})
	}
	if k != nil {
		related = append(related, lint.Related{Range: k.Range, Message: "KMS key " + k.Addr})
	}
	verb := "read"
	if req.Action == "kms:Decrypt" {
		verb = "decrypt"
	}
	pass.Report(lint.Finding{
		Range:   u.ref.Range,
		Key:     key,
		Message: fmt.Sprintf("execution role %s may not %s the %s of container %s", v.role.Addr, verb, u.field, containerLabel(td, u.container)),
		Detail: fmt.Sprintf("Container %s of %s reads %s from %s, but execution role %s may not %s on it: %s. ECS reads it with that role before the container starts.\nThe task stops with %s",
			containerLabel(td, u.container), name(td), u.field, t.display, v.role.Addr, req.Action, why, secretError(t, u, req.Action)),
		Fix:     fix,
		Related: related,
	})
}

// readWhy explains a denied read of a secret or parameter, and the
// smallest fix.
func readWhy(v *roleView, t secretTarget, access iam.Access, reqs []iam.Request) (why, fix string) {
	why, _ = v.whyNot(reqs[0])
	fix = fmt.Sprintf("add a statement to a policy of %s with `actions = [%q]` and `resources = [%s]`", v.role.Addr, reqs[0].Action, t.expr)
	if v.denier(reqs[0]) != "" {
		return why, fmt.Sprintf("remove %s from the Deny statement of %s, or narrow its Resource", reqs[0].Action, v.denier(reqs[0]))
	}
	if t.kind == model.SecretsManagerSecret && t.secret != nil && len(t.secret.Policies) > 0 {
		why += ", and the secret's resource policy does not grant it either"
	}
	// A Resource written as the secret's name, without the six characters
	// AWS appends, matches no secret.
	if t.kind == model.SecretsManagerSecret && t.secret != nil {
		bare := reqs[0]
		if i := strings.Index(bare.Resource, "-"+iam.Hole(t.secret.Addr, 1)); i > 0 {
			bare.Resource = bare.Resource[:i]
			if access.Decide(bare) == iam.Allow {
				why += "; a statement names the secret's ARN without the six random characters AWS appends to it, so it matches no secret"
				fix = fmt.Sprintf("end that Resource with `-??????` so that it matches the suffix: `%q`", model.Display(bare.Resource)+"-??????")
			}
		}
	}
	return why, fix
}

// decryptWhy explains a denied kms:Decrypt: a key policy must allow the
// role, or the account (which lets IAM policies decide).
func decryptWhy(v *roleView, k *model.KMSKey, kp *iam.Policy, req iam.Request) (why, fix string) {
	if by := v.denier(req); by != "" {
		return by + " denies kms:Decrypt", fmt.Sprintf("remove kms:Decrypt from the Deny statement of %s, or narrow its Resource", by)
	}
	if iam.Evaluate([]*iam.Policy{kp}, req) != iam.Allow {
		return "the key policy of " + k.Addr + " allows neither the role nor its account, and without that no IAM policy counts",
			fmt.Sprintf("add a statement to the key policy of %s: `{ Effect = \"Allow\", Principal = { AWS = %s.arn }, Action = \"kms:Decrypt\", Resource = \"*\" }`", k.Addr, v.role.Addr)
	}
	why, _ = v.whyNot(req)
	return "the key policy of " + k.Addr + " lets IAM policies decide, and " + why,
		fmt.Sprintf("add a statement to a policy of %s with `actions = [\"kms:Decrypt\"]` and `resources = [%s.arn]`", v.role.Addr, k.Addr)
}

// secretError is what the task's stop reason says.
func secretError(t secretTarget, u secretUse, action string) string {
	where := "unable to retrieve secrets from ssm"
	switch {
	case u.credentials:
		where = "unable to get registry auth from asm"
	case t.kind == model.SecretsManagerSecret:
		where = "unable to retrieve secret from asm"
	}
	return "`ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " + where +
		": ... AccessDeniedException: ... is not authorized to perform: " + action + " ...`."
}
