package rules

import (
	"regexp"

	"github.com/canpull/canpull/lint"
)

// A Terraform plan has the value of every variable, and every module on
// disk: what it does not know, Terraform learns only at apply (an ID the
// plan creates, a value it marks sensitive). A rule that stops on an
// unknown says how a Terraform user gives it a value (--var); for a plan,
// inPlan says instead where canpull can learn more.

// inPlan wraps a rule's Run: on a configuration read from a plan, the
// advice of its could-not-verify notes goes through planAdvice.
func inPlan(run func(*lint.Pass)) func(*lint.Pass) {
	if run == nil {
		return nil
	}
	return func(pass *lint.Pass) {
		if !pass.Config.Plan {
			run(pass)
			return
		}
		run(pass.WithReport(func(f lint.Finding) {
			if f.Unverified {
				f.Fix = varsAdvice.ReplaceAllString(f.Fix, afterApply)
			}
			pass.Report(f)
		}))
	}
}

// varsAdvice matches the rules' advice to give variables values (and to
// run terraform init), in all its phrasings.
var varsAdvice = regexp.MustCompile(`give the variables? (?:(?:it|they|that its routes|its policy) depends? on )?(?:a )?values?` +
	`(?: with --var-file or --var| \(--var, --var-file\)| \(--var-file, --var\))?(?:,? (?:and )?run terraform init,?)?`)

// afterApply is the advice for a plan.
const afterApply = "lint the Terraform configuration too (the plan learns this only at apply; there canpull follows the references)"
