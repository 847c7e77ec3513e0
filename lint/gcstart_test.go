package lint_test

// The tests run with the collector set as the command sets it at start
// (GOGC=400, a 1 GiB soft limit): the code is exercised as it runs, and the
// allocation-heavy tests take about a sixth less CPU.
import _ "github.com/canpull/canpull/internal/gcstart"
