package cloudformation

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// The CDK writes a cloud assembly (cdk.out): a template per stack and a
// manifest.json that names each stack and its environment,
// "aws://ACCOUNT/REGION" ("unknown-account"/"unknown-region" for a stack
// that may deploy anywhere).

// cdkStack is what a manifest says of one template.
type cdkStack struct {
	found                      bool
	stackName, account, region string
}

func (l *loader) readManifest(f File) {
	v, diags := jsontree.Parse(f.Name, f.Src, hcl.InitialPos)
	if diags.HasErrors() {
		return // not ours to report: a manifest.json of some other tool
	}
	arts := v.Get("artifacts")
	if arts == nil || arts.Value.Kind != jsontree.Object {
		return
	}
	dir := filepath.Dir(f.Name)
	for _, a := range arts.Value.Members {
		if t := a.Value.Get("type"); t == nil || t.Value.Kind != jsontree.String || t.Value.Str != "aws:cloudformation:stack" {
			continue
		}
		props := a.Value.Get("properties")
		if props == nil {
			continue
		}
		tf := props.Value.Get("templateFile")
		if tf == nil || tf.Value.Kind != jsontree.String || filepath.IsAbs(tf.Value.Str) {
			continue
		}
		s := cdkStack{found: true, stackName: a.Key}
		if sn := props.Value.Get("stackName"); sn != nil && sn.Value.Kind == jsontree.String && sn.Value.Str != "" {
			s.stackName = sn.Value.Str
		}
		if env := a.Value.Get("environment"); env != nil && env.Value.Kind == jsontree.String {
			s.account, s.region = parseEnvironment(env.Value.Str)
		}
		l.cdkEnv[filepath.Join(dir, filepath.FromSlash(tf.Value.Str))] = s
	}
	l.res.Sources[f.Name] = f.Src
}

// parseEnvironment reads "aws://ACCOUNT/REGION"; the CDK's placeholders
// for an environment-agnostic stack are unknown.
func parseEnvironment(env string) (account, region string) {
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return "", ""
	}
	account, region, _ = strings.Cut(rest, "/")
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		account = ""
	}
	if region == "unknown-region" || strings.ContainsAny(region, "/ ") {
		region = ""
	}
	return account, region
}
