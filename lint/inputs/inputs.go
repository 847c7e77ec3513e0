// Package inputs lists the inputs canpull reads, in the order the driver
// offers them each file. The command and the tests both take the list from
// here, so that a test runs what a user runs.
package inputs

import (
	"github.com/canpull/canpull/lint/cloudformation"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/taskdef"
	"github.com/canpull/canpull/lint/terraform"
	"github.com/canpull/canpull/lint/tfplan"
)

// Options are the settings of each input.
type Options struct {
	Terraform      terraform.Options
	CloudFormation cloudformation.Options
}

// All returns every input, made with its settings. A file goes to the first
// that claims it: the inputs that decide by name come first, then those
// that decide by content, the one with the surest signature first: a plan
// by its top-level keys (it may hold a CloudFormation template, or a task
// definition, in a string), then templates, and ECS JSON, recognised by
// its keys, last (plan JSON and templates hold the same keys).
func All(opts Options) []input.Input {
	return []input.Input{
		terraform.NewInput(opts.Terraform),
		tfplan.NewInput(),
		cloudformation.NewInput(opts.CloudFormation),
		taskdef.NewInput(),
	}
}
