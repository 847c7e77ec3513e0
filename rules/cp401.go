package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/edit"
	"github.com/canpull/canpull/lint/model"
)

var UnknownField = register(&lint.Rule{
	ID:        "CP401",
	Name:      "unknown-field",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"schema"},
	Summary:   "A task definition, container definition or service has a key that ECS does not know: the key is dropped or refused, and the setting it was meant to be is never made.",
	Run:       runUnknownField,
})

func runUnknownField(pass *lint.Pass) {
	cfg := pass.Config
	cfn := cfg.Source == model.SourceCloudFormation
	tdSchema, svcSchema := ecsschema.TaskDefinition, ecsschema.Service
	if cfn {
		// The resources' Properties, in CloudFormation's spelling.
		tdSchema, svcSchema = ecsschema.CFNTaskDefinition(), ecsschema.CFNService()
	}
	for _, td := range cfg.TaskDefinitions {
		if td.Fields != nil {
			// An ECS JSON document or a template's resource: its
			// containers are inside it.
			w := fieldWalk{pass: pass, owner: td.Addr, doc: "task definition " + name(td), json: true, cfn: cfn}
			w.check(td.Fields, tdSchema, "")
			continue
		}
		// Terraform checks its own arguments; container_definitions is
		// JSON that only AWS reads.
		for i, c := range td.Containers {
			if c.Fields == nil {
				continue
			}
			w := fieldWalk{pass: pass, owner: td.Addr, doc: "container definition " + containerLabel(td, c) + " of " + name(td), td: td}
			w.check(c.Fields, ecsschema.ContainerDefinition, fmt.Sprintf("containerDefinitions[%d]", i))
		}
	}
	for _, s := range cfg.Services {
		if s.Fields != nil {
			w := fieldWalk{pass: pass, owner: s.Addr, doc: "service " + name(s), json: true, cfn: cfn}
			w.check(s.Fields, svcSchema, "")
		}
	}
}

// fieldWalk checks one document's keys against the schema.
type fieldWalk struct {
	pass  *lint.Pass
	owner string // the object's address, for finding keys
	doc   string // "task definition my-app", for messages
	// json is true for ECS JSON documents, which the AWS CLI validates;
	// false for container_definitions in Terraform, which the provider
	// decodes leniently.
	json bool
	// cfn is true for the Properties of a CloudFormation resource, which
	// CloudFormation validates when it deploys the stack.
	cfn bool
	// td is the Terraform task definition whose containers are walked.
	td *model.TaskDefinition
	// renamed are the keys that edits give, by object: two misspellings
	// of one key get one edit.
	renamed map[*model.Doc]map[string]bool
}

// setOnResource reports whether a task-level field written by mistake
// inside container_definitions is also set on the Terraform resource, so
// that the stray key changes nothing. Fields the model does not carry
// count as not set.
func (w *fieldWalk) setOnResource(field string) bool {
	if w.td == nil {
		return false
	}
	switch field {
	case "networkMode":
		return w.td.NetworkMode.Set
	case "family":
		return w.td.Family.Set
	case "requiresCompatibilities":
		return w.td.RequiresCompatibilities.Set
	case "executionRoleArn":
		return !w.td.ExecutionRole.IsZero()
	case "taskRoleArn":
		return !w.td.TaskRole.IsZero()
	}
	return false
}

