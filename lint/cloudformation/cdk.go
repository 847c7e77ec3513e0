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

func isCDKManifest(name string) bool { return filepath.Base(name) == "manifest.json" }

// isAssetManifest reports a CDK asset manifest (STACK.assets.json): it
// tells which file of the cloud assembly is uploaded under which S3 key,
// and so which template a nested stack's TemplateURL names.
func isAssetManifest(name string) bool { return strings.HasSuffix(filepath.Base(name), ".assets.json") }

// readAssets indexes the files of an asset manifest by the S3 object key
// they are uploaded as.
func (l *loader) readAssets(f File) {
	v, diags := jsontree.Parse(f.Name, f.Src, hcl.InitialPos)
	if diags.HasErrors() {
		return
	}
	files := v.Get("files")
	if files == nil || files.Value.Kind != jsontree.Object {
		return
	}
	dir := filepath.Dir(f.Name)
	for _, a := range files.Value.Members {
		src := a.Value.Get("source")
		if src == nil {
			continue
		}
		p := src.Value.Get("path")
		dests := a.Value.Get("destinations")
		if p == nil || p.Value.Kind != jsontree.String || filepath.IsAbs(p.Value.Str) || dests == nil {
			continue
		}
		for _, d := range dests.Value.Members {
			if k := d.Value.Get("objectKey"); k != nil && k.Value.Kind == jsontree.String && k.Value.Str != "" {
				l.assets[filepath.Join(dir, k.Value.Str)] = filepath.Join(dir, filepath.FromSlash(p.Value.Str))
			}
		}
	}
	l.res.Sources[f.Name] = f.Src
}

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
