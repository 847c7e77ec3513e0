package funcs

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// fileTree writes files (path → content) under a new temporary folder and
// returns its path, with symlinks resolved.
func fileTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symlinks here: %s", err)
	}
}

func TestFileFuncs(t *testing.T) {
	outside := fileTree(t, map[string]string{"secret.txt": "top secret"})
	root := fileTree(t, map[string]string{
		"infra/main.tf":                    "",
		"infra/hello.txt":                  "Hello World",
		"infra/container.json":             `[{"name": "app", "image": "nginx:1.25"}]`,
		"infra/sub/a.tf":                   "",
		"infra/sub/deeper/b.tf":            "",
		"infra/sub/deeper/c.json":          "",
		"infra/.hidden.tf":                 "",
		"infra/binary.bin":                 "\xff\xfe\x00",
		"infra/templates/defs.json.tftpl":  `[%{ for c in containers ~}{"name": "${c.name}", "image": "${c.image}"}%{ endfor ~}]`,
		"infra/templates/hello.tftpl":      "Hello, ${name}!",
		"infra/templates/bad.tftpl":        "line one\nHello, ${nope(name)}!",
		"infra/templates/undeclared.tftpl": "${a} and ${b}",
		"infra/templates/recursive.tftpl":  `${templatefile("hello.tftpl", {name = "x"})}`,
		"infra/templates/readfile.tftpl":   `${file("hello.txt")}`,
		"infra/templates/list.tftpl":       `${items}`,
		"other/x.txt":                      "sibling module",
		"iam/role.json":                    `{"Version": "2012-10-17"}`,
		"iam/policy.tftpl":                 "${bucket}",
	})
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "infra", "escape.txt"))
	symlink(t, outside, filepath.Join(root, "infra", "escape-dir"))
	symlink(t, filepath.Join(root, "infra", "hello.txt"), filepath.Join(root, "infra", "inside-link.txt"))
	symlink(t, "loop-b", filepath.Join(root, "infra", "loop-a"))
	symlink(t, "loop-a", filepath.Join(root, "infra", "loop-b"))
	base := filepath.Join(root, "infra")
	tbl := Table(Options{BaseDir: base, Root: root})
	outsideMsg := "reads outside the repository " + root + "; canpull reads files only inside the repository it lints"

	runCases(t, tbl, []fnCase{
		{expr: `file("hello.txt")`, want: cty.StringVal("Hello World")},
		{expr: `file("./sub/../hello.txt")`, want: cty.StringVal("Hello World")},
		{expr: `file("${path_module}/hello.txt")`, wantErr: "Unknown variable"},
		{expr: `file("../other/x.txt")`, want: cty.StringVal("sibling module")},
		{expr: `file(` + quote(filepath.Join(base, "hello.txt")) + `)`, want: cty.StringVal("Hello World")},
		{expr: `file("inside-link.txt")`, want: cty.StringVal("Hello World")},
		{expr: `jsondecode(file("container.json"))[0].image`, want: cty.StringVal("nginx:1.25")},
		// Confinement.
		{expr: `file("../../x")`, wantErr: `file("../../x") ` + outsideMsg},
		{expr: `file("/etc/passwd")`, wantErr: `file("/etc/passwd") ` + outsideMsg},
		{expr: `file(` + quote(filepath.Join(outside, "secret.txt")) + `)`, wantErr: outsideMsg},
		{expr: `file("escape.txt")`, wantErr: `file("escape.txt") ` + outsideMsg},
		{expr: `file("escape-dir/secret.txt")`, wantErr: outsideMsg},
		{expr: `filebase64("/etc/passwd")`, wantErr: outsideMsg},
		{expr: `filemd5("escape.txt")`, wantErr: outsideMsg},
		{expr: `fileexists("/etc/passwd")`, wantErr: outsideMsg},
		{expr: `fileexists("escape.txt")`, wantErr: outsideMsg},
		{expr: `templatefile("/etc/passwd", {})`, wantErr: outsideMsg},
		{expr: `templatefile("escape.txt", {})`, wantErr: outsideMsg},
		{expr: `fileset("..", "../**")`, wantErr: outsideMsg},
		{expr: `fileset("/etc", "*")`, wantErr: outsideMsg},
		{expr: `fileset(".", "escape-dir/*")`, wantErr: outsideMsg},
		{expr: `fileset(".", "escape.txt")`, wantErr: "is a symbolic link to " + filepath.Join(outside, "secret.txt") + ", outside the repository"},
		{expr: `fileset(".", "escape*")`, wantErr: "symbolic link"},
		{expr: `file("loop-a")`, wantErr: "loop"},
		// Errors that are not confinement.
		{expr: `file("missing.txt")`, wantErr: "no file exists at missing.txt"},
		// Missing from the module folder but found from a folder above it:
		// a module run from there, whose caller canpull does not see.
		{expr: `file("./iam/role.json")`, want: cty.UnknownVal(cty.String)},
		{expr: `filesha256("iam/role.json")`, want: cty.UnknownVal(cty.String)},
		{expr: `fileexists("iam/role.json")`, want: cty.UnknownVal(cty.Bool)},
		{expr: `templatefile("iam/policy.tftpl", {bucket = "b"})`, want: cty.DynamicVal},
		{expr: `file("iam/missing.json")`, wantErr: "no file exists at iam/missing.json"},
		{expr: `file("iam")`, wantErr: "no file exists at iam"},
		{expr: `file("sub")`, wantErr: "is a folder, not a file"},
		{expr: `file("binary.bin")`, wantErr: "not valid UTF-8"},
		{expr: `file(unknown_str)`, want: cty.UnknownVal(cty.String)},
		{expr: `file(null)`, wantErr: "must not be null"},
		{expr: `filebase64("binary.bin")`, want: cty.StringVal("//4A")},
		{expr: `filemd5("hello.txt")`, want: cty.StringVal("b10a8db164e0754105b7a99be72e3fe5")},
		{expr: `filesha256("hello.txt")`, want: cty.StringVal("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e")},
		{expr: `filebase64sha256("hello.txt")`, want: cty.StringVal("pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=")},
		{expr: `fileexists("hello.txt")`, want: cty.True},
		{expr: `fileexists("nope.txt")`, want: cty.False},
		{expr: `fileexists("nope/nope.txt")`, want: cty.False},
		{expr: `fileexists("sub")`, wantErr: "is a folder"},
		{expr: `fileexists(unknown_str)`, want: cty.UnknownVal(cty.Bool)},
		{expr: `fileset(".", "*.tf")`, want: cty.SetVal(strs(".hidden.tf", "main.tf"))},
		{expr: `fileset(".", "**/*.tf")`, want: cty.SetVal(strs(".hidden.tf", "main.tf", "sub/a.tf", "sub/deeper/b.tf"))},
		{expr: `fileset("sub", "**")`, want: cty.SetVal(strs("a.tf", "deeper/b.tf", "deeper/c.json"))},
		{expr: `fileset(".", "sub/*/*.{tf,json}")`, want: cty.SetVal(strs("sub/deeper/b.tf", "sub/deeper/c.json"))},
		{expr: `fileset(".", "sub/deeper/b.tf")`, want: cty.SetVal(strs("sub/deeper/b.tf"))},
		{expr: `fileset(".", "s?b/[a-b].tf")`, want: cty.SetVal(strs("sub/a.tf"))},
		{expr: `fileset(".", "inside-link.*")`, want: cty.SetVal(strs("inside-link.txt"))},
		{expr: `fileset(".", "*.nothing")`, want: cty.SetValEmpty(cty.String)},
		{expr: `fileset("nowhere", "*")`, want: cty.SetValEmpty(cty.String)},
		{expr: `fileset("../other", "*")`, want: cty.SetVal(strs("x.txt"))},
		{expr: `fileset(".", "[")`, wantErr: "invalid pattern"},
		{expr: `fileset(".", unknown_str)`, want: cty.UnknownVal(cty.Set(cty.String))},
		// Paths.
		{expr: `abspath("sub/a.tf")`, want: cty.StringVal(filepath.ToSlash(filepath.Join(base, "sub", "a.tf")))},
		{expr: `abspath("/x/../y")`, want: cty.StringVal("/y")},
		{expr: `dirname("foo/bar/baz.txt")`, want: cty.StringVal("foo/bar")},
		{expr: `basename("foo/bar/baz.txt")`, want: cty.StringVal("baz.txt")},
		{expr: `pathexpand("~/.ssh/id_rsa")`, want: cty.UnknownVal(cty.String)},
		{expr: `pathexpand("/etc/resolv.conf")`, want: cty.StringVal("/etc/resolv.conf")},
		{expr: `pathexpand("~bob/x")`, wantErr: "another user"},
		// Terraform reads ~/ from the home folder of whoever runs it.
		{expr: `file("~/.ssh/id_rsa.pub")`, want: cty.UnknownVal(cty.String)},
		{expr: `filesha256("~/key.pem")`, want: cty.UnknownVal(cty.String)},
		{expr: `fileexists("~/.aws/config")`, want: cty.UnknownVal(cty.Bool)},
		{expr: `templatefile("~/t.tftpl", {})`, want: cty.DynamicVal},
		{expr: `file("~bob/x")`, wantErr: "no file exists"},
		// Templates.
		{expr: `templatefile("templates/hello.tftpl", {name = "World"})`, want: cty.StringVal("Hello, World!")},
		{expr: `templatefile("templates/hello.tftpl", tomap({name = "World"}))`, want: cty.StringVal("Hello, World!")},
		{expr: `jsondecode(templatefile("templates/defs.json.tftpl", {containers = [{name = "app", image = "nginx:1"}]}))`,
			want: cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("app"), "image": cty.StringVal("nginx:1")})})},
		{expr: `templatefile("templates/defs.json.tftpl", {containers = [{name = "a", image = "x"}, {name = "b", image = "y"}]})`,
			want: cty.StringVal(`[{"name": "a", "image": "x"}{"name": "b", "image": "y"}]`)},
		{expr: `templatefile("templates/list.tftpl", {items = ["a"]})`, want: cty.TupleVal(strs("a"))},
		{expr: `templatefile("templates/hello.tftpl", {name = unknown_str})`, want: cty.UnknownVal(cty.String)},
		{expr: `templatefile(unknown_str, {})`, want: cty.DynamicVal},
		{expr: `templatefile("templates/hello.tftpl", unknown)`, want: cty.DynamicVal},
		{expr: `templatefile("templates/missing.tftpl", {})`, wantErr: "no file exists at templates/missing.tftpl"},
		{expr: `templatefile("templates/hello.tftpl", {})`, wantErr: `vars map does not contain key "name", referenced at ` + filepath.Join(base, "templates", "hello.tftpl") + ":1,10"},
		{expr: `templatefile("templates/undeclared.tftpl", {a = 1})`, wantErr: `does not contain key "b"`},
		{expr: `templatefile("templates/hello.tftpl", {name = "x", "not valid" = 1})`, wantErr: "invalid template variable name"},
		{expr: `templatefile("templates/hello.tftpl", "x")`, wantErr: "must be a map or an object"},
		{expr: `templatefile("templates/bad.tftpl", {name = "x"})`, wantErr: filepath.Join(base, "templates", "bad.tftpl") + ":2,10: Call to unknown function"},
		{expr: `templatefile("templates/recursive.tftpl", {})`, wantErr: "cannot call templatefile from inside a template"},
		{expr: `templatefile("templates/readfile.tftpl", {})`, want: cty.StringVal("Hello World")},
		{expr: `templatestring("Hello, $${name}!", {name = "World"})`, want: cty.StringVal("Hello, World!")},
		{expr: `templatestring("%%{ for x in xs }$${x},%%{ endfor }", {xs = [1, 2]})`, want: cty.StringVal("1,2,")},
		{expr: `templatestring("$${templatestring(\"x\", {})}", {})`, wantErr: "cannot call templatestring from inside a template"},
	})
}

