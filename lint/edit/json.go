package edit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/jsontree"
)

// JSONMember adds the member "key": value (value is JSON text) to an object
// of a JSON file, as its first member, indented as the members that follow
// it. The object is the one written at r, or the value of the key written
// at r, then down path (keys of nested objects).
func JSONMember(src []byte, r hcl.Range, path []string, key, value string) (lint.Edit, error) {
	root, diags := jsontree.Parse(r.Filename, src, hcl.InitialPos)
	if diags.HasErrors() || root == nil {
		return lint.Edit{}, fmt.Errorf("%s does not parse as JSON", r.Filename)
	}
	obj := jsonAt(root, r.Start.Byte)
	if obj == nil {
		return lint.Edit{}, fmt.Errorf("canpull finds no JSON object at line %d of %s", r.Start.Line, r.Filename)
	}
	for _, k := range path {
		m := obj.Get(k)
		if m == nil {
			return lint.Edit{}, fmt.Errorf("the object at line %d has no %q", obj.Range.Start.Line, k)
		}
		obj = m.Value
	}
	if obj.Kind != jsontree.Object {
		return lint.Edit{}, fmt.Errorf("the value at line %d is not written as an object", obj.Range.Start.Line)
	}
	if obj.Get(key) != nil {
		return lint.Edit{}, fmt.Errorf("the object at line %d has %q already", obj.Range.Start.Line, key)
	}
	member := strconv.Quote(key) + ": " + value
	open := obj.Range.Start.Byte
	if len(obj.Members) == 0 {
		return replace(src, r.Filename, open+1, open+1, member), nil
	}
	first := obj.Members[0].KeyRange.Start.Byte
	gap := string(src[open+1 : first])
	if strings.Contains(gap, "\n") {
		// "{\n    "a": 1" becomes "{\n    "key": value,\n    "a": 1".
		return replace(src, r.Filename, first, first, member+","+gap[lastLineBreak(gap):]), nil
	}
	return replace(src, r.Filename, first, first, member+", "), nil
}

// lastLineBreak is where the last line break of s starts ("\r\n" or "\n").
func lastLineBreak(s string) int {
	i := strings.LastIndexByte(s, '\n')
	if i > 0 && s[i-1] == '\r' {
		return i - 1
	}
	return i
}

// jsonAt finds the object value written at off, or the value of the member
// whose key is written there.
func jsonAt(v *jsontree.Value, off int) *jsontree.Value {
	if v == nil {
		return nil
	}
	if v.Range.Start.Byte == off {
		return v
	}
	if off < v.Range.Start.Byte || off >= v.Range.End.Byte {
		return nil
	}
	for _, m := range v.Members {
		if m.KeyRange.Start.Byte == off {
			return m.Value
		}
		if in := jsonAt(m.Value, off); in != nil {
			return in
		}
	}
	for _, it := range v.Items {
		if in := jsonAt(it, off); in != nil {
			return in
		}
	}
	return nil
}
