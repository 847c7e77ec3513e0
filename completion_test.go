package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/report"
)

// completionScript runs `canpull completion SHELL`.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if code := run([]string{"completion", shell}, &out, &errs); code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errs.String())
	}
	return out.String()
}

// Every script names every subcommand, flag, format and rule.
func TestCompletionContent(t *testing.T) {
	// The flags, as --help lists them.
	var help, errs bytes.Buffer
	run([]string{"--help"}, &help, &errs)
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([a-z-]+)`).FindAllStringSubmatch(help.String(), -1) {
		flags = append(flags, m[1])
	}
	names := ruleNames()
	if len(flags) < 20 || len(names) < 40 {
		t.Fatalf("%d flags, %d rule words: the flag set or catalogue is not the command's", len(flags), len(names))
	}
	for _, shell := range shells {
		s := completionScript(t, shell)
		for _, want := range append(append(append(append([]string{}, subcommands...), report.Formats...), names...), "fix", "dry-run", "baseline", "write-baseline") {
			if !strings.Contains(s, want) {
				t.Errorf("%s: the script lacks %q", shell, want)
			}
		}
		for _, f := range flags {
			if !strings.Contains(s, "--"+f) && !strings.Contains(s, "-l "+f) {
				t.Errorf("%s: the script lacks the flag --%s", shell, f)
			}
		}
	}
}

// The bash script parses, and completes what it should.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	script := filepath.Join(t.TempDir(), "canpull.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ words, want string }{
		{"canpull --format j", "json junit"},
		{"canpull -f gi", "github gitlab"},
		{"canpull --format=ch", "checkstyle"},
		{"canpull --fail-on n", "note never"},
		{"canpull --only CP20", "CP201 CP202 CP203 CP204 CP205 CP206 CP207 CP208 CP209"},
		{"canpull --disable CP304,public-ip", "CP304,public-ip-disabled"},
		{"canpull explain image-t", "image-tag-mutable"},
		{"canpull completion f", "fish"},
		{"canpull --write-b", "--write-baseline"},
		{"canpull --dry", "--dry-run"},
		{"canpull ver", "version"},
		{"canpull --baseline ma", "main.tf"},
		{"canpull --var ", ""},
	} {
		words := strings.Fields(tc.words)
		if strings.HasSuffix(tc.words, " ") {
			words = append(words, "")
		}
		args := append([]string{"-c", `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _canpull; echo "${COMPREPLY[*]}"`, script}, words...)
		cmd := exec.Command(bash, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.words, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("%q completes to %q, want %q", tc.words, got, tc.want)
		}
	}
}

// zsh and fish check their scripts' syntax where they are installed.
func TestCompletionOtherShells(t *testing.T) {
	for shell, args := range map[string][]string{"zsh": {"-n"}, "fish": {"--no-execute"}} {
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s is not installed: its script's syntax is not checked (TestCompletionContent checks its words)", shell)
			continue
		}
		script := filepath.Join(t.TempDir(), "canpull."+shell)
		if err := os.WriteFile(script, []byte(completionScript(t, shell)), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, append(args, script)...).CombinedOutput(); err != nil {
			t.Errorf("%s %v: %v\n%s", shell, args, err, out)
		}
	}
}

// The fish script completes what it should, where fish is installed:
// complete -C asks fish what it would offer.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish is not installed: its completions are not tried (TestCompletionContent checks its words)")
	}
	script := filepath.Join(t.TempDir(), "canpull.fish")
	if err := os.WriteFile(script, []byte(completionScript(t, "fish")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, want string }{
		{"canpull -f gi", "github gitlab"},
		{"canpull --fail-on n", "never note"},
		{"canpull --only CP20", "CP201 CP202 CP203 CP204 CP205 CP206 CP207 CP208 CP209"},
		{"canpull --disable CP304,public-ip", "CP304,public-ip-disabled"},
		{"canpull --only CP201,CP304,CP30", "CP201,CP304,CP301 CP201,CP304,CP302 CP201,CP304,CP303 CP201,CP304,CP304 CP201,CP304,CP305 CP201,CP304,CP306 CP201,CP304,CP307 CP201,CP304,CP308 CP201,CP304,CP309"},
		{"canpull explain image-t", "image-tag-mutable"},
		{"canpull completion f", "fish"},
	} {
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" {
				got = append(got, w)
			}
		}
		sort.Strings(got) // fish sorts them its own way
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q completes to %q, want %q", tc.line, strings.Join(got, " "), tc.want)
		}
	}
	// The help beside a flag, apostrophes and colons included.
	for line, want := range map[string]string{
		"canpull --check-im": "--check-images\task each image's registry whether it exists, for the task's platform, and fits its storage",
		"canpull --param":    "--param\tCloudFormation parameter NAME=VALUE, or AWS::Region=…, AWS::AccountId=…",
	} {
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("%q: fish offers %q, want the line %q", line, out, want)
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	for args, want := range map[string]string{
		"completion":           "usage: canpull completion bash|zsh|fish",
		"completion bsh":       `want bash, zsh or fish; did you mean "bash"?`,
		"completion bash fish": "usage: canpull completion bash|zsh|fish",
	} {
		var out, errs bytes.Buffer
		if code := run(strings.Fields(args), &out, &errs); code != 2 || !strings.Contains(errs.String(), want) {
			t.Errorf("canpull %s: exit %d, %q; want 2 and %q", args, code, errs.String(), want)
		}
	}
}

// The fish script keeps each flag's help as written, apostrophes and
// colons included ("image's registry", "AWS::Region"): read back with
// fish's rules for single quotes, each -d is the help, whether or not fish
// is installed (TestCompletionFish asks fish itself).
func TestCompletionFishHelp(t *testing.T) {
	descs := map[string]string{}
	for _, line := range strings.Split(completionScript(t, "fish"), "\n") {
		_, rest, ok := strings.Cut(line, " -l ")
		if !ok || !strings.HasPrefix(line, "complete ") {
			continue
		}
		name, _, _ := strings.Cut(rest, " ")
		_, quoted, ok := strings.Cut(rest, " -d ")
		if !ok {
			t.Errorf("--%s has no description: %s", name, line)
			continue
		}
		d, tail, err := fishUnquote(quoted)
		if err != nil || tail != "" {
			t.Errorf("--%s: the description %s does not read back as one word: %v, left %q", name, quoted, err, tail)
			continue
		}
		descs[name] = d
	}
	for name, want := range map[string]string{
		"check-images": "ask each image's registry whether it exists, for the task's platform, and fits its storage",
		"param":        "CloudFormation parameter NAME=VALUE, or AWS::Region=…, AWS::AccountId=…",
	} {
		if descs[name] != want {
			t.Errorf("--%s: description %q, want %q", name, descs[name], want)
		}
	}
	for _, s := range []string{`it's`, `a\b`, `\'`, `AWS::Region`, `$(x) "y" ; z`} {
		if got, tail, err := fishUnquote(fishQuote(s)); got != s || tail != "" || err != nil {
			t.Errorf("fishQuote(%q) = %s reads back as %q, left %q, %v", s, fishQuote(s), got, tail, err)
		}
	}
}

