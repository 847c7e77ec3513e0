package cloudformation

import (
	"context"
	"os"
	"testing"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// evalProp loads a template whose resource Thing has the property X, and
// returns X as evaluated.
func evalProp(t *testing.T, head, expr string, opts Options) *jsontree.Value {
	t.Helper()
	src := "AWSTemplateFormatVersion: 2010-09-09\n" + head + "\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.1.0.0/16}\n  Thing:\n    Type: AWS::SSM::Parameter\n    Properties:\n      X: " + expr + "\n"
	l := loadOnly(t, []File{{Name: "t.yaml", Src: []byte(src)}}, opts)
	r := l.stacks[0].byID["Thing"]
	m := r.props.Get("X")
	if m == nil {
		return nil
	}
	return m.Value
}

// loadOnly loads files without building, for tests of the evaluator.
func loadOnly(t *testing.T, files []File, opts Options) *loader {
	t.Helper()
	l := newLoader(context.Background(), opts)
	l.readParamArgs()
	for _, f := range files {
		p, diags := parse(f.Name, f.Src)
		if diags.HasErrors() || p == nil {
			t.Fatalf("parse %s: %v", f.Name, diags)
		}
		l.files[f.Name] = p
		l.order = append(l.order, p)
	}
	l.instantiate()
	for _, st := range l.stacks {
		l.evaluate(st)
	}
	return l
}

func show(v *jsontree.Value) string {
	if v == nil {
		return "<absent>"
	}
	if v.Kind == jsontree.Unknown {
		return "<unknown>"
	}
	if v.Kind == jsontree.String {
		return model.Display(v.Str)
	}
	s, _, _ := encodeJSON(v)
	return s
}

const head = `Parameters:
  Env: {Type: String, Default: prod}
  NoDefault: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "subnet-a,subnet-b"}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /my/param}
Mappings:
  Regions:
    eu-west-1: {Ami: ami-1, Zones: [a, b]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref NoDefault, x]
  Both: !And [!Condition IsProd, !Condition Unknown]
  Either: !Or [!Condition IsProd, !Condition Unknown]
  Neither: !And [!Condition IsDev, !Condition Unknown]`

func TestIntrinsics(t *testing.T) {
	opts := Options{Params: []Param{{Assignment: "AWS::Region=eu-west-1"}}}
	tests := []struct{ expr, want string }{
		{"!Ref Env", "prod"},
		{"!Ref NoDefault", "<unknown>"},
		{"!Ref Ssm", "<unknown>"},
		{"!Ref Subnets", `["subnet-a","subnet-b"]`},
		{"!Ref Vpc", "Vpc.id"},
		{"!GetAtt Vpc.CidrBlock", "10.1.0.0/16"},
		{"!GetAtt [Vpc, DefaultSecurityGroup]", "Vpc.default_security_group_id"},
		{"!Ref AWS::Region", "eu-west-1"},
		{"!Ref AWS::Partition", "aws"},
		{"!Ref AWS::AccountId", "<unknown>"},
		{"!Sub 'com.amazonaws.${AWS::Region}.ecr.dkr'", "com.amazonaws.eu-west-1.ecr.dkr"},
		{"!Sub '${Env}-${!Literal}-${Vpc}'", "prod-${Literal}-${Vpc.id}"},
		{"!Sub ['${A}:${B}', {A: x, B: !Ref Env}]", "x:prod"},
		{"!Sub '${NoDefault}-x'", "<unknown>"},
		{"!Join ['-', [a, !Ref Env, 1]]", "a-prod-1"},
		{"!Join [',', !Ref Subnets]", "subnet-a,subnet-b"},
		{"!Select [1, !Ref Subnets]", "subnet-b"},
		{"!Select [5, !Ref Subnets]", "<unknown>"},
		{"!Split [',', 'a,b,c']", `["a","b","c"]`},
		{"!If [IsProd, yes-prod, no]", "yes-prod"},
		{"!If [IsDev, yes, no]", "no"},
		{"!If [Unknown, a, b]", "<unknown>"},
		{"!If [Unknown, same, same]", "same"},
		{"!If [Both, a, b]", "<unknown>"},
		{"!If [Either, a, b]", "a"},
		{"!If [Neither, a, b]", "b"},
		{"!FindInMap [Regions, !Ref AWS::Region, Ami]", "ami-1"},
		{"!FindInMap [Regions, !Ref AWS::Region, Zones]", `["a","b"]`},
		{"!FindInMap [Regions, us-east-1, Ami]", "<unknown>"},
		{"!FindInMap [Regions, us-east-1, Ami, {DefaultValue: d}]", "d"},
		{"!Base64 hello", "aGVsbG8="},
		{"!Cidr [10.0.0.0/16, 3, 8]", `["10.0.0.0/24","10.0.1.0/24","10.0.2.0/24"]`},
		{"!Select [0, !GetAZs '']", "<unknown>"},
		{"!ImportValue not-exported", "<unknown>"},
		{"[a, !Ref AWS::NoValue, b]", `["a","b"]`},
		{"!Length [a, b]", "2"},
		{`{"Fn::Sub": "${AWS::Region}"}`, "eu-west-1"},
		{"!Transform {Name: Macro}", "<unknown>"},
	}
	for _, tc := range tests {
		got := show(evalProp(t, head, tc.expr, opts))
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
	if got := show(evalProp(t, head, "!If [IsProd, !Ref AWS::NoValue, x]", opts)); got != "<absent>" {
		t.Errorf("NoValue left the property: %s", got)
	}
}

func TestParameterValues(t *testing.T) {
	dir := t.TempDir()
	list := dir + "/list.json"
	obj := dir + "/obj.json"
	writeFile(t, list, `[{"ParameterKey": "Env", "ParameterValue": "from-list"}, {"ParameterKey": "NoDefault", "ParameterValue": "n"}]`)
	writeFile(t, obj, `{"Parameters": {"Env": "from-object"}, "Tags": {}}`)
	tests := []struct {
		params []Param
		expr   string
		want   string
	}{
		{nil, "!Ref Env", "prod"},
		{[]Param{{Assignment: "Env=cli"}}, "!Ref Env", "cli"},
		{[]Param{{File: list}}, "!Sub ${Env}-${NoDefault}", "from-list-n"},
		{[]Param{{File: list}, {File: obj}}, "!Ref Env", "from-object"},
		{[]Param{{File: obj}, {Assignment: "Env=last"}}, "!Ref Env", "last"},
		{[]Param{{Assignment: "Subnets=x, y"}}, "!Ref Subnets", `["x","y"]`},
		{[]Param{{Assignment: "Ssm=value"}}, "!Ref Ssm", "<unknown>"},
		{[]Param{{Assignment: "AWS::AccountId=111122223333"}}, "!Ref AWS::AccountId", "111122223333"},
	}
	for _, tc := range tests {
		if got := show(evalProp(t, head, tc.expr, Options{Params: tc.params})); got != tc.want {
			t.Errorf("%v: %s = %s, want %s", tc.params, tc.expr, got, tc.want)
		}
	}
	if got := show(evalProp(t, head, "!Ref AWS::AccountId", Options{AccountID: "444455556666"})); got != "444455556666" {
		t.Errorf("--account-id: AWS::AccountId = %s", got)
	}
}

func TestImportValueAndNestedStacks(t *testing.T) {
	network := `AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Name: {Type: String, Default: shared}
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}
Outputs:
  SubnetId:
    Value: !Ref Subnet
    Export:
      Name: !Sub ${Name}-subnet
`
	app := `AWSTemplateFormatVersion: 2010-09-09
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        SubnetId: !ImportValue shared-subnet
  User:
    Type: AWS::SSM::Parameter
    Properties:
      X: !GetAtt Child.Outputs.Echo
      Y: !GetAtt Child.Outputs.Missing
`
	child := `AWSTemplateFormatVersion: 2010-09-09
Parameters:
  SubnetId: {Type: String}
Resources:
  Local:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: vpc-1}
Outputs:
  Echo:
    Value: !Sub ${SubnetId}/${Local}
`
	l := loadOnly(t, []File{{Name: "network.yaml", Src: []byte(network)}, {Name: "app.yaml", Src: []byte(app)}, {Name: "child.yaml", Src: []byte(child)}}, Options{})
	if len(l.roots) != 2 {
		t.Fatalf("roots: %d, want network and app (child is nested)", len(l.roots))
	}
	var appStack *stack
	for _, st := range l.roots {
		if st.label == "app" {
			appStack = st
		}
	}
	props := appStack.byID["User"].props
	if got := show(props.Get("X").Value); got != "${network.Subnet.id}/${app.Child.Local.id}" {
		t.Errorf("nested output through an import = %s", got)
	}
	if got := show(props.Get("Y").Value); got != "<unknown>" {
		t.Errorf("missing output = %s", got)
	}
	if l.groupOf(l.roots[0]) != l.groupOf(l.roots[1]) {
		t.Errorf("the importing stack is not grouped with the exporting one")
	}
}

func writeFile(t *testing.T, name, src string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
