package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/canpull/canpull/lint/report"
)

// `canpull completion bash|zsh|fish` prints a completion script. The
// scripts are written here by hand, one template per shell, and filled in
// from the command's own flag set and catalogue, so that a new flag, format
// or rule completes without anyone touching them: subcommands, flags (with
// their short forms), the values of the flags that take a choice (formats,
// severities, colours, rule IDs and names) and files or folders for the
// flags that take one.

// subcommands are the words canpull takes before its paths.
var subcommands = []string{"rules", "explain", "init", "completion", "version", "help"}

// shells are the shells canpull writes completion scripts for.
var shells = []string{"bash", "zsh", "fish"}

// completionFlag is one flag as the scripts need it.
type completionFlag struct {
	name, short, help string
	takesValue        bool
	// values are the choices of a flag that takes one of a few words;
	// files and dirs say that it takes a file or a folder; list that its
	// value is a comma-separated list (of rules).
	values      []string
	files, dirs bool
	list        bool
}

// completionFlags describes the flag set for the scripts.
func completionFlags(fs *pflag.FlagSet) []completionFlag {
	ruleWords := ruleNames()
	var out []completionFlag
	fs.VisitAll(func(f *pflag.Flag) {
		_, usage := pflag.UnquoteUsage(f)
		cf := completionFlag{name: f.Name, short: f.Shorthand, help: shortHelp(usage), takesValue: f.Value.Type() != "bool"}
		switch f.Name {
		case "format":
			cf.values = report.Formats
		case "fail-on":
			cf.values = []string{"error", "warning", "note", "never"}
		case "color":
			cf.values = []string{"auto", "always", "never"}
		case "enable", "disable", "only":
			cf.values, cf.list = ruleWords, true
		case "base-dir":
			cf.dirs = true
		case "output", "var-file", "param-file", "config", "baseline", "write-baseline":
			cf.files = true
		}
		out = append(out, cf)
	})
	return out
}

// ruleNames are every rule's ID and name, sorted.
func ruleNames() []string {
	var out []string
	for _, r := range catalog() {
		out = append(out, r.ID, r.Name)
	}
	sort.Strings(out)
	return out
}

// shortHelp is a flag's help for a completion menu: its first clause, on
// one line. Each shell quotes it its own way (zshHelp, fishQuote).
func shortHelp(s string) string {
	s, _, _ = strings.Cut(s, " (")
	s, _, _ = strings.Cut(s, ": ")
	s, _, _ = strings.Cut(s, "; ")
	return strings.ReplaceAll(s, "\n", " ")
}

// zshHelp is a help for zsh's _arguments, inside a single-quoted spec:
// each apostrophe closes the quote, adds an escaped one (backslash,
// apostrophe) and opens the quote again, and the characters the spec's
// syntax would read are left out.
func zshHelp(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ':':
			return ' '
		case '[', ']', '"', '`', '\\', '$':
			return -1
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "'", `'\''`)
}

// fishQuote quotes s for fish: in single quotes, where only \' and \\ are
// escapes, so every other character (: $ ( " `) is itself.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func completion(w io.Writer, fs *pflag.FlagSet, shell string) error {
	flags := completionFlags(fs)
	switch shell {
	case "bash":
		return bashCompletion(w, flags)
	case "zsh":
		return zshCompletion(w, flags)
	case "fish":
		return fishCompletion(w, flags)
	}
	return usagef("canpull completion %q: want bash, zsh or fish%s", shell, suggest(shell, shells))
}

func bashCompletion(w io.Writer, flags []completionFlag) error {
	var all, files, dirs, plain []string
	var choices strings.Builder
	for _, f := range flags {
		names := []string{"--" + f.name}
		if f.short != "" {
			names = append(names, "-"+f.short)
		}
		all = append(all, names...)
		switch {
		case f.list:
			fmt.Fprintf(&choices, "        %s) _canpull_list %q; return ;;\n", strings.Join(names, "|"), strings.Join(f.values, " "))
		case len(f.values) > 0:
			fmt.Fprintf(&choices, "        %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", strings.Join(names, "|"), strings.Join(f.values, " "))
		case f.files:
			files = append(files, names...)
		case f.dirs:
			dirs = append(dirs, names...)
		case f.takesValue:
			plain = append(plain, names...)
		}
	}
	_, err := fmt.Fprintf(w, `# bash completion for canpull, written by 'canpull completion bash'.
# Load it in this shell:  source <(canpull completion bash)
# or for every shell:     canpull completion bash > ~/.local/share/bash-completion/completions/canpull

_canpull_list() {
    # A comma-separated list: complete its last item.
    local head="" last="$cur"
    if [[ "$cur" == *,* ]]; then head="${cur%%,*},"; last="${cur##*,}"; fi
    COMPREPLY=($(compgen -P "$head" -W "$1" -- "$last"))
    compopt -o nospace 2>/dev/null
}

_canpull() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    COMPREPLY=()
    if [[ "$cur" == --*=* ]]; then
        # --flag=value: complete the value as if it were the next word.
        prev="${cur%%%%=*}"
        cur="${cur#*=}"
    fi
    case "$prev" in
%s        %s) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        %s) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        %s) return ;;
    esac
    if [[ $COMP_CWORD -eq 2 && "${COMP_WORDS[1]}" == explain ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur")); return
    fi
    if [[ $COMP_CWORD -eq 2 && "${COMP_WORDS[1]}" == completion ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur")); return
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur")); return
    fi
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur"))
    fi
    COMPREPLY+=($(compgen -f -- "$cur"))
}

complete -o filenames -F _canpull canpull
`, choices.String(), strings.Join(files, "|"), strings.Join(dirs, "|"), strings.Join(plain, "|"),
		strings.Join(ruleNames(), " "), strings.Join(shells, " "), strings.Join(all, " "), strings.Join(subcommands, " "))
	return err
}

