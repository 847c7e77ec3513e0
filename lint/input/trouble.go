package input

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/hashicorp/hcl/v2"
)

// Two kinds of trouble are not the input's fault, and the command tells
// them apart from bad input: a failure of canpull itself (a panic,
// recovered), which asks for a report, and a run whose time was up before
// an input was finished.

// Internal marks, as a diagnostic's Extra, a failure that is canpull's
// fault: the command exits 3 and asks for a report. It wraps the Extra the
// diagnostic had, which hcl.DiagnosticExtra still finds.
type Internal struct{ Wrapped any }

// InternalError says that the diagnostic is canpull's fault. Any Extra with
// this method counts, in any package.
func (Internal) InternalError() bool { return true }

// UnwrapDiagnosticExtra gives hcl the Extra that Internal wraps.
func (i Internal) UnwrapDiagnosticExtra() any { return i.Wrapped }

// IsInternal reports whether d is canpull's fault rather than the input's.
func IsInternal(d *hcl.Diagnostic) bool {
	x, ok := hcl.DiagnosticExtra[interface{ InternalError() bool }](d)
	return ok && x.InternalError()
}

// Panic is the diagnostic of a panic recovered while doing what: an
// internal error, with the stack for the report.
func Panic(what string, p any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Internal error",
		Detail:   fmt.Sprintf("canpull failed while %s: %v\nThis is a bug in canpull, not in your files: please report it, with the configuration that caused it if you can.\n%s", what, p, debug.Stack()),
		Extra:    Internal{},
	}
}

// NotFinished is the error for a file or folder that the run's time ran out
// on (ctx is done): it was not read, or not to the end, and was not checked.
func NotFinished(ctx context.Context, path string) *hcl.Diagnostic {
	d := FileError(path, "Not finished",
		fmt.Sprintf("canpull's time for this run was up (%v) before it finished reading %s, so it did not check it.", context.Cause(ctx), path))
	return d
}