// fishUnquote reads a single-quoted fish word at the start of s: inside,
// \' is a quote and \\ a backslash, and any other backslash is itself.
func fishUnquote(s string) (word, rest string, err error) {
	if !strings.HasPrefix(s, "'") {
		return "", s, fmt.Errorf("not single-quoted")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '\'':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("the quote is not closed")
}

// zsh reads each _arguments spec back with the flag's help intact,
// apostrophes included ("image's registry"), where zsh is installed:
// _arguments is replaced by a function that prints the words it gets.
func TestCompletionZshHelp(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed: the specs are not read back (TestCompletionOtherShells checks nothing either)")
	}
	script := filepath.Join(t.TempDir(), "_canpull")
	if err := os.WriteFile(script, []byte(completionScript(t, "zsh")), 0o644); err != nil {
		t.Fatal(err)
	}
	driver := `_arguments() { print -rl -- "$@" }
compdef() { }
compadd() { }
source "$1"
words=(canpull --)
CURRENT=2
_canpull`
	out, err := exec.Command(zsh, "-f", "-c", driver, "zsh", script).CombinedOutput()
	if err != nil {
		t.Fatalf("zsh: %v\n%s", err, out)
	}
	specs := strings.Split(string(out), "\n")
	for flag, help := range map[string]string{
		"--check-images":   "ask each image's registry whether it exists, for the task's platform, and fits its storage",
		"--no-image-cache": "with --check-images, neither read nor write the cache of registry answers",
	} {
		want := flag + "[" + help + "]"
		found := false
		for _, s := range specs {
			if strings.HasPrefix(s, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no spec starts %q; zsh read:\n%s", want, out)
		}
	}
}
