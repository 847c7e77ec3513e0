package cloudformation

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/input"
)

// A template of a few kilobytes can ask for gigabytes: a long Fn::Split
// in every resource, a list parameter of a million items used a thousand
// times, stacks that each nest thirty others. Evaluation therefore runs on
// a budget per root stack (the stack and the stacks nested in it), charged
// where values are built, as the Terraform evaluator's is per root module:
// a hostile template ends in an error at the expression that went over,
// and the other stacks of the run are evaluated as usual. The same idea as
// lint/terraform/budget, on jsontree values instead of cty ones.

// Limits bound the evaluation of one root stack with its nested stacks.
type Limits struct {
	// Memory is the bytes of values its evaluation may build: a string's
	// bytes, valueBytes per element of a list or object, a part shared by
	// several values counted each time it is used.
	Memory int64
	// Work is the steps it may take: one per value evaluated, one per
	// element that Fn::Split makes or a copy visits.
	Work int64
	// Stacks is how many stacks it may hold, the root included.
	Stacks int
}

// DefaultLimits are far above what real templates need (the fixtures use a
// few KiB and a few hundred steps each; CloudFormation itself takes
// templates of up to 1 MB, 500 resources each, and 2,000 stacks per account
// and Region by default) and keep a run's heap small.
var DefaultLimits = Limits{Memory: 64 << 20, Work: 2_000_000, Stacks: 2000}

// maxTotalMemory bounds the values built for all the templates of a run,
// which are kept until the rules have read them.
const maxTotalMemory = 512 << 20

// valueBytes is what one element costs: a jsontree.Value and its slot.
const valueBytes = 160

// meter is the budget of one root stack.
type meter struct {
	root          *stack
	memory, work  int64
	stacks        int
	stopped       bool
	stacksReached bool
}

// meterOf is the meter of the root stack above st.
func (l *loader) meterOf(st *stack) *meter {
	root := rootOf(st)
	m := l.meters[root]
	if m == nil {
		m = &meter{root: root, stacks: 1}
		l.meters[root] = m
	}
	return m
}

// stopped reports whether the evaluation of st's root must stop: its
// budget ran out, or the run's time did.
func (l *loader) stopped(st *stack) bool {
	if l.ctxDone {
		return true
	}
	return l.meterOf(st).stopped
}

// spend charges work steps and memory bytes built at rng to st's root. It
// returns false, after saying so once, when they do not fit: the caller
// then gives an unknown value, as every evaluation of that root does from
// then on.
func (l *loader) spend(st *stack, work, memory int64, rng hcl.Range) bool {
	if l.stopped(st) {
		return false
	}
	m := l.meterOf(st)
	if work > 0 {
		// The run's deadline, looked at every few thousand steps.
		if m.work/4096 != (m.work+work)/4096 && l.ctx.Err() != nil {
			l.ctxDone = true
			l.diags = append(l.diags, input.NotFinished(l.ctx, m.root.file.name))
			return false
		}
		m.work += work
		if m.work > l.limits.Work {
			l.overrun(m, rng, "Template evaluation does too much work",
				fmt.Sprintf("Evaluating this expression would take more than %d steps for %s, the most canpull allows (outputs or properties that read each other many times, or large values copied again and again?).", l.limits.Work, m.what()))
			return false
		}
	}
	if memory > 0 {
		m.memory += memory
		l.totalMemory += memory
		switch {
		case m.memory > l.limits.Memory:
			l.overrun(m, rng, "Template evaluation uses too much memory",
				fmt.Sprintf("Evaluating this expression would build more than %s of values for %s, the most canpull allows (a long Fn::Split, or a large list, mapping or string used many times?).", bytesText(l.limits.Memory), m.what()))
			return false
		case l.totalMemory > maxTotalMemory:
			l.overrun(m, rng, "Template evaluation uses too much memory",
				fmt.Sprintf("Evaluating this expression would take the values built for all the templates of this run past %s, the most canpull keeps.", bytesText(maxTotalMemory)))
			return false
		}
	}
	return true
}

// tooLarge stops st's root at a string longer than maxString.
func (l *loader) tooLarge(st *stack, rng hcl.Range) {
	if l.stopped(st) {
		return
	}
	l.overrun(l.meterOf(st), rng, "Value too large",
		fmt.Sprintf("Evaluating this expression would build a string of more than %s, longer than any value CloudFormation takes (a template is at most 1 MB). A string doubled again and again?", bytesText(maxString)))
}

func (l *loader) overrun(m *meter, rng hcl.Range, summary, detail string) {
	m.stopped = true
	l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary,
		Detail:  detail + " canpull stopped evaluating this stack here; what it had not evaluated yet is unknown.",
		Subject: rng.Ptr()})
}

// addStackAllowed counts a stack that r of parent would create, and says
// once, at the first r past the limit, that there are too many.
func (l *loader) addStackAllowed(parent *stack, r *resource) bool {
	m := l.meterOf(parent)
	if m.stacks+1 > l.limits.Stacks {
		if !m.stacksReached {
			m.stacksReached = true
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too many nested stacks",
				Detail: fmt.Sprintf("The stack of %s and the stacks nested in it would be more than %d stacks, the most canpull reads (templates that each nest many others?); CloudFormation's default quota is 2,000 stacks per account and Region. canpull does not read this nested stack, or the ones after it.",
					m.root.file.name, l.limits.Stacks),
				Subject: r.keyRange.Ptr()})
		}
		return false
	}
	m.stacks++
	return true
}

// what names the stacks a meter serves.
func (m *meter) what() string {
	return "the stack of " + m.root.file.name + " with its nested stacks"
}

// bytesText writes n bytes in MiB, KiB or bytes, whichever is whole.
func bytesText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
