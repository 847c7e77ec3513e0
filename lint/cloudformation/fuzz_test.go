package cloudformation

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds the template loader anything, as YAML and as JSON, beside
// a template that nests and imports from it: it must never panic or hang,
// and every diagnostic must name a file.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../fixtures/*/cfn-*/*.yaml", "../../fixtures/*/cfn-*/*.json", "../../fixtures/*/cfn-*/*/*.json"} {
		names, _ := filepath.Glob(pattern)
		for _, n := range names {
			src, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src, filepath.Ext(n) == ".json")
		}
	}
	for _, s := range []string{network, taskdefJSON, head + "\nResources: {A: {Type: AWS::SSM::Parameter}}\n",
		"AWSTemplateFormatVersion: 2010-09-09\nResources:\n  A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Select [0, !Cidr [10.0.0.0/8, 256, 0]]}}\n",
		"AWSTemplateFormatVersion: 1\nConditions: {A: !Condition B, B: !Condition A}\nResources: {R: {Type: AWS::IAM::Role, Condition: A}}\nOutputs: {O: {Value: !ImportValue x, Export: {Name: x}}}\n",
		"AWSTemplateFormatVersion: 1\nResources:\n  S: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: fuzz.yaml}}\n",
		"AWSTemplateFormatVersion: 1\nResources:\n  A: &a {Type: AWS::ECS::Service, Properties: {<<: *a}}\n",
	} {
		f.Add([]byte(s), false)
	}
	importer := []byte(`AWSTemplateFormatVersion: 2010-09-09
Resources:
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: fuzz.yaml
      Parameters: {Env: prod, Subnets: "a,b"}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !ImportValue image
          Environment: [{Name: X, Value: !GetAtt Nested.Outputs.SubnetId}]
`)
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		name := "fuzz.yaml"
		if asJSON {
			name = "fuzz.json"
		}
		res, diags := Load([]File{{Name: name, Src: src}, {Name: "importer.yaml", Src: importer}},
			Options{AccountID: "111122223333", Params: []Param{{Assignment: "AWS::Region=eu-west-1"}, {Assignment: "Env=dev"}}})
		if res == nil {
			t.Fatal("nil result")
		}
		for _, d := range diags {
			if d.Subject != nil && d.Subject.Filename == "" {
				t.Fatalf("diagnostic without a file: %v", d)
			}
		}
	})
}
