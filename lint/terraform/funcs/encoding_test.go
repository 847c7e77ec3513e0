package funcs

import (
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func TestEncodingFuncs(t *testing.T) {
	tbl := Table(Options{})
	obj := cty.ObjectVal
	runCases(t, tbl, []fnCase{
		{expr: `base64encode("Hello World")`, want: cty.StringVal("SGVsbG8gV29ybGQ=")},
		{expr: `base64decode("SGVsbG8gV29ybGQ=")`, want: cty.StringVal("Hello World")},
		{expr: `base64decode("/w==")`, wantErr: "not valid UTF-8"},
		{expr: `base64decode("!!")`, wantErr: "not valid Base64"},
		{expr: `base64decode(base64gzip("hello"))`, wantErr: "not valid UTF-8"},
		{expr: `length(base64gzip("hello")) > 0`, want: cty.True},
		{expr: `textencodebase64("Hello World", "UTF-16LE")`, want: cty.StringVal("SABlAGwAbABvACAAVwBvAHIAbABkAA==")},
		{expr: `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, want: cty.StringVal("Hello World")},
		{expr: `textencodebase64("x", "no-such-encoding")`, wantErr: "not a supported IANA encoding"},
		{expr: `urlencode("Hello World!")`, want: cty.StringVal("Hello+World%21")},
		{expr: `urlencode("☃")`, want: cty.StringVal("%E2%98%83")},
		{expr: `csvdecode("a,b,c\n1,2,3\n4,5,6")`, want: cty.ListVal([]cty.Value{
			obj(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.StringVal("2"), "c": cty.StringVal("3")}),
			obj(map[string]cty.Value{"a": cty.StringVal("4"), "b": cty.StringVal("5"), "c": cty.StringVal("6")}),
		})},
		{expr: `jsondecode("{\"hello\": \"world\"}")`, want: obj(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{expr: `jsondecode("true")`, want: cty.True},
		{expr: `jsondecode("[1, \"a\", null]")`, want: cty.TupleVal([]cty.Value{num(1), cty.StringVal("a"), cty.NullVal(cty.DynamicPseudoType)})},
		{expr: `jsondecode("{")`, wantErr: "EOF"},
		{expr: `jsondecode(unknown_str)`, want: cty.DynamicVal},
		{expr: `jsonencode({"hello"="world"})`, want: cty.StringVal(`{"hello":"world"}`)},
		{expr: `jsonencode([{name="app", image="nginx:1", essential=true, portMappings=[{containerPort=80}]}])`,
			want: cty.StringVal(`[{"essential":true,"image":"nginx:1","name":"app","portMappings":[{"containerPort":80}]}]`)},
		{expr: `jsonencode("<&>")`, want: cty.StringVal(`"\u003c\u0026\u003e"`)},
		{expr: `jsonencode(unknown_str)`, want: cty.UnknownVal(cty.String)},
		{expr: `jsonencode({a = unknown_str})`, want: cty.UnknownVal(cty.String)},
		{expr: `yamldecode("hello: world")`, want: obj(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{expr: `yamldecode("- a\n- 1\n- true")`, want: cty.TupleVal([]cty.Value{cty.StringVal("a"), num(1), cty.True})},
		{expr: `yamldecode("a: [")`, wantErr: "did not find expected node content"},
		{expr: `yamldecode(unknown_str)`, want: cty.DynamicVal},
		{expr: `yamlencode({a = "b", c = [1]})`, want: cty.StringVal("\"a\": \"b\"\n\"c\":\n- 1\n")},
		{expr: `md5("hello world")`, want: cty.StringVal("5eb63bbbe01eeed093cb22bb8f5acdc3")},
		{expr: `sha1("hello world")`, want: cty.StringVal("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")},
		{expr: `sha256("hello world")`, want: cty.StringVal("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")},
		{expr: `sha512("hello world")`, want: cty.StringVal("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")},
		{expr: `base64sha256("hello world")`, want: cty.StringVal("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")},
		{expr: `base64sha512("hello world")`, want: cty.StringVal("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")},
		{expr: `md5(unknown_str)`, want: cty.UnknownVal(cty.String)},
		{expr: `uuidv5("dns", "www.terraform.io")`, want: cty.StringVal("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
		{expr: `uuidv5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "https://www.terraform.io/")`, want: cty.StringVal("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")},
		{expr: `uuidv5("bogus", "x")`, wantErr: "does not support namespace"},
		// Never a random or time value.
		{expr: `uuid()`, want: cty.UnknownVal(cty.String)},
		{expr: `timestamp()`, want: cty.UnknownVal(cty.String)},
		{expr: `plantimestamp()`, want: cty.UnknownVal(cty.String)},
		{expr: `bcrypt("hello")`, want: cty.UnknownVal(cty.String)},
		{expr: `bcrypt("hello", 10)`, want: cty.UnknownVal(cty.String)},
		{expr: `timeadd("2017-11-22T00:00:00Z", "10m")`, want: cty.StringVal("2017-11-22T00:10:00Z")},
		{expr: `formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, want: cty.StringVal("02 Jan 2018 23:12 UTC")},
		{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00")`, want: num(0)},
		{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:01Z")`, want: num(-1)},
		{expr: `timecmp("nope", "2017-11-22T00:00:01Z")`, wantErr: "RFC 3339"},
	})
}

func TestConversionFuncs(t *testing.T) {
	tbl := Table(Options{})
	runCases(t, tbl, []fnCase{
		{expr: `tobool(true)`, want: cty.True},
		{expr: `tobool("true")`, want: cty.True},
		{expr: `tobool(null)`, want: cty.NullVal(cty.Bool)},
		{expr: `tobool("no")`, wantErr: `only the strings "true" or "false" are allowed`},
		{expr: `tobool(1)`, wantErr: "cannot convert"},
		{expr: `tonumber("1")`, want: num(1)},
		{expr: `tonumber(null)`, want: cty.NullVal(cty.Number)},
		{expr: `tonumber("no")`, wantErr: "given string must be a decimal representation of a number"},
		{expr: `tostring(1)`, want: cty.StringVal("1")},
		{expr: `tostring(true)`, want: cty.StringVal("true")},
		{expr: `tostring(null)`, want: cty.NullVal(cty.String)},
		{expr: `tostring([])`, wantErr: "cannot convert"},
		{expr: `tostring(unknown)`, want: cty.UnknownVal(cty.String)},
		{expr: `tolist(["a", "b", 3])`, want: strList("a", "b", "3")},
		{expr: `tolist(unknown_list)`, want: cty.UnknownVal(cty.List(cty.String))},
		{expr: `toset(["a", "b", "a"])`, want: cty.SetVal(strs("a", "b"))},
		{expr: `toset([1, "a"])`, want: cty.SetVal(strs("1", "a"))},
		{expr: `tomap({a = 1, b = 2})`, want: cty.MapVal(map[string]cty.Value{"a": num(1), "b": num(2)})},
		{expr: `tomap({a = "x", b = 2})`, want: cty.MapVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.StringVal("2")})},
		{expr: `tomap({a = [], b = "x"})`, wantErr: "cannot convert"},
		{expr: `sensitive("x")`, want: cty.StringVal("x")},
		{expr: `nonsensitive(secret)`, want: cty.StringVal("hunter2")},
		{expr: `issensitive(secret)`, want: cty.UnknownVal(cty.Bool)},
		{expr: `can(tonumber("x"))`, want: cty.False},
		{expr: `can(tonumber("1"))`, want: cty.True},
		{expr: `can(unknown_str)`, want: cty.UnknownVal(cty.Bool)},
		{expr: `try(tonumber("x"), "fallback")`, want: cty.StringVal("fallback")},
		{expr: `try({a=1}.b, {a=1}.a)`, want: num(1)},
		{expr: `try(tonumber("x"), tobool("y"))`, wantErr: "no expression succeeded"},
		{expr: `try(unknown_str, "b")`, want: cty.DynamicVal},
	})
}

