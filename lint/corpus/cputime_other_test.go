//go:build !unix

package corpus

import "time"

// processCPU is the CPU time this process has used so far; this platform
// does not tell it.
func processCPU() (time.Duration, bool) { return 0, false }
