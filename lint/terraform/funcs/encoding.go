package funcs

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/text/encoding/ianaindex"
)

// maxYAMLNesting bounds an over-estimate of YAML nesting (see yamlNesting).
const maxYAMLNesting = 10_000

func (e *env) encodingFuncs() map[string]def {
	decoded := func(v cty.Value) error { return e.measure(v, maxStringLen) }
	return map[string]def{
		"base64decode":     {f: base64DecodeFunc},
		"base64encode":     {f: stringFunc("base64encode", "Encodes a string with Base64.", func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil })},
		"base64gzip":       {f: stringFunc("base64gzip", "Compresses a string with gzip and encodes the result with Base64.", base64Gzip)},
		"urlencode":        {f: stringFunc("urlencode", "Applies URL encoding to a string.", func(s string) (string, error) { return url.QueryEscape(s), nil })},
		"textencodebase64": {f: textEncodeBase64Func},
		"textdecodebase64": {f: textDecodeBase64Func},
		"csvdecode":        {f: stdlib.CSVDecodeFunc, check: checkCSV, post: decoded},
		"jsondecode":       {f: stdlib.JSONDecodeFunc, check: checkJSON, post: decoded},
		"jsonencode":       {f: stdlib.JSONEncodeFunc},
		"yamldecode":       {f: e.yamlDecodeFunc()},
		"yamlencode":       {f: ctyyaml.YAMLEncodeFunc},
	}
}

// stringFunc is a function of one string to a string.
func stringFunc(name, desc string, impl func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "str", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := impl(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(out), nil
		},
	})
}

var base64DecodeFunc = stringFunc("base64decode", "Decodes a Base64 string whose content is UTF-8 text.", func(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("the string is not valid Base64: %w", err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("the decoded content is not valid UTF-8; base64decode only returns text")
	}
	return string(b), nil
})

func base64Gzip(s string) (string, error) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write([]byte(s)); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

var textEncodeBase64Func = function.New(&function.Spec{
	Description: "Encodes a string in the given character encoding and the result with Base64.",
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, err := ianaindex.IANA.Encoding(args[1].AsString())
		if err != nil || enc == nil {
			return cty.NilVal, function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias", args[1].AsString())
		}
		b, err := enc.NewEncoder().Bytes([]byte(args[0].AsString()))
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the string has characters that %s cannot represent", args[1].AsString())
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
	},
})

var textDecodeBase64Func = function.New(&function.Spec{
	Description: "Decodes Base64 text in the given character encoding.",
	Params: []function.Parameter{
		{Name: "source", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, err := ianaindex.IANA.Encoding(args[1].AsString())
		if err != nil || enc == nil {
			return cty.NilVal, function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias", args[1].AsString())
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the string is not valid Base64: %s", err)
		}
		b, err := enc.NewDecoder().Bytes(raw)
		if err != nil || !utf8.Valid(b) {
			return cty.NilVal, function.NewArgErrorf(0, "the decoded bytes are not valid %s", args[1].AsString())
		}
		return cty.StringVal(string(b)), nil
	},
})

// checkJSON refuses JSON nested too deeply for the recursive decoder.
func checkJSON(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	if jsonNesting(str(args[0])) > maxNesting {
		return function.NewArgErrorf(0, "the JSON is nested more than %d levels deep, more than canpull allows", maxNesting)
	}
	return nil
}

// jsonNesting is the deepest bracket nesting of JSON text, outside strings.
func jsonNesting(s string) int {
	depth, most := 0, 0
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > most {
				most = depth
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return most
}

func checkCSV(args []cty.Value) error {
	if !known(args[0]) {
		return nil
	}
	s := str(args[0])
	if strings.Count(s, ",")+strings.Count(s, "\n") > maxValueNodes {
		return errValueTooLarge
	}
	return nil
}

// yamlDecodeFunc is yamldecode. Unlike go-cty-yaml's function it does not
// compute the result type before decoding: with anchors and aliases a small
// document can stand for an exponentially large value, whose type
// comparisons alone would never finish. The decoded value is measured (the
// walk stops at the limit) before anything else looks at it.
func (e *env) yamlDecodeFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Parses a string as a subset of YAML, and produces a representation of its value.",
		Params:      []function.Parameter{{Name: "src", Type: cty.String}},
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			src := args[0].AsString()
			if yamlNesting(src) > maxYAMLNesting {
				return cty.NilVal, function.NewArgErrorf(0, "the YAML is nested too deeply for canpull")
			}
			v, err := ctyyaml.Standard.Unmarshal([]byte(src), cty.DynamicPseudoType)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			if err := e.measure(v, maxStringLen); err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return v, nil
		},
	})
}

// yamlNesting over-estimates how deeply YAML text nests: on each line, the
// indentation plus the block indicators ("- ", "? ", ": ") plus the flow
// brackets still open. The decoder recurses once per level.
func yamlNesting(s string) int {
	most, flow := 0, 0
	for line := range strings.SplitSeq(s, "\n") {
		d := len(line) - len(strings.TrimLeft(line, " \t"))
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case '[', '{':
				flow++
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case '-', '?', ':':
				if i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '\r' {
					d++
				}
			}
		}
		if d+flow > most {
			most = d + flow
		}
	}
	return most
}
