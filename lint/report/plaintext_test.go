package report

import "testing"

func TestMarkdownText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"heading", "# CP203 public-ip-disabled\n\nText.", "CP203 public-ip-disabled\n\nText."},
		{"closed heading", "## Fix ##", "Fix"},
		{"hashtag", "#nope", "#nope"},
		{"emphasis", "A **bold** and *em* and __b__ and _e_ word.", "A bold and em and b and e word."},
		{"identifiers", "assign_public_ip and ecr:Get* and 2 * 3 * 4", "assign_public_ip and ecr:Get* and 2 * 3 * 4"},
		{"neighbours", "*a* *b*", "a b"},
		{"code", "Set `assign_public_ip = true` and ``a `b` c``.", "Set assign_public_ip = true and a `b` c."},
		{"code keeps markup", "`**x**` and `[a](b)`", "**x** and [a](b)"},
		{"link", "See [the guide](https://x.example/a) now.", "See the guide (https://x.example/a) now."},
		{"bare link", "[https://x.example](https://x.example)", "https://x.example"},
		{"autolink", "<https://x.example/a>", "https://x.example/a"},
		{"image", "![diagram](d.png)", "diagram"},
		{"escapes", `\*not em\* and \_x\_`, "*not em* and _x_"},
		{"fence", "Before:\n\n```hcl\nx = 1\n```\n\nAfter.", "Before:\n\n    x = 1\n\nAfter."},
		{"tilde fence", "~~~\n# not a heading\n~~~", "    # not a heading"},
		{"table", "| a | b |\n|---|:-:|\n| `c` | d |", "a | b\nc | d"},
		{"list", "- one\n* two\n+ three\n  - nested", "- one\n- two\n- three\n  - nested"},
		{"quote", "> AWS says: *no*", "AWS says: no"},
		{"rule", "a\n\n---\n\nb", "a\n\nb"},
		{"blank lines", "\n\na\n\n\n\nb\n\n", "a\n\nb"},
		{"crlf", "# T\r\n\r\nx\r\n", "T\n\nx"},
		{"empty", "", ""},
		{"NUL", "a\x000\x00b `c`", "a0b c"},
		{"unclosed code", "``a` b", "``a` b"},
	}
	for _, tt := range tests {
		if got := markdownText(tt.in); got != tt.want {
			t.Errorf("%s: markdownText(%q) =\n%q\nwant\n%q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestFirstParagraph(t *testing.T) {
	tests := []struct{ in, want string }{
		{"# Title\n\nFirst *para*\ngoes on.\n\nSecond.", "First para goes on."},
		{"```\ncode\n```\n| t |\n\nProse.", "Prose."},
		{"Prose first.\n```\ncode\n```", "Prose first."},
		{"# Only a heading", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstParagraph(tt.in); got != tt.want {
			t.Errorf("firstParagraph(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
