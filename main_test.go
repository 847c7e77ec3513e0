package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite the golden files in testdata/script/*.txtar when cmp fails")

// TestMain lets the test binary act as the canpull command inside scripts:
// `exec canpull ...` runs run() in a child process, with real exit codes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"canpull": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scenarios in testdata/script/*.txtar.
// Run with -update-scripts to rewrite the golden files that cmp compares.
func TestScripts(t *testing.T) {
	t.Parallel() // beside TestActionSteps: the package's two slow tests
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":      exits,
			"writebytes": writeBytes,
			"jsonvalid":  jsonValid,
			"genfile":    genFile,
		},
	})
}

// exits is `exits CODE COMMAND [ARG...]`: it runs COMMAND like exec does
// (its stdout and stderr are kept for stdout, stderr and cmp) and fails
// unless COMMAND exits with CODE. `! exec` accepts any non-zero status; the
// difference between 1 (findings) and 2 (trouble) needs this.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARG...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	ts.Logf("[exit status %d]", got)
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// writeBytes is `writebytes FILE TEXT`: it writes TEXT, with Go escapes such
// as \x00 decoded, to FILE. It makes binary inputs, which a txtar archive
// cannot hold.
func writeBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: writebytes FILE TEXT")
	}
	data, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(data), 0o666))
}

// jsonValid is `[!] jsonvalid FILE`: FILE holds exactly one JSON value.
func jsonValid(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jsonvalid FILE")
	}
	data := ts.ReadFile(args[0])
	var v any
	err := json.Unmarshal([]byte(data), &v)
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s is not valid JSON: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s is valid JSON", args[0])
	}
}

// genFile is `genfile FILE PART COUNT [PART COUNT ...]`: it writes each
// PART (with Go escapes decoded) COUNT times, in order, to FILE. It makes
// inputs too large for a txtar archive: a 50 MB document, JSON nested
// 10,000 levels deep.
func genFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args)%2 != 1 {
		ts.Fatalf("usage: genfile FILE PART COUNT [PART COUNT ...]")
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	w := bufio.NewWriter(f)
	for i := 1; i < len(args); i += 2 {
		part, err := strconv.Unquote(`"` + args[i] + `"`)
		ts.Check(err)
		n, err := strconv.Atoi(args[i+1])
		ts.Check(err)
		for range n {
			_, err := w.WriteString(part)
			ts.Check(err)
		}
	}
	ts.Check(w.Flush())
	ts.Check(f.Close())
}
