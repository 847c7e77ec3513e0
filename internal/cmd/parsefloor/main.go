// Command parsefloor reads and parses every .tf file under the folders
// given, on GOMAXPROCS goroutines, and prints how many: the parse-only
// floor that .ci/bench -p measures beside canpull. It links nothing of
// canpull's but hcl, so that its time is parsing's alone.
//
//	go run ./internal/cmd/parsefloor ~/repos
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/canpull/canpull/internal/parsefloor"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: parsefloor FOLDER...")
		os.Exit(2)
	}
	var all parsefloor.Counts
	for _, dir := range os.Args[1:] {
		c, err := parsefloor.Parse(dir, runtime.GOMAXPROCS(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "parsefloor:", err)
			os.Exit(1)
		}
		all.Files += c.Files
		all.Broken += c.Broken
	}
	fmt.Printf("%d .tf files parsed, %d with syntax errors or unreadable\n", all.Files, all.Broken)
}
