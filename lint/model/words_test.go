package model_test

import (
	"testing"

	"github.com/canpull/canpull/lint/model"
)

func TestJoinNames(t *testing.T) {
	for _, tc := range []struct {
		names []string
		most  int
		want  string
	}{
		{nil, 0, ""},
		{[]string{"a"}, 0, "a"},
		{[]string{"a", "b"}, 0, "a and b"},
		{[]string{"a", "b", "c"}, 0, "a, b and c"},
		{[]string{"a", "b", "c"}, 3, "a, b and c"},
		{[]string{"a", "b", "c", "d", "e"}, 3, "a, b, c and 2 more"},
		{[]string{"a", "b"}, 1, "a and 1 more"},
	} {
		names := append([]string(nil), tc.names...)
		if got := model.JoinNames(names, tc.most); got != tc.want {
			t.Errorf("JoinNames(%q, %d) = %q, want %q", tc.names, tc.most, got, tc.want)
		}
		for i := range names {
			if names[i] != tc.names[i] {
				t.Errorf("JoinNames(%q, %d) changed its argument", tc.names, tc.most)
			}
		}
	}
}
