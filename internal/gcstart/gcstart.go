// Package gcstart sets the garbage collector for a canpull run as the
// program starts, before the libraries' package initialisation allocates
// (regular expressions, endpoint tables: about 3.5 MB). Set later, in main,
// the default setting collected once during that initialisation, for about
// a sixth of the CPU time of a short run.
//
// The command imports it for that side effect alone. Go initialises, of
// the packages whose imports are ready, the one whose import path sorts
// first: this one, which imports only the standard library, comes before
// every package of canpull and of most of its dependencies.
package gcstart

import (
	"os"
	"runtime/debug"
)

// The collector, set for what a canpull run is: a few hundred milliseconds
// that allocate much (syntax trees, values) and keep little (the model of
// each configuration). Go's default (GOGC=100) collects each time the heap
// doubles, a hundred times in a run over a large monorepo; a run spends a
// fifth of its instructions there. Collecting when the heap has grown five
// times over instead costs about 15% less CPU on the corpus of the README's
// performance section, for a peak RSS of about 100 MB (50 MB with the
// default). A soft limit of 1 GiB keeps a very large input from growing the
// heap five times over without bound.
const (
	GCPercent   = 400
	MemoryLimit = 1 << 30
)

func init() { Tune() }

// Tune sets the collector, unless the user set GOGC or GOMEMLIMIT: theirs
// win.
func Tune() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
