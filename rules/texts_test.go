package rules

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// What a finding says, checked on every finding of every fixture (the
// harness calls checkTexts): a headline of one line under 160 characters
// that FitHeadline did not have to cut; a body for every finding that is
// not a could-not-verify note; and a fix whose code parses. Code in a fix
// is in backquotes: in a fix for a Terraform file, each span that shows an
// argument, a block or an object (it has "=" or "{") must parse as HCL
// with hclsyntax, as a body or an expression,
// or, when it is JSON (a heredoc's container definitions), as JSON; in a
// fix for a JSON document, each span with a key must parse as JSON. Code
// left outside backquotes would escape the check, so a Terraform fix may
// not hold " = " outside them, nor a JSON fix `":`.
func checkTexts(t *testing.T, f lint.Finding) {
	t.Helper()
	where := f.RuleID + " at " + f.Range.String()
	switch {
	case strings.ContainsAny(f.Message, "\r\n"):
		t.Errorf("%s: the headline has a line break: %q", where, f.Message)
	case f.Truncated():
		t.Errorf("%s: the headline was too long and had to be cut (%d characters): %q",
			where, utf8.RuneCountInString(f.Detail[:strings.IndexByte(f.Detail+"\n", '\n')]), f.Message)
	case utf8.RuneCountInString(f.Message) > lint.MaxHeadline:
		t.Errorf("%s: the headline has %d characters, more than %d: %q", where, utf8.RuneCountInString(f.Message), lint.MaxHeadline, f.Message)
	case f.Message == "":
		t.Errorf("%s: no headline", where)
	}
	// A name left blank (see blankNames); TestTextsUnnamedContainers
	// lints every fixture again with no container named.
	for _, p := range blankNames(f.Message, true) {
		t.Errorf("%s: the headline %s: %q", where, p, f.Message)
	}
	for _, p := range blankNames(f.Detail, false) {
		t.Errorf("%s: the body %s: %q", where, p, f.Detail)
	}
	// The markers of a value known in part (model.Token) are for canpull,
	// not for readers, raw or quoted: a text shows model.Display's form.
	for part, text := range map[string]string{"headline": f.Message, "body": f.Detail, "fix": f.Fix} {
		if model.HasToken(text) || strings.ContainsRune(text, '\uE001') || strings.Contains(strings.ToLower(text), `\ue000`) {
			t.Errorf("%s: the %s shows a token's markers: %q", where, part, text)
		}
	}
	if m := pluralIsUnknown.FindString(f.Message); m != "" {
		t.Errorf("%s: the headline says %q, a plural with a singular verb", where, m)
	}
	if !f.Unverified && strings.TrimSpace(f.Detail) == "" {
		t.Errorf("%s: no body (Detail) under %q", where, f.Message)
	}
	if strings.ContainsAny(f.Fix, "\r\n") {
		t.Errorf("%s: the fix is not on one line: %q", where, f.Fix)
	}
	for _, msg := range fixProblems(f.Fix, languageOf(f.Range.Filename)) {
		t.Errorf("%s: fix %q: %s", where, f.Fix, msg)
	}
}

// pluralIsUnknown is a could-not-verify headline whose plural subject
// takes "is": "the containers of aws_ecs_task_definition.app is unknown".
var pluralIsUnknown = regexp.MustCompile(`\bthe (?:containers|secrets|awslogs options|log secretOptions|subnets) (?:of|for) [^;:]*? is unknown`)

// The languages that a fix's code is checked in.
const (
	inHCL  = "HCL"
	inJSON = "JSON"
	inYAML = "YAML"
)

// languageOf is the language of a finding's file: Terraform's HCL (.tf,
// .tf.json, .tfvars: the fix shows HCL), a JSON document, or a YAML
// CloudFormation template.
func languageOf(name string) string {
	switch ext := filepath.Ext(name); {
	case strings.HasSuffix(name, ".tf.json") || strings.HasSuffix(name, ".tofu.json"):
		return inHCL
	case ext == ".json":
		return inJSON
	case ext == ".yaml" || ext == ".yml" || ext == ".template":
		return inYAML
	}
	return inHCL
}