func TestFileLimits(t *testing.T) {
	root := fileTree(t, map[string]string{
		"big.txt":   strings.Repeat("x", 2048),
		"small.txt": "ok",
	})
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Logf("no fifo: %s", err)
	}
	tbl := Table(Options{BaseDir: root, Root: root, MaxFileSize: 1024})
	runCases(t, tbl, []fnCase{
		{expr: `file("small.txt")`, want: cty.StringVal("ok")},
		{expr: `file("big.txt")`, wantErr: "larger than 1024 bytes"},
		{expr: `filebase64("big.txt")`, wantErr: "larger than 1024 bytes"},
		{expr: `file("fifo")`, wantErr: "not a regular file"},
	})

	// No folder configured: file functions refuse, others work.
	none := Table(Options{})
	runCases(t, none, []fnCase{
		{expr: `file("x")`, wantErr: "no repository folder is configured"},
		{expr: `upper("x")`, want: cty.StringVal("X")},
	})

	// The scanned folder named through a symlink, the module folder by its
	// real path (or the other way round).
	link := filepath.Join(t.TempDir(), "link")
	symlink(t, root, link)
	for _, opts := range []Options{{BaseDir: root, Root: link}, {BaseDir: link, Root: root}} {
		runCases(t, Table(opts), []fnCase{
			{expr: `file("small.txt")`, want: cty.StringVal("ok")},
			{expr: `file("../x")`, wantErr: "reads outside the repository"},
		})
	}

	// Root defaults to BaseDir.
	onlyBase := Table(Options{BaseDir: root})
	runCases(t, onlyBase, []fnCase{
		{expr: `file("small.txt")`, want: cty.StringVal("ok")},
		{expr: `file("../x")`, wantErr: "reads outside the repository"},
	})
}
