package heapwatch

import (
	"testing"
	"time"
)

func TestWatchReportsThePeak(t *testing.T) {
	stop := Watch(1 << 40)
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 1<<20))
	}
	time.Sleep(20 * time.Millisecond) // a few samples while all of it is live
	peak := stop()
	if peak < 64<<20 {
		t.Errorf("peak %d MiB while 64 MiB more were live", peak>>20)
	}
	_ = keep[63][0]
}
