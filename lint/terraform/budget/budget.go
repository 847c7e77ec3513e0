// Package budget bounds what evaluating an untrusted Terraform configuration
// may cost, so that a hostile or unlucky file ends in a clear error at the
// expression that went too far instead of exhausting the machine.
//
// A Budget serves the evaluation of one root module and has two meters,
// charged where the cost is incurred:
//
//   - Memory: the bytes of the values that evaluation builds. A string costs
//     its bytes, charged before a template, a %{for} directive or a function
//     joins it into a longer one; a collection costs 32 bytes per element at
//     every level, charged when a tuple, object, for expression, splat or
//     function builds it, counting a part that it shares with another value
//     each time it is used. So no value can be larger, however it is walked
//     later, than what the budget allows: a tuple doubled 79 times stops
//     at about the 22nd doubling, not in a walk of 2^79 elements.
//   - Work: the elements that function calls read (go-cty walks every
//     argument of every call), the iterations of for expressions and
//     %{for} directives, and the calls themselves.
//
// A Budget also stops when its context is done (the root module's timeout,
// the run's deadline). Once stopped, for whatever reason, every guarded
// expression returns an unknown value at once, so that an evaluation ends
// within one step instead of running on; the first expression that went over
// a meter is blamed in Diagnostic.
package budget

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
)

// Limits are the sizes of a Budget's meters.
type Limits struct {
	// Memory is the bytes of values one root module's evaluation may build.
	Memory int64
	// Work is the elements its function calls may read plus the iterations
	// of its loops.
	Work int64
}

// DefaultLimits are far above what real configurations need (the largest
// public ones we measured build a few MiB of values) and still keep a run's
// heap small: canpull evaluates at most a few root modules at once.
var DefaultLimits = Limits{Memory: 64 << 20, Work: 20_000_000}

// Costs in bytes and units of work.
const (
	// ElementBytes is what one element of a collection costs: a cty.Value
	// and its slot in the collection.
	ElementBytes = 32
	// CallWork is what a function call costs besides reading its
	// arguments, and IterationWork what one iteration of a for expression
	// or splat costs: both take hcl and go-cty about as long as reading
	// 64 elements.
	CallWork      = 64
	IterationWork = 64
	// ReadElementWork is what go-cty's walk of one element of a function's
	// argument or a compared value costs (it allocates a path and a slice
	// entry per element): about 16 type comparisons.
	ReadElementWork = 16
)

// Budget is the allowance of one root module's evaluation. Its methods may be
// called from any goroutine; a nil *Budget is unlimited and never stops.
type Budget struct {
	limits  Limits
	memory  atomic.Int64 // spent
	work    atomic.Int64 // spent
	stopped atomic.Bool
	ctx     context.Context // nil: never done

	mu    sync.Mutex
	cause error      // why it stopped
	blame *hcl.Range // the first expression that went over a meter
}

// New returns a Budget with the given limits (DefaultLimits for a zero
// field) that also stops when ctx is done.
func New(ctx context.Context, l Limits) *Budget {
	if l.Memory <= 0 {
		l.Memory = DefaultLimits.Memory
	}
	if l.Work <= 0 {
		l.Work = DefaultLimits.Work
	}
	b := &Budget{limits: l}
	if ctx != nil && ctx.Done() != nil {
		b.ctx = ctx
	}
	return b
}

// Limits returns the Budget's limits.
func (b *Budget) Limits() Limits { return b.limits }

// Stopped reports whether evaluation must stop: a meter ran out or the
// context is done. It is cheap enough for every step (two atomic loads).
func (b *Budget) Stopped() bool {
	if b == nil {
		return false
	}
	if b.stopped.Load() {
		return true
	}
	if b.ctx != nil && b.ctx.Err() != nil {
		b.stop(context.Cause(b.ctx))
		return true
	}
	return false
}

// Err returns why the Budget stopped: an *ExceededError, the context's error,
// or nil while it runs.
func (b *Budget) Err() error {
	if !b.Stopped() {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cause
}

// Spent returns what has been charged to each meter so far.
func (b *Budget) Spent() Limits {
	if b == nil {
		return Limits{}
	}
	return Limits{Memory: b.memory.Load(), Work: b.work.Load()}
}

func (b *Budget) stop(cause error) {
	b.mu.Lock()
	if b.cause == nil {
		b.cause = cause
	}
	b.mu.Unlock()
	b.stopped.Store(true)
}

// SpendMemory charges n bytes of values built. It returns the Budget's error
// when it is stopped or n does not fit.
func (b *Budget) SpendMemory(n int64) error {
	return b.spend(&b.memory, n, b.limits.Memory, "memory")
}

// SpendWork charges n units of work.
func (b *Budget) SpendWork(n int64) error {
	return b.spend(&b.work, n, b.limits.Work, "work")
}

func (b *Budget) spend(meter *atomic.Int64, n, limit int64, name string) error {
	if b == nil {
		return nil
	}
	if b.Stopped() {
		return b.Err()
	}
	if n <= 0 {
		return nil
	}
	if meter.Add(n) > limit {
		b.stop(&ExceededError{Meter: name, Limit: limit})
		return b.Err()
	}
	return nil
}

// Left returns the bytes of memory still available.
func (b *Budget) Left() int64 {
	if b == nil {
		return 1 << 62
	}
	return b.limits.Memory - b.memory.Load()
}

// Blame records rng as the expression that went over a meter, unless one is
// already recorded or the Budget stopped for another reason.
func (b *Budget) Blame(rng hcl.Range) {
	if !b.Stopped() {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var over *ExceededError
	if errors.As(b.cause, &over) && b.blame == nil {
		b.blame = &rng
	}
}

// Diagnostic is the error that says which expression went over a meter, or
// nil when none did.
func (b *Budget) Diagnostic() *hcl.Diagnostic {
	if !b.Stopped() {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var e *ExceededError
	if !errors.As(b.cause, &e) {
		return nil
	}
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  e.summary(),
		Detail:   e.Error() + " canpull stopped evaluating this root module here; what it had not evaluated yet is unknown.",
		Subject:  b.blame,
		Extra:    e,
	}
	return d
}

// ExceededError says that a meter ran out.
type ExceededError struct {
	Meter string // "memory" or "work"
	Limit int64
}

func (e *ExceededError) summary() string {
	if e.Meter == "memory" {
		return "Evaluation uses too much memory"
	}
	return "Evaluation does too much work"
}

func (e *ExceededError) Error() string {
	if e.Meter == "memory" {
		return fmt.Sprintf("Evaluating this expression would build more than %s of values in this root module, the most canpull allows (a string or collection that doubles, or loops nested over large collections?).", bytesText(e.Limit))
	}
	return fmt.Sprintf("Evaluating this expression would take more than %d steps of function calls and loops in this root module, the most canpull allows (large values passed to functions in loops, or loops nested over large collections?).", e.Limit)
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
