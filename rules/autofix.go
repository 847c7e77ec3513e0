package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/edit"
	"github.com/canpull/canpull/lint/model"
)

// The edits that --fix applies. A rule offers one only where the fix is
// safe and local: the setting is written in the configuration's own files
// (not in a module that other configurations may call, nor one terraform
// init downloaded), for one object (not for every instance of a count or
// for_each), as a literal or left out. Anywhere else the finding says why
// it has no edit.

// autofix is what a finding gets: its edits, or why there are none.
type autofix struct {
	edits []lint.Edit
	why   string
}

func (a autofix) apply(f *lint.Finding) {
	f.Edits, f.NoEdits = a.edits, ""
	if len(a.edits) == 0 {
		f.NoEdits = a.why
	}
}

func noFix(format string, args ...any) autofix { return autofix{why: fmt.Sprintf(format, args...)} }

func oneEdit(e lint.Edit, err error) autofix {
	if err != nil {
		return autofix{why: err.Error()}
	}
	return autofix{edits: []lint.Edit{e}}
}

// editable returns the text of the file that holds r, or why an edit of
// object addr there is not for --fix.
func editable(pass *lint.Pass, r hcl.Range, addr string) ([]byte, string) {
	if r.Filename == "" {
		return nil, "canpull does not know where the setting is written"
	}
	if pass.Config.Plan {
		return nil, "a plan is what terraform plan wrote: fix the configuration, and plan again"
	}
	src, ok := pass.Source(r.Filename)
	if !ok {
		return nil, "canpull did not keep the text of " + r.Filename
	}
	switch dirs := "/" + filepath.ToSlash(r.Filename); {
	case strings.Contains(dirs, "/.terraform/"):
		return nil, "the setting is in a module that terraform init downloaded (.terraform/): set the module's inputs instead"
	case strings.Contains(dirs, "/cdk.out/"):
		return nil, "the template is CDK output (cdk.out/), which cdk synth writes again: change the CDK app instead"
	}
	cfg := pass.Config
	if cfg.Source == model.SourceTerraform && strings.Contains(addr, "[") {
		return nil, addr + " is one of several instances (count or for_each) that share this text: a fix would change them all"
	}
	if cfg.Source == model.SourceTerraform && strings.HasPrefix(addr, "module.") && !sameDir(filepath.Dir(r.Filename), cfg.Dir) {
		return nil, fmt.Sprintf("the setting is written in %s, a module that other configurations may call too: change it there by hand", filepath.Dir(r.Filename))
	}
	return src, ""
}

func sameDir(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// isTFJSON reports whether a Terraform file is in JSON syntax.
func isTFJSON(name string) bool { return strings.HasSuffix(name, ".json") }

// isJSONText reports whether a template is JSON rather than YAML.
func isJSONText(src []byte) bool {
	for _, c := range src {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// setTrue is the fix that turns a boolean setting on: the literal false
// becomes true, or the setting, left out, is added where it belongs.
//
//   - Terraform: `name = true`, in the block of type block (hclwrite), or
//     "name": true in a .tf.json object;
//   - CloudFormation: `Name: on` (YAML) or "Name": on (JSON) under path
//     from the key at the fact's range;
//   - ECS JSON: "jsonName": on.
//
// on and off are the values as the source writes them: "true"/"false",
// or "ENABLED"/"DISABLED".
type setTrue struct {
	tfName, tfBlock string // assign_public_ip, network_configuration
	cfnName         string // AssignPublicIp
	cfnPath         []string
	jsonName        string // assignPublicIp, for ECS JSON; "" when none
	on, off         string // in CloudFormation and ECS JSON
}

func (s setTrue) fix(pass *lint.Pass, fact model.Fact[bool], addr string) autofix {
	src, why := editable(pass, fact.Range, addr)
	if why != "" {
		return autofix{why: why}
	}
	r := fact.Range
	switch pass.Config.Source {
	case model.SourceTerraform:
		if fact.Set {
			return oneEdit(edit.Scalar(src, r, []string{"false"}, "true"))
		}
		if isTFJSON(r.Filename) {
			return oneEdit(edit.JSONMember(src, r, nil, s.tfName, "true"))
		}
		return oneEdit(edit.HCLAttribute(src, r.Filename, r.Start, s.tfBlock, s.tfName, cty.True))
	case model.SourceCloudFormation:
		if fact.Set {
			return oneEdit(edit.Scalar(src, r, cases(s.off), s.on))
		}
		if isJSONText(src) {
			return oneEdit(edit.JSONMember(src, r, s.cfnPath, s.cfnName, quoteJSON(s.on)))
		}
		return oneEdit(edit.YAMLKey(src, r, s.cfnPath, s.cfnName, s.on))
	case model.SourceJSON:
		if s.jsonName == "" {
			break
		}
		if fact.Set {
			return oneEdit(edit.Scalar(src, r, []string{s.off}, s.on))
		}
		return oneEdit(edit.JSONMember(src, r, nil, s.jsonName, quoteJSON(s.on)))
	}
	return noFix("canpull has no automatic fix for this input")
}

// cases are the spellings CloudFormation reads for a value: false, False,
// FALSE.
func cases(v string) []string {
	return []string{v, strings.ToUpper(v[:1]) + v[1:], strings.ToUpper(v)}
}

// quoteJSON writes a CloudFormation or ECS value in JSON: booleans bare,
// words as strings.
func quoteJSON(v string) string {
	if v == "true" || v == "false" {
		return v
	}
	return `"` + v + `"`
}
