package model

import (
	"fmt"
	"slices"
	"strings"
)

// JoinNames lists names for a sentence: "a", "a and b", "a, b and c". With
// most > 0, it names the first most of them and then says how many more
// there are ("a, b, c and 4 more"), so that a long list does not become a
// paragraph.
func JoinNames(names []string, most int) string {
	list := names
	if most > 0 && len(names) > most {
		list = append(slices.Clone(names[:most]), fmt.Sprintf("%d more", len(names)-most))
	}
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