func zshCompletion(w io.Writer, flags []completionFlag) error {
	var specs strings.Builder
	for _, f := range flags {
		action := ""
		switch {
		case f.list:
			action = ":rules:_sequence compadd - " + strings.Join(f.values, " ")
		case len(f.values) > 0:
			action = ":" + f.name + ":(" + strings.Join(f.values, " ") + ")"
		case f.files:
			action = ":file:_files"
		case f.dirs:
			action = ":folder:_files -/"
		case f.takesValue:
			action = ":" + f.name + ": "
		}
		if f.short != "" {
			fmt.Fprintf(&specs, "    '(-%s --%s)'{-%s,--%s}'[%s]%s' \\\n", f.short, f.name, f.short, f.name, zshHelp(f.help), action)
		} else {
			fmt.Fprintf(&specs, "    '--%s[%s]%s' \\\n", f.name, zshHelp(f.help), action)
		}
	}
	_, err := fmt.Fprintf(w, `#compdef canpull
# zsh completion for canpull, written by 'canpull completion zsh'.
# Load it in this shell:  source <(canpull completion zsh)
# or for every shell:     canpull completion zsh > "${fpath[1]}/_canpull"

_canpull() {
  local state
  if (( CURRENT == 3 )); then
    case ${words[2]} in
      explain) compadd -- %s; return ;;
      completion) compadd -- %s; return ;;
    esac
  fi
  _arguments -s -S : \
%s    '1:command or path:->first' \
    '*:path:_files'
  if [[ $state == first ]]; then
    _alternative 'commands:command:(%s)' 'paths:path:_files'
  fi
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _canpull "$@"
else
  compdef _canpull canpull
fi
`, strings.Join(ruleNames(), " "), strings.Join(shells, " "), specs.String(), strings.Join(subcommands, " "))
	return err
}

func fishCompletion(w io.Writer, flags []completionFlag) error {
	var b strings.Builder
	b.WriteString(`# fish completion for canpull, written by 'canpull completion fish'.
# Load it in this shell:  canpull completion fish | source
# or for every shell:     canpull completion fish > ~/.config/fish/completions/canpull.fish

# A comma-separated list (--only CP201,CP30): complete its last item.
function __canpull_list
    set -l head (commandline -ct | string replace -r -- '^--[^=]*=' '' | string match -r -- '^.*,')
    for word in $argv
        echo "$head$word"
    end
end

`)
	fmt.Fprintf(&b, "complete -c canpull -n '__fish_use_subcommand' -f -a '%s'\n", strings.Join(subcommands, " "))
	fmt.Fprintf(&b, "complete -c canpull -n '__fish_seen_subcommand_from explain' -f -a '%s'\n", strings.Join(ruleNames(), " "))
	fmt.Fprintf(&b, "complete -c canpull -n '__fish_seen_subcommand_from completion' -f -a '%s'\n", strings.Join(shells, " "))
	for _, f := range flags {
		line := "complete -c canpull"
		if f.short != "" {
			line += " -s " + f.short
		}
		line += " -l " + f.name
		switch {
		case f.list:
			line += " -x -a '(__canpull_list " + strings.Join(f.values, " ") + ")'"
		case len(f.values) > 0:
			line += " -x -a '" + strings.Join(f.values, " ") + "'"
		case f.files:
			line += " -r -F"
		case f.dirs:
			line += " -x -a '(__fish_complete_directories)'"
		case f.takesValue:
			line += " -x"
		}
		line += " -d " + fishQuote(f.help)
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
