package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// hashes are the digests of the hash functions and their file variants.
var hashes = []struct {
	name   string
	new    func() hash.Hash
	base64 bool
}{
	{"md5", md5.New, false},
	{"sha1", sha1.New, false},
	{"sha256", sha256.New, false},
	{"sha512", sha512.New, false},
	{"base64sha256", sha256.New, true},
	{"base64sha512", sha512.New, true},
}

func digest(newHash func() hash.Hash, b64 bool, data []byte) string {
	h := newHash()
	h.Write(data)
	sum := h.Sum(nil)
	if b64 {
		return base64.StdEncoding.EncodeToString(sum)
	}
	return hex.EncodeToString(sum)
}

func (e *env) cryptoFuncs() map[string]def {
	out := map[string]def{}
	for _, h := range hashes {
		out[h.name] = def{f: stringFunc(h.name, "Computes the "+h.name+" hash of a string.", func(s string) (string, error) {
			return digest(h.new, h.base64, []byte(s)), nil
		})}
	}
	str := function.Parameter{Name: "str", Type: cty.String}

	// These depend on a random source, the clock or secrets: their result
	// is unknown to a static evaluation.
	out["uuid"] = def{f: unknownFunc("Returns a random UUID (unknown to canpull).", cty.String)}
	out["timestamp"] = def{f: unknownFunc("Returns the current time (unknown to canpull).", cty.String)}
	out["plantimestamp"] = def{f: unknownFunc("Returns the time of the plan (unknown to canpull).", cty.String)}
	out["rsadecrypt"] = def{f: unknownFunc("Decrypts RSA-encrypted text (unknown to canpull).", cty.String,
		function.Parameter{Name: "ciphertext", Type: cty.String},
		function.Parameter{Name: "privatekey", Type: cty.String})}
	out["bcrypt"] = def{f: function.New(&function.Spec{
		Description: "Computes a salted bcrypt hash of a string (unknown to canpull: the salt is random).",
		Params:      []function.Parameter{str},
		VarParam:    &function.Parameter{Name: "cost", Type: cty.Number},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) > 2 {
				return cty.NilVal, fmt.Errorf("bcrypt takes at most two arguments")
			}
			return cty.UnknownVal(cty.String), nil
		},
	})}
	out["uuidv5"] = def{f: uuidV5Func}

	out["formatdate"] = def{f: stdlib.FormatDateFunc}
	out["timeadd"] = def{f: stdlib.TimeAddFunc}
	out["timecmp"] = def{f: timeCmpFunc}
	return out
}

var uuidNamespaces = map[string]string{
	"dns":  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	"url":  "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
	"oid":  "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
	"x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
}

// parseUUID accepts the usual textual forms of a UUID.
func parseUUID(s string) ([]byte, bool) {
	s = strings.TrimPrefix(strings.ToLower(s), "urn:uuid:")
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) == 36 {
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return nil, false
		}
		s = s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	}
	if len(s) != 32 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// uuidV5Func is deterministic (a SHA-1 name-based UUID), so it is computed.
var uuidV5Func = function.New(&function.Spec{
	Description: "Returns a name-based (version 5) UUID.",
	Params: []function.Parameter{
		{Name: "namespace", Type: cty.String},
		{Name: "name", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ns := args[0].AsString()
		if std, ok := uuidNamespaces[ns]; ok {
			ns = std
		}
		nsb, ok := parseUUID(ns)
		if !ok {
			return cty.NilVal, function.NewArgErrorf(0, "uuidv5 does not support namespace %q: use dns, url, oid, x500 or a UUID", args[0].AsString())
		}
		h := sha1.New()
		h.Write(nsb)
		h.Write([]byte(args[1].AsString()))
		u := h.Sum(nil)[:16]
		u[6] = u[6]&0x0f | 0x50
		u[8] = u[8]&0x3f | 0x80
		return cty.StringVal(formatUUID(u)), nil
	},
})

var timeCmpFunc = function.New(&function.Spec{
	Description: "Compares two RFC 3339 timestamps: -1, 0 or 1.",
	Params: []function.Parameter{
		{Name: "timestamp_a", Type: cty.String},
		{Name: "timestamp_b", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var ts [2]time.Time
		for i := range ts {
			t, err := time.Parse(time.RFC3339, args[i].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(i, "not a valid RFC 3339 timestamp: %s", err)
			}
			ts[i] = t
		}
		return cty.NumberIntVal(int64(ts[0].Compare(ts[1]))), nil
	},
})
