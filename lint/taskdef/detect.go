// Package taskdef loads Amazon ECS documents written as JSON: the input of
// register-task-definition and create-service, and the output of
// describe-task-definition and describe-services.
package taskdef

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// Kind is the kind of ECS document a file holds.
type Kind int

const (
	None Kind = iota
	RegisterTaskDefinition
	DescribeTaskDefinition
	CreateService
	DescribeServices
)

func (k Kind) String() string {
	switch k {
	case RegisterTaskDefinition:
		return "register-task-definition input"
	case DescribeTaskDefinition:
		return "describe-task-definition output"
	case CreateService:
		return "create-service input"
	case DescribeServices:
		return "describe-services output"
	}
	return "not an ECS document"
}

// Detect reports which ECS document src is, by its keys rather than its
// file name. It returns None for any other JSON: package.json, Terraform
// .tf.json and plan files, and so on. For src that is not valid JSON it
// guesses from the key names, so that a broken task definition is still
// loaded and reported rather than skipped.
func Detect(src []byte) Kind {
	k := detect(src)
	return k
}

// Every ECS document has one of these in a key name (containerDefinitions,
// taskDefinition, family, serviceName, services); most JSON files have none
// and are dismissed without parsing. Fewer, rarer needles scan faster.
var ecsKeys = [][]byte{[]byte(`Definition`), []byte(`"family"`), []byte(`"service`)}

// detect returns the kind of src; invalid JSON is classified by its key
// names, so that a broken ECS document is reported rather than skipped.
func detect(src []byte) Kind {
	if !startsWithObject(src) || !containsAny(src, ecsKeys) {
		return None
	}
	// The top-level keys decide, except for the wrappers of
	// describe-task-definition and describe-services, whose contents
	// matter too: look one or three levels deep. Deeper levels are checked
	// but not built, so a large Terraform plan costs little.
	v, diags := jsontree.ParseShallow("", src, hcl.InitialPos, 1)
	if diags.HasErrors() {
		return guess(src)
	}
	if td, sv := v.Get("taskDefinition"), v.Get("services"); td != nil && td.Value.Kind == jsontree.Object ||
		sv != nil && sv.Value.Kind == jsontree.Array {
		v, _ = jsontree.ParseShallow("", src, hcl.InitialPos, 3)
	}
	return classify(v)
}

func startsWithObject(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	src = bytes.TrimLeft(src, " \t\r\n")
	return len(src) > 0 && src[0] == '{'
}

func containsAny(src []byte, keys [][]byte) bool {
	for _, k := range keys {
		if bytes.Contains(src, k) {
			return true
		}
	}
	return false
}

// classify looks at the top-level keys of a parsed document.
func classify(v *jsontree.Value) Kind {
	if v.Kind != jsontree.Object {
		return None
	}
	if m := v.Get("taskDefinition"); m != nil && m.Value.Kind == jsontree.Object &&
		(m.Value.Get("containerDefinitions") != nil || m.Value.Get("family") != nil) {
		return DescribeTaskDefinition
	}
	if m := v.Get("taskDefinition"); m != nil && m.Value.Kind == jsontree.String && v.Get("serviceName") != nil {
		return CreateService
	}
	if m := v.Get("services"); m != nil && m.Value.Kind == jsontree.Array && isServiceList(v, m.Value) {
		return DescribeServices
	}
	if v.Get("containerDefinitions") != nil {
		return RegisterTaskDefinition
	}
	if m := v.Get("family"); m != nil && m.Value.Kind == jsontree.String && familyDoc(v) {
		return RegisterTaskDefinition
	}
	return None
}

func isServiceList(doc, list *jsontree.Value) bool {
	if len(list.Items) == 0 {
		// An empty answer still has its failures list.
		return doc.Get("failures") != nil
	}
	for _, it := range list.Items {
		if it.Get("serviceName") != nil || it.Get("serviceArn") != nil {
			return true
		}
	}
	return false
}

// familyDoc reports whether an object with a string "family" but no
// containerDefinitions is a task definition rather than, say, a font
// description: family must be alone or beside another task-definition key.
func familyDoc(v *jsontree.Value) bool {
	if len(v.Members) == 1 {
		return true
	}
	for _, m := range v.Members {
		if taskDefinitionKeys[m.Key] || strings.HasSuffix(m.Key, "RoleArn") {
			return true
		}
	}
	return false
}

// taskDefinitionKeys are the top-level keys of RegisterTaskDefinition's
// request and of the TaskDefinition that DescribeTaskDefinition returns,
// less the generic ones (tags, status).
var taskDefinitionKeys = map[string]bool{
	"taskRoleArn": true, "executionRoleArn": true, "networkMode": true, "volumes": true,
	"placementConstraints": true, "requiresCompatibilities": true, "cpu": true, "memory": true,
	"pidMode": true, "ipcMode": true, "proxyConfiguration": true, "inferenceAccelerators": true,
	"ephemeralStorage": true, "runtimePlatform": true, "enableFaultInjection": true,
	"taskDefinitionArn": true, "revision": true, "compatibilities": true, "requiresAttributes": true,
	"registeredAt": true, "registeredBy": true,
}

// guess names the kind of a document that is not valid JSON from the key
// names it contains. It is deliberately narrow: only names that no other
// common JSON file uses.
func guess(src []byte) Kind {
	if !startsWithObject(src) {
		return None
	}
	has := func(k string) bool { return bytes.Contains(src, []byte(`"`+k+`"`)) }
	switch {
	case has("services") && has("serviceName"):
		return DescribeServices
	case has("serviceName") && has("taskDefinition"):
		return CreateService
	case has("containerDefinitions") && has("taskDefinition"):
		return DescribeTaskDefinition
	case has("containerDefinitions"):
		return RegisterTaskDefinition
	}
	return None
}
