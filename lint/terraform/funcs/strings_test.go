package funcs

import (
	"math"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestMathFuncs(t *testing.T) {
	tbl := Table(Options{})
	runCases(t, tbl, []fnCase{
		{expr: `abs(-12.4)`, want: cty.NumberFloatVal(12.4)},
		{expr: `ceil(5.1)`, want: num(6)},
		{expr: `ceil(-5.1)`, want: num(-5)},
		{expr: `ceil(5)`, want: num(5)},
		{expr: `floor(4.9)`, want: num(4)},
		{expr: `floor(-4.1)`, want: num(-5)},
		{expr: `floor(1e300)`, want: cty.MustParseNumberVal("1e300")},
		{expr: `log(16, 2)`, want: num(4)},
		{expr: `max(12, 54, 3)`, want: num(54)},
		{expr: `min(12, 54, 3)`, want: num(3)},
		{expr: `max([12, 54, 3]...)`, want: num(54)},
		{expr: `parseint("100", 10)`, want: num(100)},
		{expr: `parseint("FF", 16)`, want: num(255)},
		{expr: `parseint("-10", 16)`, want: num(-16)},
		{expr: `parseint("zz", 10)`, wantErr: "cannot parse"},
		{expr: `pow(3, 2)`, want: num(9)},
		{expr: `pow(-8, 0.5)`, wantErr: "not a number"},
		{expr: `log(0, 0)`, wantErr: "not a number"},
		{expr: `log(1, 1)`, wantErr: "not a number"},
		{expr: `log(1/0, 1/0)`, wantErr: "not a number"},
		{expr: `pow(2, 0.5)`, want: cty.NumberFloatVal(math.Sqrt2)},
		{expr: `pow(4, 0)`, want: num(1)},
		{expr: `signum(-13)`, want: num(-1)},
		{expr: `signum(0)`, want: num(0)},
		{expr: `ceil(unknown_num)`, want: cty.UnknownVal(cty.Number)},
		{expr: `max(1, unknown_num)`, want: cty.UnknownVal(cty.Number)},
		{expr: `abs(null)`, wantErr: "must not be null"},
	})
}

func TestStringFuncs(t *testing.T) {
	tbl := Table(Options{})
	runCases(t, tbl, []fnCase{
		{expr: `chomp("hello\n")`, want: cty.StringVal("hello")},
		{expr: `chomp("hello\r\n\n")`, want: cty.StringVal("hello")},
		{expr: `endswith("hello world", "world")`, want: cty.True},
		{expr: `endswith("hello world", "hello")`, want: cty.False},
		{expr: `startswith("hello world", "hello")`, want: cty.True},
		{expr: `startswith("hello world", "world")`, want: cty.False},
		{expr: `strcontains("hello world", "o w")`, want: cty.True},
		{expr: `strcontains("hello world", "banana")`, want: cty.False},
		{expr: `format("Hello, %s!", "Ander")`, want: cty.StringVal("Hello, Ander!")},
		{expr: `format("There are %d lights", 4)`, want: cty.StringVal("There are 4 lights")},
		{expr: `format("%-5s|%5s|%.2f", "a", "b", 3.14159)`, want: cty.StringVal("a    |    b|3.14")},
		{expr: `format("%v", [1, "a"])`, want: cty.StringVal(`[1,"a"]`)},
		{expr: `format("%[2]s %[1]s", "a", "b")`, want: cty.StringVal("b a")},
		{expr: `format("%s", unknown_str)`, want: cty.UnknownVal(cty.String)},
		{expr: `format("%999999999s", "x")`, wantErr: "more than canpull allows"},
		{expr: `format("%d", "x")`, wantErr: "unsupported value"},
		{expr: `formatlist("Hello, %s!", ["Valentina", "Ander"])`, want: strList("Hello, Valentina!", "Hello, Ander!")},
		{expr: `formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])`, want: strList("Salutations, Valentina!", "Salutations, Ander!")},
		{expr: `formatlist("%s", [])`, want: strList()},
		{expr: `indent(2, "[\n  foo,\n  bar,\n]")`, want: cty.StringVal("[\n    foo,\n    bar,\n  ]")},
		{expr: `indent(-1, "a\nb")`, wantErr: "must not be negative"},
		{expr: `join(", ", ["foo", "bar", "baz"])`, want: cty.StringVal("foo, bar, baz")},
		{expr: `join(", ", ["foo"])`, want: cty.StringVal("foo")},
		{expr: `join("-", ["a"], ["b", "c"])`, want: cty.StringVal("a-b-c")},
		{expr: `join(",", [1, 2])`, want: cty.StringVal("1,2")},
		{expr: `join(",", list_with_unknown)`, want: cty.UnknownVal(cty.String)},
		{expr: `lower("HELLO")`, want: cty.StringVal("hello")},
		{expr: `upper("hello")`, want: cty.StringVal("HELLO")},
		{expr: `title("hello world")`, want: cty.StringVal("Hello World")},
		{expr: `regex("[a-z]+", "53453453.345345aaabbbccc23454")`, want: cty.StringVal("aaabbbccc")},
		{expr: `regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`, want: cty.TupleVal(strs("2019", "02", "01"))},
		{expr: `regex("^(?:(?P<scheme>[^:/?#]+):)?", "https://x")`, want: cty.ObjectVal(map[string]cty.Value{"scheme": cty.StringVal("https")})},
		{expr: `regex("[a-z]+", "123")`, wantErr: "did not match"},
		{expr: `regex("(", "123")`, wantErr: "invalid regular expression"},
		{expr: `regexall("[a-z]+", "1234abcd5678efgh9")`, want: cty.ListVal(strs("abcd", "efgh"))},
		{expr: `length(regexall("[a-z]+", "123"))`, want: num(0)},
		{expr: `regexall("[", "123")`, wantErr: "invalid regular expression"},
		// Terraform's replace: /.../ is a regular expression.
		{expr: `replace("1 + 2 + 3", "+", "-")`, want: cty.StringVal("1 - 2 - 3")},
		{expr: `replace("hello world", "/w.*d/", "everybody")`, want: cty.StringVal("hello everybody")},
		{expr: `replace("hello world", "/(h)(e)/", "$2$1")`, want: cty.StringVal("ehllo world")},
		{expr: `replace("a/b", "/", "-")`, want: cty.StringVal("a-b")},
		{expr: `replace("x", "/(/", "y")`, wantErr: "invalid regular expression"},
		{expr: `replace("abc", "", "-")`, want: cty.StringVal("-a-b-c-")},
		{expr: `replace(unknown_str, "a", "b")`, want: cty.UnknownVal(cty.String)},
		{expr: `split(",", "foo,bar,baz")`, want: strList("foo", "bar", "baz")},
		{expr: `split(",", "foo")`, want: strList("foo")},
		{expr: `split(",", "")`, want: strList("")},
		{expr: `strrev("hello")`, want: cty.StringVal("olleh")},
		{expr: `strrev("a☃")`, want: cty.StringVal("☃a")},
		{expr: `substr("hello world", 1, 4)`, want: cty.StringVal("ello")},
		{expr: `substr("🤔🤷", 0, 1)`, want: cty.StringVal("🤔")},
		{expr: `substr("hello world", -5, -1)`, want: cty.StringVal("world")},
		{expr: `trim("?!hello?!", "!?")`, want: cty.StringVal("hello")},
		{expr: `trimprefix("helloworld", "hello")`, want: cty.StringVal("world")},
		{expr: `trimsuffix("helloworld", "world")`, want: cty.StringVal("hello")},
		{expr: `trimspace("  hello\n\n")`, want: cty.StringVal("hello")},
		{expr: `upper(unknown_str)`, want: cty.UnknownVal(cty.String)},
		{expr: `upper(null_str)`, wantErr: "must not be null"},
		{expr: `upper(secret)`, want: cty.StringVal("HUNTER2").Mark("sensitive")},
	})
}
