package lint

import (
	"bytes"
	"os"
	"unicode/utf8"
)

// mayMatter reports whether a root module can hold anything the rules read:
// ECS resources, or ECR repositories that other folders pull from. Most
// root modules of a monorepo hold neither, and skipping them unparsed is
// most of canpull's speed. A module that calls other modules is always
// loaded.
func mayMatter(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return true // let the loader report it
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(hasSuffix(n, ".tf") || hasSuffix(n, ".tf.json")) {
			continue
		}
		src, err := readHead(dir+string(os.PathSeparator)+n, 10<<20)
		if err != nil {
			return true
		}
		if bytes.Contains(src, []byte("aws_ecs_")) || bytes.Contains(src, []byte("aws_ecr_")) || bytes.Contains(src, []byte("module")) {
			return true
		}
		if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
			return true // not text: let the loader say so
		}
	}
	return false
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}