func TestCIDRFuncs(t *testing.T) {
	tbl := Table(Options{})
	runCases(t, tbl, []fnCase{
		{expr: `cidrhost("10.12.112.0/20", 16)`, want: cty.StringVal("10.12.112.16")},
		{expr: `cidrhost("10.12.112.0/20", 268)`, want: cty.StringVal("10.12.113.12")},
		{expr: `cidrhost("10.12.112.0/20", -2)`, want: cty.StringVal("10.12.127.254")},
		{expr: `cidrhost("10.12.112.5/20", 1)`, want: cty.StringVal("10.12.112.1")},
		{expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: cty.StringVal("fd00:fd12:3456:7890::22")},
		{expr: `cidrhost("10.0.0.0/30", 4)`, wantErr: "cannot accommodate a host numbered 4"},
		{expr: `cidrhost("10.0.0.0/30", -5)`, wantErr: "cannot accommodate"},
		{expr: `cidrhost("10.0.0.0/30", 1.5)`, wantErr: "whole number"},
		{expr: `cidrhost("010.001.0.0/16", 1)`, want: cty.StringVal("10.1.0.1")},
		{expr: `cidrhost("nope", 1)`, wantErr: "invalid CIDR expression"},
		{expr: `cidrnetmask("172.16.0.0/12")`, want: cty.StringVal("255.240.0.0")},
		{expr: `cidrnetmask("0.0.0.0/0")`, want: cty.StringVal("0.0.0.0")},
		{expr: `cidrnetmask("10.0.0.1/32")`, want: cty.StringVal("255.255.255.255")},
		{expr: `cidrnetmask("fd00::/8")`, wantErr: "IPv6 addresses cannot have a netmask"},
		{expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: cty.StringVal("172.18.0.0/16")},
		{expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: cty.StringVal("10.1.2.240/28")},
		{expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: cty.StringVal("fd00:fd12:3456:7800:a200::/72")},
		{expr: `cidrsubnet("10.0.0.0/16", 8, 256)`, wantErr: "does not accommodate a subnet numbered 256"},
		{expr: `cidrsubnet("10.0.0.0/30", 3, 0)`, wantErr: "insufficient address space"},
		{expr: `cidrsubnet("10.0.0.0/16", 0, 0)`, want: cty.StringVal("10.0.0.0/16")},
		{expr: `cidrsubnet(unknown_str, 8, 1)`, want: cty.UnknownVal(cty.String)},
		{expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: strList("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20")},
		{expr: `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, want: strList("fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88")},
		{expr: `cidrsubnets("10.0.0.0/24", 1, 1, 1)`, wantErr: "not enough remaining address space"},
		{expr: `cidrsubnets("10.0.0.0/24", 0)`, wantErr: "at least one bit"},
		{expr: `cidrsubnets("10.0.0.0/24", 9)`, wantErr: "too long for an IPv4 address"},
		{expr: `cidrsubnets("10.0.0.0/24")`, want: cty.ListValEmpty(cty.String)},
	})
}

// TestHostileInputs: inputs that would take huge time or memory end with
// an error, quickly.
func TestHostileInputs(t *testing.T) {
	tbl := Table(Options{})
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	deepJSON := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	cases := []fnCase{
		{name: "yaml alias bomb", expr: `yamldecode(` + quote(bomb) + `)`, wantErr: "more than canpull allows"},
		{name: "deep json", expr: `jsondecode(` + quote(deepJSON) + `)`, wantErr: "nested more than"},
		{name: "deep yaml block", expr: `yamldecode(` + quote(strings.Repeat("- ", 20000)+"x") + `)`, wantErr: "nested too deeply"},
		{name: "deep yaml flow", expr: `yamldecode(` + quote(strings.Repeat("[", 20000)) + `)`, wantErr: "nested too deeply"},
		{name: "deep template", expr: `templatestring(` + quote("${"+strings.Repeat("(", 2000)+"1"+strings.Repeat(")", 2000)+"}") + `, {})`, wantErr: "nested more than"},
		{expr: `format("%.999999f", 1)`, wantErr: "more than canpull allows"},
		{expr: `indent(60000000, "a\nb\nc")`, wantErr: "longer than"},
		{name: "long join", expr: `join(join("", [for i in range(1000): "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]), range(1000))`, wantErr: "longer than"},
		{name: "long literal replace", expr: `replace(join("", [for i in range(1000): "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]), "x", join("", [for i in range(1000): "xxxxxxxxxx"]))`, wantErr: "longer than"},
		{name: "long regex replace", expr: `replace(join("", [for i in range(1000): "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]), "/x/", join("", [for i in range(1000): "$0$0$0$0$0"]))`, wantErr: "longer than"},
		{expr: `length(setproduct(range(1000), range(1000), range(1000)))`, wantErr: "more than 1000000 elements"},
		{expr: `tonumber("1e99999")`, wantErr: "too large or too small"},
		{expr: `tonumber("1e-99999")`, wantErr: "too large or too small"},
		{expr: `jsondecode("[1e99999]")`, wantErr: "too large or too small"},
		{expr: `yamldecode("[1e99999]")`, wantErr: "too large or too small"},
		{expr: `tostring(tonumber("1e999999999"))`, want: cty.StringVal("+Inf")},
		{expr: `ceil(tonumber("1e19000"))`, want: cty.MustParseNumberVal("1e19000")},
		{name: "long parseint", expr: `parseint("` + strings.Repeat("1", 5000) + `", 10)`, wantErr: "longer than 4096"},
		{expr: `cidrhost("10.0.0.0/8", 1e300)`, wantErr: "too large"},
	}
	nested := func(fn string, depth int) string {
		return strings.Repeat(fn+"(", depth) + "1" + strings.Repeat(")", depth)
	}
	cases = append(cases,
		fnCase{name: "nested try", expr: nested("try", 40), want: num(1)},
		fnCase{name: "nested can", expr: nested("can", 40), want: cty.True},
		fnCase{name: "nested failing try", expr: strings.Repeat("try(tonumber(\"x\"), ", 30) + "2" + strings.Repeat(")", 30), want: num(2)},
	)
	start := time.Now()
	runCases(t, tbl, cases)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("hostile inputs took %s", d)
	}
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}
