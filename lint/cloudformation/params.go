package cloudformation

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// Parameter values come from --param NAME=VALUE and --param-file FILE, in
// command order. A parameter file has one of the two shapes in common use:
// the AWS CLI's [{"ParameterKey": …, "ParameterValue": …}] and the
// template configuration file of CodePipeline, {"Parameters": {…}}. A
// --param for a pseudo parameter (AWS::Region, AWS::AccountId, …) gives it
// a value in every stack.

// maxParamFile bounds the size of a parameter file.
const maxParamFile = 4 << 20

// pseudoParams are the pseudo parameters a --param may set.
var pseudoParams = map[string]bool{
	"AWS::Region": true, "AWS::AccountId": true, "AWS::Partition": true, "AWS::URLSuffix": true, "AWS::StackName": true,
}

func (l *loader) readParamArgs() {
	l.rootIn = map[string]paramInput{}
	set := func(name string, v *jsontree.Value, at hcl.Range) {
		if pseudoParams[name] {
			if s, ok := scalarString(v); ok {
				l.pseudoArgs[name] = s
			}
			return
		}
		if strings.HasPrefix(name, "AWS::") {
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown pseudo parameter",
				Detail:  fmt.Sprintf("%s is not a pseudo parameter canpull can be given; it takes AWS::Region, AWS::AccountId, AWS::Partition, AWS::URLSuffix and AWS::StackName.", name),
				Subject: at.Ptr()})
			return
		}
		l.rootIn[name] = paramInput{val: v}
	}
	for _, p := range l.opts.Params {
		if p.File == "" {
			name, val, ok := strings.Cut(p.Assignment, "=")
			name = strings.TrimSpace(name)
			if !ok || name == "" {
				l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid --param",
					Detail: fmt.Sprintf("--param %q: write --param NAME=VALUE.", p.Assignment)})
				continue
			}
			set(name, strAt(val, hcl.Range{}), hcl.Range{})
			continue
		}
		l.readParamFile(p.File, set)
	}
}

func (l *loader) readParamFile(name string, set func(string, *jsontree.Value, hcl.Range)) {
	st, err := os.Stat(name)
	if err == nil && st.Size() > maxParamFile {
		err = fmt.Errorf("%s is %d bytes; a parameter file may have up to %d", name, st.Size(), maxParamFile)
	}
	var src []byte
	if err == nil {
		src, err = os.ReadFile(name)
	}
	if err != nil {
		l.diags = append(l.diags, fileDiag(name, "Cannot read parameter file", err.Error()))
		return
	}
	v, diags := jsontree.Parse(name, src, hcl.InitialPos)
	if diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return
	}
	l.res.Sources[name] = src
	bad := func(at hcl.Range, what string) {
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid parameter file",
			Detail:  what + ` A parameter file is [{"ParameterKey": "Name", "ParameterValue": "value"}, …] or {"Parameters": {"Name": "value", …}}.`,
			Subject: at.Ptr()})
	}
	switch v.Kind {
	case jsontree.Array:
		for _, it := range v.Items {
			if it.Kind == jsontree.String {
				// The "Name=value" strings that aws cloudformation deploy
				// reads with --parameter-overrides.
				if k, val, ok := strings.Cut(it.Str, "="); ok && k != "" {
					set(k, strAt(val, it.Range), it.Range)
					continue
				}
			}
			km, vm := it.Get("ParameterKey"), it.Get("ParameterValue")
			if km == nil || km.Value.Kind != jsontree.String {
				bad(it.Range, "This entry has no ParameterKey.")
				continue
			}
			if vm == nil {
				if up := it.Get("UsePreviousValue"); up != nil && up.Value.Kind == jsontree.Bool && up.Value.Bool {
					l.rootIn[km.Value.Str] = paramInput{why: "parameter " + km.Value.Str + " keeps the value of the stack already deployed (UsePreviousValue)"}
					continue
				}
				bad(it.Range, "This entry has no ParameterValue.")
				continue
			}
			set(km.Value.Str, vm.Value, vm.Value.Range)
		}
	case jsontree.Object:
		pm := v.Get("Parameters")
		if pm == nil || pm.Value.Kind != jsontree.Object {
			bad(v.Range, "The file has no Parameters object.")
			return
		}
		for _, m := range pm.Value.Members {
			set(m.Key, m.Value, m.Value.Range)
		}
	default:
		bad(v.Range, "The file holds neither a list nor an object.")
	}
}
