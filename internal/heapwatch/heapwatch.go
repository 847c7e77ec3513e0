// Package heapwatch guards tests of evaluation budgets: it samples the heap
// while a test runs and ends the test binary before a runaway evaluation can
// take the machine down.
package heapwatch

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Watch collects garbage, then samples the heap every millisecond until stop
// is called, which returns the most the heap grew over what was live at the
// start: what the code under test allocated, not what the process held
// before (a fuzzing worker holds its corpus and coverage). Growth past abort
// ends the process at once with a message, since the test could say
// nothing once memory runs out.
func Watch(abort uint64) (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	runtime.GC()
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			h := sample[0].Value.Uint64()
			if h < base {
				h = 0
			} else {
				h -= base
			}
			if h > peak.Load() {
				peak.Store(h)
			}
			if h > abort {
				fmt.Fprintf(os.Stderr, "FAIL: the heap grew by %d MiB (more than %d MiB): evaluation is not bounded\n", h>>20, abort>>20)
				os.Exit(2)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}
