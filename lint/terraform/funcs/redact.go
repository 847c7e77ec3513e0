package funcs

import (
	"errors"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Error messages of functions may quote their arguments ("cannot convert
// \"…\" to number", "invalid CIDR address: …"), and an argument may be a
// secret that canpull read from a file or a variable. canpull prints no
// value it read, so the text of the arguments is masked in the errors of
// functions that take values (not the file and template functions, whose
// errors quote the paths and template positions of the configuration): each
// whole argument string, and any run of 12 or more bytes the message shares
// with an argument of at most 4 KiB (an error that quotes part of a
// pattern).

const (
	maskedText     = "…"
	minWholeMask   = 3
	minSharedMask  = 12
	maxSharedCheck = 4 << 10
)

// keepsText are the functions whose errors are not masked.
var keepsText = map[string]bool{
	"file": true, "fileexists": true, "fileset": true, "filebase64": true, "filemd5": true,
	"filesha1": true, "filesha256": true, "filesha512": true, "filebase64sha256": true,
	"filebase64sha512": true, "templatefile": true, "templatestring": true, "abspath": true,
	"dirname": true, "basename": true, "pathexpand": true,
}

// redactError returns err with its arguments' text masked, keeping the
// argument index that hcl uses to point at the argument.
func redactError(name string, err error, args []cty.Value) error {
	if keepsText[name] {
		return err
	}
	var ae function.ArgError
	if errors.As(err, &ae) {
		return function.NewArgError(ae.Index, errors.New(redact(ae.Error(), args)))
	}
	return errors.New(redact(err.Error(), args))
}

func redact(msg string, args []cty.Value) string {
	var texts []string
	for _, a := range args {
		_ = cty.Walk(a, func(_ cty.Path, v cty.Value) (bool, error) {
			v, _ = v.Unmark()
			if !v.IsKnown() || v.IsNull() {
				return false, nil
			}
			if v.Type() == cty.String && len(v.AsString()) >= minWholeMask {
				texts = append(texts, v.AsString())
			}
			return len(texts) < 1000, nil
		})
	}
	for _, s := range texts {
		msg = strings.ReplaceAll(msg, s, maskedText)
	}
	for _, s := range texts {
		if len(s) <= maxSharedCheck {
			msg = maskShared(msg, s)
		}
	}
	return msg
}

// maskShared masks every run of at least minSharedMask bytes of msg that
// also occurs in s.
func maskShared(msg, s string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		j := i + minSharedMask
		if j > len(msg) || !strings.Contains(s, msg[i:j]) {
			b.WriteByte(msg[i])
			i++
			continue
		}
		for j < len(msg) && strings.Contains(s, msg[i:j+1]) {
			j++
		}
		b.WriteString(maskedText)
		i = j
	}
	return b.String()
}
