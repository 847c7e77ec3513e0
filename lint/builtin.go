package lint

// The engine's own rules. They have no Run function: the engine reports
// them itself, for what no single rule can see: an input that could not be
// fully loaded, and an ignore comment that silences nothing. They take the
// CP0xx group so that they can be named wherever a rule can (--disable,
// .canpull.hcl, canpull:ignore).

// UnverifiedInput is the one note for "could not verify": a fact that
// the loader could not establish (a module that is not on disk, a count
// that depends on an unknown value), or one where a rule had to stop (the
// note names the rule: Finding.StoppedRule). It is shown only with
// --show-unverified.
var UnverifiedInput = &Rule{
	ID:        "CP001",
	Name:      "unverified-input",
	Severity:  Note,
	Precision: "very-high",
	Tags:      []string{"unverified"},
	Summary:   "A fact that the checks need could not be read from the input; what depends on it was not verified.",
	Doc: `# CP001 unverified-input

A fact that the checks need could not be established from the files
canpull read: a module that ` + "`terraform init`" + ` has not downloaded, a
` + "`count`" + ` or ` + "`for_each`" + ` that depends on a variable without a value, a role
defined in a folder that was not scanned, an account that was not given.
canpull never guesses: whatever depends on that fact is left unchecked, and
no error or warning comes from it.

## What it checks

The loaders record each fact they could not read, and every rule records
each place where it had to stop on one. With ` + "`--show-unverified`" + `, each
becomes one note at the place that needs it, with what to do. A note from a
rule names it, in its headline and in the JSON and SARIF outputs
(` + "`stoppedRule`" + `):

` + "```" + `
app/main.tf:28:5: note CP001 unverified-input: CP203 could not verify: the subnets of aws_ecs_service.app are unknown
  CP203 public-ip-disabled stopped here: what it needs to know is unknown, so it reports nothing
  (unknown is not wrong).
  fix: give the variables they depend on values with --var-file or --var
` + "```" + `

## Why it matters

A configuration that canpull cannot fully read may still fail to pull its
images when it is deployed: a clean report then means "nothing proven
wrong", not "verified".

## How to fix

Supply the missing fact: run ` + "`terraform init`" + ` so that modules are on disk,
give variables values with ` + "`--var-file`" + ` or ` + "`--var`" + `, pass ` + "`--account-id`" + `, or
scan the folder that defines the other side too. Turning CP001 off
(` + "`--disable CP001`" + `) turns every such note off, whichever rule stopped.
`,
}

// UnusedIgnore is the note for a canpull:ignore comment that silenced
// nothing: the problem it was written for has gone, or it is in the
// wrong place.
var UnusedIgnore = &Rule{
	ID:        "CP002",
	Name:      "unused-ignore",
	Severity:  Note,
	Precision: "very-high",
	Tags:      []string{"suppression"},
	Summary:   "A canpull:ignore comment suppresses nothing: the finding it was written for is gone, or the comment is misplaced.",
	Doc: `# CP002 unused-ignore

A ` + "`canpull:ignore`" + ` or ` + "`canpull:ignore-file`" + ` comment names a rule that
reported nothing where the comment applies.

## What it checks

Each rule an ignore comment names, when that rule ran: if no finding of it
was suppressed by the comment, the comment gets this note. Rules that did
not run (` + "`--only`" + `, ` + "`--disable`" + `) are not held against it.

## Why it matters

An ignore that silences nothing is either stale, and hides the next real
problem on that line, or misplaced: it must be on the finding's line, on
the line above it, or above the resource or module block that holds it.

## How to fix

Delete the comment, or move it next to the finding it is meant for.
`,
}

// UndeclaredVariable is the note for a value that a variables file gives a
// variable no root module declares: Terraform ignores it, and the variable
// it was meant for keeps its default.
var UndeclaredVariable = &Rule{
	ID:        "CP003",
	Name:      "undeclared-variable",
	Severity:  Note,
	Precision: "very-high",
	Tags:      []string{"terraform", "variables"},
	Summary:   "A variables file assigns a variable that no scanned root module declares: Terraform ignores the value.",
	Doc: `# CP003 undeclared-variable

A ` + "`--var-file`" + ` (or a variables file that ` + "`.canpull.hcl`" + ` names), or a root module's own
` + "`terraform.tfvars`" + ` or ` + "`*.auto.tfvars`" + `, assigns a variable that no root module canpull scanned
declares (for a root's own file: that root does not).

## What it checks

Each assignment of each variables file that canpull reads, against the ` + "`variable`" + ` blocks of
the root modules it scans. The note is at the assignment, with the closest declared name when one
is close. A ` + "`--var NAME=VALUE`" + ` for an undeclared name is an input error instead (exit 2), as
Terraform refuses it.

## Why it matters

Terraform ignores such a value, with a warning ("Value for undeclared variable"): a misspelt
name leaves the variable it was meant for at its default, and canpull checks what that default
gives, not what you meant.

## How to fix

Correct the name, or declare the variable.
`,
}

// Builtins returns the engine's own rules.
func Builtins() []*Rule { return []*Rule{UnverifiedInput, UnusedIgnore, UndeclaredVariable} }
