package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Fingerprints gives each finding a fingerprint that survives edits which
// move it: a hash of the rule ID, the finding's Key (its message when it
// has no key) and its file's path relative to the repository root, never
// line numbers. Findings that would share one get ":2", ":3", … in order.
// SARIF's partialFingerprints, GitLab's fingerprint and the baseline all
// use it. path gives a file's path relative to the repository root, with
// forward slashes. A Key that starts with the file's name as given (an
// ECS JSON document's address is its file) has the relative path put in
// its place, so that the fingerprint is the same whichever folder canpull
// runs in.
func Fingerprints(fs []Finding, path func(filename string) string) []string {
	all := InstanceFingerprints(fs, path)
	out := make([]string, len(fs))
	for i, fps := range all {
		out[i] = fps[0]
	}
	return out
}

// InstanceFingerprints gives each finding the fingerprints of the module
// instances it stands for: its own first, then those of Merged, each the
// one that instance's finding would have on its own. A baseline written
// before the driver merged them still knows the merged finding.
func InstanceFingerprints(fs []Finding, path func(filename string) string) [][]string {
	out := make([][]string, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		p := path(f.Range.Filename)
		for j := -1; j < len(f.Merged); j++ {
			if j >= 0 {
				f.Key = f.Merged[j].Key
			}
			key := "key:" + StableKey(f, p)
			if f.Key == "" {
				key = "message:" + f.Message
			}
			fp := fingerprint(f.RuleID, key, p)
			seen[fp]++
			if n := seen[fp]; n > 1 {
				fp = fmt.Sprintf("%s:%d", fp, n)
			}
			out[i] = append(out[i], fp)
		}
	}
	return out
}

// StableKey is the finding's Key with the file's name as given replaced
// by rel, its path relative to the repository root.
func StableKey(f Finding, rel string) string {
	if name := f.Range.Filename; name != "" && name != rel && strings.HasPrefix(f.Key, name) {
		return rel + f.Key[len(name):]
	}
	return f.Key
}

// HashParts is the hash fingerprints are made of, for reports that need
// one for what is not a finding (an input error).
func HashParts(parts ...string) string { return fingerprint(parts...) }

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p)) // a hash.Hash never fails
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
