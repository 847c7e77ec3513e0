package main

import (
	"os"
	"runtime/debug"
)

// The garbage collector, set for what a canpull run is: a few hundred
// milliseconds that allocate much (syntax trees, values) and keep little
// (the model of each configuration). Go's default (GOGC=100) collects each
// time the heap doubles, a hundred times in a run over a large monorepo;
// a run spends a fifth of its instructions there. Collecting when the heap
// has grown five times over instead costs about 15% less CPU on the corpus
// of the README's performance section, for a peak RSS of about 100 MB
// (50 MB with the default). A soft limit of 1 GiB keeps a very large input
// from growing the heap five times over without bound.
const (
	gcPercent   = 400
	memoryLimit = 1 << 30
)

// tuneGC sets the collector, unless the user set GOGC or GOMEMLIMIT: theirs
// win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