// fixProblems checks the code of a fix; see checkTexts.
func fixProblems(fix, lang string) []string {
	var out []string
	outside, spans := codeSpans(fix)
	if strings.Count(fix, "`")%2 == 1 {
		out = append(out, "a backquote is not closed")
	}
	switch {
	case strings.Contains(outside, " = "):
		out = append(out, `HCL ("name = value") outside backquotes, where its syntax is not checked`)
	case lang != inHCL && strings.Contains(outside, `":`):
		out = append(out, `JSON ("key": value) outside backquotes, where its syntax is not checked`)
	}
	for _, code := range spans {
		if lang == inYAML {
			// A CloudFormation template's code: YAML (flow), which JSON is.
			// A mapping has ": "; "[REGISTRY/]REPOSITORY[:TAG]" is a
			// pattern, not code.
			if strings.Contains(code, ": ") || strings.HasPrefix(code, "{") {
				if _, err := ctyyaml.Standard.Unmarshal([]byte(code), cty.DynamicPseudoType); err != nil {
					out = append(out, "`"+code+"` is not valid YAML: "+err.Error())
				}
			}
			continue
		}
		if lang == inJSON || looksLikeJSON(code) {
			if strings.Contains(code, `":`) && !parsesAsJSON(code) {
				out = append(out, "`"+code+"` is not valid JSON")
			}
			continue
		}
		if !strings.ContainsAny(code, "={") {
			continue
		}
		// An argument or a block (a body), or a value (an expression).
		_, body := hclsyntax.ParseConfig([]byte(code+"\n"), "fix.tf", hcl.InitialPos)
		_, expr := hclsyntax.ParseExpression([]byte(code), "fix.tf", hcl.InitialPos)
		if body.HasErrors() && expr.HasErrors() {
			out = append(out, "`"+code+"` does not parse as HCL: "+body.Error())
		}
	}
	return out
}

// codeSpans splits a fix into its prose (code spans left out) and its code
// spans.
func codeSpans(s string) (outside string, spans []string) {
	parts := strings.Split(s, "`")
	var prose strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			spans = append(spans, p)
			continue
		}
		prose.WriteString(p)
	}
	return prose.String(), spans
}

func looksLikeJSON(code string) bool {
	c := strings.TrimSpace(code)
	return strings.HasPrefix(c, `"`) || strings.HasPrefix(c, `{"`) || strings.HasPrefix(c, `[{"`)
}

// parsesAsJSON accepts a JSON value, or members of an object ("a": 1, "b": 2).
func parsesAsJSON(code string) bool {
	var v any
	return json.Unmarshal([]byte(code), &v) == nil || json.Unmarshal([]byte("{"+code+"}"), &v) == nil
}

// The checks must see a mistake.
func TestFixProblems(t *testing.T) {
	for _, tc := range []struct {
		fix, lang string
		wrong     bool
		reason    string
	}{
		{"set `assign_public_ip = true` in network_configuration", inHCL, false, "an argument"},
		{"add `statement { actions = [\"ecr:BatchGetImage\"] }` to the policy", inHCL, false, "a one-line block"},
		{"add `statement { actions = [\"a\"]  resources = [\"*\"] }`", inHCL, true, "a one-line block with two arguments"},
		{"set assign_public_ip = true in network_configuration", inHCL, true, "HCL outside backquotes"},
		{"set `assign_public_ip = ` in it", inHCL, true, "an argument without a value"},
		{"add `\"awslogs-group\": \"/ecs/app\"` to options", inHCL, false, "JSON in a heredoc"},
		{"run `terraform init`", inHCL, false, "a command"},
		{"set `a = 1", inHCL, true, "an open backquote"},
		{"add `{ Effect = \"Allow\", Resource = \"*\" }` to it", inHCL, false, "an object"},
		{"add `{ Effect = \"Allow\" Resource = \"*\" }` to it", inHCL, true, "an object without a comma"},
		{"set `\"assignPublicIp\": \"ENABLED\"` in awsvpcConfiguration", inJSON, false, "JSON members"},
		{"set `\"assignPublicIp\": ENABLED` in it", inJSON, true, "JSON with a bare word"},
		{`set "assignPublicIp": "ENABLED" in it`, inJSON, true, "JSON outside backquotes"},
		{"set `AssignPublicIp: ENABLED` in AwsvpcConfiguration", inYAML, false, "YAML"},
		{"set `AssumeRolePolicyDocument: {Version: \"2012-10-17\", Statement: [{Effect: Allow}]}`", inYAML, false, "YAML flow"},
		{"set `AssumeRolePolicyDocument: {Version: \"2012-10-17\", Statement: [{Effect: Allow}}`", inYAML, true, "YAML flow, unbalanced"},
		{"set AssignPublicIp = true in it", inYAML, true, "HCL outside backquotes in YAML's"},
	} {
		got := fixProblems(tc.fix, tc.lang)
		if (len(got) > 0) != tc.wrong {
			t.Errorf("%s (%s): %q: problems %q, want wrong=%v", tc.reason, tc.lang, tc.fix, got, tc.wrong)
		}
	}
}
