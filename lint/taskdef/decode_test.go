package taskdef

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// Trees as the Terraform adapter builds them: every node has the range of
// the HCL expression it came from, and what it cannot evaluate is Unknown.

func at(line int) hcl.Range {
	return hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: 1, Byte: line * 10}, End: hcl.Pos{Line: line, Column: 9, Byte: line*10 + 8}}
}

func unk(line int) *jsontree.Value { return &jsontree.Value{Kind: jsontree.Unknown, Range: at(line)} }

func str(line int, s string) *jsontree.Value {
	return &jsontree.Value{Kind: jsontree.String, Str: s, Range: at(line)}
}

func arr(line int, items ...*jsontree.Value) *jsontree.Value {
	return &jsontree.Value{Kind: jsontree.Array, Items: items, Range: at(line)}
}

// obj takes key, value pairs; each key takes its value's line.
func obj(line int, kv ...any) *jsontree.Value {
	v := &jsontree.Value{Kind: jsontree.Object, Range: at(line)}
	for i := 0; i < len(kv); i += 2 {
		val := kv[i+1].(*jsontree.Value)
		v.Members = append(v.Members, jsontree.Member{Key: kv[i].(string), KeyRange: val.Range, Value: val})
	}
	return v
}

func TestDecodeContainersUnknown(t *testing.T) {
	tree := arr(1,
		obj(2,
			"name", str(3, "app"),
			"image", unk(4),
			"repositoryCredentials", unk(5),
			"secrets", unk(6),
			"logConfiguration", obj(7, "logDriver", unk(8), "options", unk(9), "secretOptions", arr(10, unk(11))),
		),
		obj(12,
			"name", unk(13),
			"image", str(14, "nginx"),
			"repositoryCredentials", obj(15, "credentialsParameter", unk(16)),
			"secrets", arr(17, obj(18, "name", str(19, "A"), "valueFrom", unk(20)), unk(21)),
			"logConfiguration", unk(22),
		),
		unk(23),
	)
	cs, diags := DecodeContainers(tree)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var b []string
	p := func(_ int, format string, args ...any) { b = append(b, sprintf(format, args...)) }
	for _, c := range cs {
		dumpContainer(p, c)
	}
	want := []string{
		"container @2:1-2:9",
		`name "app" @3:1-3:9`,
		"image unknown @4:1-4:9",
		"credentials unknown @5:1-5:9",
		"secrets unknown",
		"log driver unknown @8:1-8:9 @7:1-7:9",
		"options unknown",
		"secretOptions [{unknown @11:1-11:9 valueFrom unknown @11:1-11:9}]",
		"container @12:1-12:9",
		"name unknown @13:1-13:9",
		`image "nginx" @14:1-14:9`,
		"credentials unknown @16:1-16:9",
		`secrets [{"A" @19:1-19:9 valueFrom unknown @20:1-20:9} {unknown @21:1-21:9 valueFrom unknown @21:1-21:9}]`,
		"log driver unknown @22:1-22:9 @22:1-22:9",
		"options unknown",
		"secretOptions unknown",
		"container @23:1-23:9",
		"name unknown @23:1-23:9",
		"image unknown @23:1-23:9",
		"credentials unknown @23:1-23:9",
		"secrets unknown",
		"log driver unknown @23:1-23:9 @23:1-23:9",
		"options unknown",
		"secretOptions unknown",
	}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	// Unknown means Known false and Set true: the value was written.
	if f := cs[0].Image; f.Known || !f.Set {
		t.Errorf("image fact %+v", f)
	}
	if cs[0].Fields.Get("image") == nil || cs[2].Fields != nil {
		t.Errorf("Fields: %s, %s", keys(cs[0].Fields), keys(cs[2].Fields))
	}
}

func TestDecodeContainersWhole(t *testing.T) {
	if cs, diags := DecodeContainers(unk(1)); cs != nil || diags != nil {
		t.Errorf("Unknown list: %v %v", cs, diags)
	}
	if cs, diags := DecodeContainers(&jsontree.Value{Kind: jsontree.Null, Range: at(1)}); cs != nil || diags != nil {
		t.Errorf("null list: %v %v", cs, diags)
	}
	cs, diags := DecodeContainers(str(1, `[{"name": "x"}]`))
	if cs != nil || len(diags) != 1 || diags[0].Summary != "Wrong type for containerDefinitions" || *diags[0].Subject != at(1) {
		t.Errorf("string list: %v %v", cs, diags)
	}
	cs, diags = DecodeContainers(arr(1))
	if len(cs) != 0 || diags != nil {
		t.Errorf("empty list: %v %v", cs, diags)
	}
	// Absent and null fields are left out: AWS defaults, nothing unknown.
	cs, _ = DecodeContainers(arr(1, obj(2, "name", str(3, "a"), "image", &jsontree.Value{Kind: jsontree.Null, Range: at(4)},
		"repositoryCredentials", &jsontree.Value{Kind: jsontree.Null, Range: at(5)})))
	c := cs[0]
	if c.Image != model.DefaultFact("", at(2)) || c.HasCredentials || !c.Credentials.IsZero() || !c.SecretsKnown || c.Log != nil {
		t.Errorf("container %+v", c)
	}
}

func TestRepositoryCredentialsWithoutParameter(t *testing.T) {
	cs, diags := DecodeContainers(arr(1, obj(2, "repositoryCredentials", obj(3, "credentialParameter", str(4, "arn:x")))))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	c := cs[0]
	want := model.Ref{Known: true, Range: at(3)}
	if !c.HasCredentials || c.Credentials != want {
		t.Errorf("credentials = %+v, want %+v", c.Credentials, want)
	}
}

func TestDecodeTaskDefinition(t *testing.T) {
	td, diags := DecodeTaskDefinition(unk(1), "x")
	if len(diags) > 0 || td.Family.Known || td.ContainersKnown || td.ExecutionRole.Known || td.ExecutionRole.IsZero() || td.Addr != "x" {
		t.Errorf("Unknown: %+v %v", td, diags)
	}
	td, diags = DecodeTaskDefinition(str(1, "x"), "x")
	if len(diags) != 1 || td.Family.Known {
		t.Errorf("string: %+v %v", td, diags)
	}
	td, diags = DecodeTaskDefinition(obj(1, "family", str(2, "web"), "containerDefinitions", unk(3), "ephemeralStorage", unk(4)), "x")
	if len(diags) > 0 || td.Family.V != "web" || td.ContainersKnown || td.ContainersRange != at(3) || td.EphemeralStorage.Known {
		t.Errorf("unknown containers: %+v %v", td, diags)
	}
}
