package gcstart

import (
	"math"
	"runtime/debug"
	"testing"
)

// Tune sets the collector for a short run, and leaves GOGC and GOMEMLIMIT
// to the user when they set them.
func TestTune(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	Tune()
	if got := debug.SetGCPercent(100); got != GCPercent {
		t.Errorf("GC percent %d, want %d", got, GCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != MemoryLimit {
		t.Errorf("memory limit %d, want %d", got, MemoryLimit)
	}

	// The runtime read GOGC and GOMEMLIMIT at start; Tune leaves alone what
	// it set then (123 and 5 GiB stand for it here).
	t.Setenv("GOGC", "123")
	t.Setenv("GOMEMLIMIT", "5GiB")
	debug.SetGCPercent(123)
	debug.SetMemoryLimit(5 << 30)
	Tune()
	if got := debug.SetGCPercent(100); got != 123 {
		t.Errorf("GOGC set, yet GC percent %d", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != 5<<30 {
		t.Errorf("GOMEMLIMIT set, yet memory limit %d", got)
	}
}