// check walks doc, an object of kind o written at path (in the AWS CLI's
// notation: "containerDefinitions[0].logConfiguration").
func (w *fieldWalk) check(doc *model.Doc, o *ecsschema.Object, path string) {
	for _, fld := range doc.Fields {
		fd := o.Field(fld.Key)
		if fd == nil {
			w.report(doc, fld, o, path)
			continue
		}
		if fd.Object == nil {
			continue
		}
		p := joinPath(path, fld.Key)
		if fld.Object != nil {
			w.check(fld.Object, fd.Object, p)
		}
		for i, el := range fld.Array {
			w.check(el, fd.Object, fmt.Sprintf("%s[%d]", p, i))
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (w *fieldWalk) report(doc *model.Doc, fld model.DocField, o *ecsschema.Object, path string) {
	if !w.json && !w.cfn && commentKey(fld.Key) {
		return // the provider drops it, as its author meant
	}
	sug, ok := ecsschema.Suggest(fld.Key, o, misplacedIn(o)...)
	if ok && sug.Elsewhere && sug.Field.Name == fld.Key && w.setOnResource(fld.Key) {
		return // a task-level key repeated in a container: the resource sets it
	}
	f := lint.Finding{
		Severity: lint.Warning,
		Range:    fld.KeyRange,
		Key:      w.owner + "/" + joinPath(path, fld.Key),
	}
	where := w.doc
	knower := "ECS"
	if w.cfn {
		knower = "CloudFormation"
	}
	head := fmt.Sprintf("%s has the key %q, which %s does not know", where, fld.Key, knower)
	if path != "" && !topLevel(o) {
		where += " (" + path + ")"
	}
	var hint, why string // hint ends the headline when it fits
	switch {
	case !ok && w.cfn:
		why = fmt.Sprintf("No property of %s is close to %q.", article(o.Name), fld.Key)
		f.Fix = fmt.Sprintf("remove %q, or spell it as the CloudFormation template reference does for AWS::ECS::%s", fld.Key, o.Name)
	case !ok:
		why = fmt.Sprintf("No field of %s is close to %q.", article(o.Name), fld.Key)
		f.Fix = fmt.Sprintf("remove %q, or spell it as the ECS API reference does for %s", fld.Key, o.Name)
	case sug.Elsewhere:
		hint = fmt.Sprintf("; %s is a field of %s", sug.Field.Name, article(sug.Field.Parent.Name))
		why = fmt.Sprintf("%s is a field of %s, not of %s.", sug.Field.Name, article(sug.Field.Parent.Name), article(o.Name))
		f.Fix = w.moveFix(sug.Field)
	case sug.Variant && w.cfn:
		hint = fmt.Sprintf("; did you mean %q?", sug.Field.Name)
		why = "CloudFormation property names are case-sensitive PascalCase."
		f.Fix = fmt.Sprintf("rename %q to %q", fld.Key, sug.Field.Name)
	case sug.Variant && w.json:
		hint = fmt.Sprintf("; did you mean %q?", sug.Field.Name)
		why = "ECS keys are case-sensitive camelCase."
		f.Fix = fmt.Sprintf("rename %q to %q", fld.Key, sug.Field.Name)
	case sug.Variant:
		hint = fmt.Sprintf("; did you mean %q?", sug.Field.Name)
		why = "Inside container_definitions the keys are the ECS API's camelCase, not Terraform's snake_case."
		f.Fix = fmt.Sprintf("rename %q to %q", fld.Key, sug.Field.Name)
	default:
		hint = fmt.Sprintf("; did you mean %q?", sug.Field.Name)
		f.Fix = fmt.Sprintf("rename %q to %q", fld.Key, sug.Field.Name)
	}
	if ok && sug.Field.Pull {
		f.Severity = lint.Error
	}
	if ok && !sug.Elsewhere {
		w.renameFix(doc, fld, sug.Field.Name).apply(&f)
	}
	if len(head+hint) <= lint.MaxHeadline {
		head += hint
	} else if why == "" {
		why = fmt.Sprintf("Did you mean %q?", sug.Field.Name)
	}
	if where != w.doc {
		why = fmt.Sprintf("The key is in %s. %s", where, why)
	}
	consequence := w.consequence(fld.Key, path, sug, ok)
	if w.cfn {
		consequence = w.refusal(fld.Key, path)
	}
	f.Message = head
	f.Detail = strings.TrimSpace(why + " " + consequence)
	w.pass.Report(f)
}

// commentKey reports whether a key is a comment written the only way JSON
// allows: "//", "#…", "_comment". Such a key is no misspelling.
func commentKey(key string) bool {
	if strings.HasPrefix(key, "//") || strings.HasPrefix(key, "#") {
		return true
	}
	rest := strings.TrimLeft(strings.ToLower(key), "_")
	return strings.HasPrefix(key, "_") && (rest == "comment" || rest == "comments")
}

// renameFix is the edit that renames a misspelt key to the one meant,
// unless the object has that key already or another edit gives it.
func (w *fieldWalk) renameFix(doc *model.Doc, fld model.DocField, to string) autofix {
	if doc.Get(to) != nil {
		return noFix("the object has %q already: keep one of the two by hand", to)
	}
	if w.renamed[doc][to] {
		return noFix("another key of the object is renamed to %q already", to)
	}
	src, why := editable(w.pass, fld.KeyRange, w.owner)
	if why != "" {
		return autofix{why: why}
	}
	a := oneEdit(edit.RenameKey(src, fld.KeyRange, fld.Key, to))
	if len(a.edits) > 0 {
		if w.renamed == nil {
			w.renamed = map[*model.Doc]map[string]bool{}
		}
		if w.renamed[doc] == nil {
			w.renamed[doc] = map[string]bool{}
		}
		w.renamed[doc][to] = true
	}
	return a
}

// misplacedIn lists the objects where a key written in o may belong
// instead: task-level keys written into a container definition, and the
// other way round.
func misplacedIn(o *ecsschema.Object) []*ecsschema.Object {
	switch o {
	case ecsschema.ContainerDefinition:
		return []*ecsschema.Object{ecsschema.TaskDefinition}
	case ecsschema.TaskDefinition:
		return []*ecsschema.Object{ecsschema.ContainerDefinition}
	case ecsschema.CFNContainerDefinition():
		return []*ecsschema.Object{ecsschema.CFNTaskDefinition()}
	case ecsschema.CFNTaskDefinition():
		return []*ecsschema.Object{ecsschema.CFNContainerDefinition()}
	}
	return nil
}

// topLevel reports whether o is a whole document or container definition,
// which the message names without a path.
func topLevel(o *ecsschema.Object) bool {
	switch o {
	case ecsschema.ContainerDefinition, ecsschema.TaskDefinition, ecsschema.Service,
		ecsschema.CFNContainerDefinition(), ecsschema.CFNTaskDefinition(), ecsschema.CFNService():
		return true
	}
	return false
}

// refusal says what CloudFormation does with a key it does not know in an
// AWS::ECS::* resource: it validates the properties against the resource's
// schema when it deploys the stack, and the deployment fails there.
func (w *fieldWalk) refusal(key, path string) string {
	logical := w.owner[strings.LastIndexByte(w.owner, '.')+1:]
	if path == "" {
		return fmt.Sprintf("CloudFormation refuses it when it deploys the stack (`Encountered unsupported property %s`), and nothing of the stack is created or updated.", key)
	}
	return fmt.Sprintf("CloudFormation refuses it when it deploys the stack (`Properties validation failed for resource %s with message: #/%s: extraneous key [%s] is not permitted`), and nothing of the stack is created or updated.",
		logical, cfnPointer(path), key)
}

// cfnPointer writes a path in the notation of CloudFormation's validation
// messages: ContainerDefinitions[0].LogConfiguration becomes
// ContainerDefinitions/0/LogConfiguration.
func cfnPointer(path string) string {
	r := strings.NewReplacer("[", "/", "]", "", ".", "/")
	return r.Replace(path)
}

// consequence says what AWS does with the key, and what that costs when
// the key was meant to be a field that matters for pulling.
func (w *fieldWalk) consequence(key, path string, sug ecsschema.Suggestion, ok bool) string {
	var out string
	if w.json {
		in := path
		if in == "" {
			in = "input"
		}
		out = fmt.Sprintf("The AWS CLI refuses the document (`Parameter validation failed: Unknown parameter in %s: %q, must be one of: ...`), and tools that call the API through an SDK drop the key without a word", in, key)
	} else {
		out = "The Terraform provider drops it without a word"
	}
	if !ok {
		return out + "."
	}
	if effect := pullEffect[sug.Field.API]; effect != "" && sug.Field.Pull {
		return out + ", so " + effect
	}
	return out + fmt.Sprintf(", so %s is never set.", sug.Field.Name)
}

// pullEffect is what losing a field that matters for pulling leads to.
var pullEffect = map[string]string{
	"executionRoleArn": "the task definition has no execution role: without it no private ECR image, registry credential or secret can be fetched " +
		"(`ResourceInitializationError: unable to pull secrets or registry auth`), and on Fargate AWS refuses the task definition (CP101).",
	"repositoryCredentials": "the container has no registry credentials and pulls anonymously: a private image fails with `pull access denied`, and Docker Hub limits anonymous pulls (`toomanyrequests`).",
	"credentialsParameter":  "the registry credentials name no secret, and the pull cannot authenticate: `CannotPullContainerError: ... pull access denied`.",
	"image":                 "the container has no image: `ClientException: Container.image should not be null or empty.`",
	"containerDefinitions":  "the task definition has no containers: `ClientException: Container list cannot be empty.`",
	"runtimePlatform":       "the task runs on the default platform, Linux on X86_64, and an image built for another fails: `image Manifest does not contain descriptor matching platform`.",
	"cpuArchitecture":       "the task runs on X86_64, and an image built for ARM64 fails: `image Manifest does not contain descriptor matching platform 'linux/amd64'`.",
	"operatingSystemFamily": "the task runs on Linux, and a Windows image fails: `image Manifest does not contain descriptor matching platform`.",
	"networkConfiguration":  "the service has no network configuration, and its tasks do not get the subnets and public IP written here: they may not reach the registry (`CannotPullContainerError: ... i/o timeout`).",
	"awsvpcConfiguration":   "the service has no subnets, security groups or public IP setting, and its tasks may not reach the registry (`CannotPullContainerError: ... i/o timeout`).",
	"subnets":               "the tasks do not run in the subnets written here.",
	"securityGroups":        "the tasks get the VPC's default security group instead of the ones written here, and may not reach the registry (`CannotPullContainerError: ... i/o timeout`).",
	"assignPublicIp":        "the tasks get no public IP (the default is DISABLED): in a subnet whose only way out is an internet gateway they never reach the registry (`CannotPullContainerError: ... i/o timeout`).",
}

// moveFix says where a field written in the wrong object belongs.
func (w *fieldWalk) moveFix(fd *ecsschema.Field) string {
	switch {
	case fd.Parent == ecsschema.CFNTaskDefinition():
		return fmt.Sprintf("move %q to the Properties of the AWS::ECS::TaskDefinition", fd.Name)
	case fd.Parent == ecsschema.CFNContainerDefinition():
		return fmt.Sprintf("move %q into the container definition it belongs to, in ContainerDefinitions", fd.Name)
	case fd.Parent == ecsschema.TaskDefinition && !w.json:
		return fmt.Sprintf("set `%s` on the aws_ecs_task_definition resource instead of inside container_definitions", snakeCase(fd.Name))
	case fd.Parent == ecsschema.TaskDefinition:
		return fmt.Sprintf("move %q to the top level of the task definition", fd.Name)
	}
	return fmt.Sprintf("move %q into the container definition it belongs to, in containerDefinitions", fd.Name)
}

// snakeCase turns an ECS field name into the Terraform argument's:
// executionRoleArn → execution_role_arn.
func snakeCase(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				out = append(out, '_')
			}
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

// article names an ECS object type for messages: "a ContainerDefinition".
func article(typ string) string {
	switch typ[0] {
	case 'A', 'E', 'I', 'O', 'U':
		return "an " + typ
	}
	return "a " + typ
}
