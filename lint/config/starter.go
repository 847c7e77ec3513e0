package config

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
)

// Starter is the commented configuration file that `canpull init` writes:
// every setting, commented out, with what it does, and a rule block for
// each rule with its default severity. It parses as an empty configuration.
func Starter(rules []*lint.Rule) string {
	var b strings.Builder
	b.WriteString(`# canpull configuration. For each path it lints, canpull reads the nearest
# .canpull.hcl, walking up from the path to the root of its repository, or
# the file given with --config. Every setting is optional; a flag on the
# command line wins over the same setting here. Paths and patterns are
# relative to this file's folder.
# Documentation: https://github.com/canpull/canpull#configuration

# Exit 1 on findings at or above this severity: error, warning, note, never.
# fail_on = "warning"

# The 12-digit AWS account the tasks run in (cross-account ECR checks).
# account_id = "123456789012"

# Terraform variable files, read in order after terraform.tfvars and
# *.auto.tfvars; later files win.
# var_files = ["env/prod.tfvars"]

# CloudFormation parameter values, and parameter files in either shape
# ([{"ParameterKey": …, "ParameterValue": …}] or {"Parameters": {…}});
# --param and --param-file win. AWS::Region and AWS::AccountId may be given
# too, for templates that leave them to the deployment.
# params = { "AWS::Region" = "eu-west-1" }
# param_files = ["params/prod.json"]

# Files and folders not to read or report on. * and ? match within a name,
# ** any number of folders; a folder covers everything under it.
# exclude = ["examples", "**/testdata"]

# Report, as notes, each place where a check stopped on an unknown fact.
# show_unverified = false

# Ask each image's registry whether the image exists, for the task's
# platform, and fits its storage (CP308-CP310). Opens the network.
# check_images = false

# Stop after this long: what is finished is reported, what is not is an
# error (exit 2). Each root module also has 30 seconds and a memory budget.
# timeout = "5m"

# Report only the findings that are not in this baseline file, written by
# canpull --write-baseline FILE; --baseline wins.
# baseline = "canpull-baseline.json"

# Turn a rule off, or change its severity (error, warning, note). Name a
# rule by its ID or its name:
#
# rule "dockerhub-anonymous" {
#   enabled = false
# }
#
# The rules, with their default severities:
`)
	width := 0
	for _, r := range rules {
		width = max(width, len(r.ID)+len(r.Severity.String()))
	}
	for _, r := range rules {
		pad := strings.Repeat(" ", width-len(r.ID)-len(r.Severity.String()))
		fmt.Fprintf(&b, "# rule %q { severity = %q }%s # %s\n", r.ID, r.Severity.String(), pad, r.Name)
	}
	b.WriteString(`
# Suppress findings in some files, with a reason that SARIF shows. This is the
# way to silence findings in JSON files, which have no comments; in HCL, write
# "# canpull:ignore RULE reason" next to the finding instead.
# ignore {
#   rules  = ["dockerhub-anonymous"] # IDs, names, or "all"
#   paths  = ["ecs/legacy-*.json"]
#   reason = "these images move to ECR next quarter"
# }
`)
	return b.String()
}
