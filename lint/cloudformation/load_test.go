package cloudformation

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/model"
)

func loadFiles(t *testing.T, opts Options, files ...File) *Result {
	t.Helper()
	res, diags := Load(files, opts)
	if diags.HasErrors() {
		t.Fatalf("diagnostics: %v", diags)
	}
	return res
}

const network = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no egress written
      VpcId: !Ref Vpc
  EcrDkr:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.dkr
      VpcEndpointType: Interface
      SubnetIds: [!Ref Subnet]
      SecurityGroupIds: [!GetAtt Vpc.DefaultSecurityGroup]
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: arn:aws:ecs:eu-west-1:111122223333:task-definition/app:3
      LaunchType: FARGATE
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets:
            - !Ref Subnet
          SecurityGroups: [!GetAtt Open.GroupId]
`

func TestNetworkModel(t *testing.T) {
	res := loadFiles(t, Options{Params: []Param{{Assignment: "AWS::Region=eu-west-1"}}}, File{Name: "net.yaml", Src: []byte(network)})
	cfg := res.Configs[0]
	if cfg.Source != model.SourceCloudFormation || !cfg.Region.Known || cfg.Region.V != "eu-west-1" || cfg.Account.Known {
		t.Errorf("config place: source %v, region %+v, account %+v", cfg.Source, cfg.Region, cfg.Account)
	}
	sn := cfg.Lookup("Subnet").(*model.Subnet)
	if sn.VPC.Addr != "Vpc" || sn.CIDR.V != "10.0.0.0/24" || sn.CIDR.Range.Start.Line != 11 {
		t.Errorf("subnet: vpc %q, cidr %+v", sn.VPC.Addr, sn.CIDR)
	}
	g := cfg.Lookup("Open").(*model.SecurityGroup)
	if len(g.Egress) != 1 || !g.RulesKnown || g.Egress[0].Protocol.V != "-1" || g.Egress[0].CIDRs.V[0] != "0.0.0.0/0" ||
		g.Egress[0].IPv6CIDRs.V[0] != "::/0" || g.Egress[0].Range.Start.Line != 12 {
		t.Errorf("a group without SecurityGroupEgress keeps AWS's allow-all rules: %+v", g.Egress)
	}
	ep := cfg.Lookup("EcrDkr").(*model.VPCEndpoint)
	if !ep.PrivateDNS.Known || ep.PrivateDNS.V || ep.PrivateDNS.Set || ep.ServiceName.V != "com.amazonaws.eu-west-1.ecr.dkr" || ep.Type.V != "Interface" {
		t.Errorf("endpoint: private DNS %+v, service %+v, type %+v", ep.PrivateDNS, ep.ServiceName, ep.Type)
	}
	if len(ep.SecurityGroups.Items) != 1 || ep.SecurityGroups.Items[0].Addr != "Vpc.default_security_group" {
		t.Errorf("endpoint groups: %+v", ep.SecurityGroups)
	}
	s := cfg.Services[0]
	n := s.Network
	if n == nil || n.Range.Start.Line != 31 || !n.Subnets.AllKnown() || n.Subnets.Items[0].Addr != "Subnet" ||
		n.SecurityGroups.Items[0].Addr != "Open" || n.AssignPublicIP.Set || n.AssignPublicIP.V || !n.AssignPublicIP.Known {
		t.Fatalf("service network: %+v", n)
	}
	if s.Range.Start.Line != 25 || s.LaunchType.V != "FARGATE" || s.LaunchType.Range.Start.Line != 29 || s.TaskDefinition.Value == "" {
		t.Errorf("service: %+v", s)
	}
	if s.Fields == nil || s.Fields.Get("NetworkConfiguration") == nil {
		t.Errorf("service fields as written: %+v", s.Fields)
	}
}

const taskdefJSON = `{
  "Resources": {
    "Exec": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}]
      }
    },
    "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "app"}},
    "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "db"}},
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "ExecutionRoleArn": {"Fn::GetAtt": ["Exec", "Arn"]},
        "ContainerDefinitions": [{
          "Name": "app",
          "Image": {"Fn::Sub": "${Repo.RepositoryUri}:1.0"},
          "image": "stray",
          "Secrets": [{"Name": "DB", "ValueFrom": {"Fn::Sub": "${Secret}:password::"}}],
          "RepositoryCredentials": {"CredentialsParameter": {"Ref": "Secret"}}
        }]
      }
    }
  }
}`

func TestTaskDefinitionModel(t *testing.T) {
	res := loadFiles(t, Options{}, File{Name: "task.json", Src: []byte(taskdefJSON)})
	cfg := res.Configs[0]
	td := cfg.TaskDefinitions[0]
	if td.ExecutionRole.Addr != "Exec" || td.ExecutionRole.Range.Start.Line != 15 {
		t.Errorf("execution role: %+v", td.ExecutionRole)
	}
	role := cfg.Lookup("Exec").(*model.Role)
	if !role.Attached.AllKnown() || role.Attached.Items[0].Value != "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" {
		t.Errorf("an AWS-managed policy named with ${AWS::Partition} is known: %+v", role.Attached)
	}
	if len(td.Containers) != 1 {
		t.Fatalf("containers: %d", len(td.Containers))
	}
	c := td.Containers[0]
	if c.ImageRepository.Addr != "Repo" || c.Image.Known || !strings.HasSuffix(c.Image.V, ":1.0") || c.Image.Range.Start.Line != 18 {
		t.Errorf("image: %+v, repository %+v", c.Image, c.ImageRepository)
	}
	if !c.HasCredentials || c.Credentials.Addr != "Secret" || len(c.Secrets) != 1 || c.Secrets[0].ValueFrom.Addr != "Secret" || !c.Secrets[0].SelectsPart {
		t.Errorf("credentials %+v, secrets %+v", c.Credentials, c.Secrets)
	}
	if c.Fields.Get("image") == nil || c.Fields.Get("Image") == nil {
		t.Errorf("the keys as written, for CP401: %+v", c.Fields)
	}
}

func TestCDKAssets(t *testing.T) {
	manifest := `{"version": "36.0.0", "artifacts": {
  "App": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1", "properties": {"templateFile": "App.template.json"}},
  "Anywhere": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Anywhere.template.json", "stackName": "anywhere-prod"}}
}}`
	tmpl := `{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
  {"Name": "web", "Image": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:0123abcd"}}
]}}}}`
	res := loadFiles(t, Options{},
		File{Name: "cdk.out/manifest.json", Src: []byte(manifest)},
		File{Name: "cdk.out/App.template.json", Src: []byte(tmpl)},
		File{Name: "cdk.out/Anywhere.template.json", Src: []byte(tmpl)})
	if len(res.Configs) != 2 {
		t.Fatalf("configs: %d", len(res.Configs))
	}
	for _, cfg := range res.Configs {
		td := cfg.TaskDefinitions[0]
		c := td.Containers[0]
		repo, ok := model.Resolve[*model.Repository](cfg, c.ImageRepository)
		if !ok || !repo.Implicit {
			t.Errorf("%s: the asset image is not in the bootstrap repository: %+v", td.Addr, c.ImageRepository)
			continue
		}
		switch td.Addr {
		case "App.Task":
			if !c.Image.Known || c.Image.V != "111122223333.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets-111122223333-eu-west-1:0123abcd" {
				t.Errorf("image with the stack's environment: %+v", c.Image)
			}
		case "anywhere-prod.Task":
			if c.Image.Known || repo.Account.Known || !strings.HasSuffix(c.Image.V, ":0123abcd") {
				t.Errorf("an environment-agnostic stack's image is private ECR of an unknown account: %+v, %+v", c.Image, repo)
			}
		default:
			t.Errorf("address %q: want the stacks' names from the manifest", td.Addr)
		}
	}
}

func TestIgnoresAndNotes(t *testing.T) {
	src := `AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Resources:
  # canpull:ignore CP203 the tasks use an egress proxy
  Service:
    Type: AWS::ECS::Service
    Metadata:
      canpull:
        ignore:
          - id: CP301
            reason: mirrored
    Properties:
      ServiceName: "# canpull:ignore CP999 not a comment"
  Base: &base
    Type: AWS::SSM::Parameter
  Copy: *base
`
	res := loadFiles(t, Options{}, File{Name: "t.yaml", Src: []byte(src)})
	if len(res.Ignores) != 1 || res.Ignores[0].Rule != "CP301" || res.Ignores[0].Reason != "mirrored" || res.Ignores[0].Covers.Start.Line != 5 {
		t.Errorf("metadata ignores: %+v", res.Ignores)
	}
	y := res.YAML["t.yaml"]
	if len(y.Comments) != 1 || y.Comments[0].Range.Start.Line != 4 || y.Comments[0].Text != "canpull:ignore CP203 the tasks use an egress proxy" {
		t.Errorf("comments: %+v", y.Comments)
	}
	var notes []string
	for _, m := range res.Missing {
		notes = append(notes, m.What)
	}
	all := strings.Join(notes, "\n")
	if !strings.Contains(all, "SAM transform") || !strings.Contains(all, "YAML alias") {
		t.Errorf("notes: %s", all)
	}
}

func TestNotTemplates(t *testing.T) {
	for name, src := range map[string]string{
		"k8s.yaml":     "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n",
		"package.json": `{"name": "x", "dependencies": {}}`,
		"sls.yml":      "service: x\nresources:\n  Resources:\n    B: {Type: AWS::S3::Bucket}\n",
	} {
		res, diags := Load([]File{{Name: name, Src: []byte(src)}}, Options{})
		if len(diags) > 0 || len(res.Configs) != 0 {
			t.Errorf("%s: read as a template: %v, %d configs", name, diags, len(res.Configs))
		}
	}
	_, diags := Load([]File{{Name: "bad.yaml", Src: []byte("AWSTemplateFormatVersion: 2010-09-09\nResources:\n  A: [\n")}}, Options{})
	if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Filename != "bad.yaml" {
		t.Errorf("invalid YAML: %v", diags)
	}
}

func TestLabels(t *testing.T) {
	tmpl := []byte("AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Task: {Type: AWS::ECS::TaskDefinition}\n")
	var files []File
	for _, n := range []string{"prod/app.yaml", "dev/app.yaml", "svc/web.yaml", "svc/web.json", "other/web.yaml", "lone.template"} {
		src := tmpl
		if strings.HasSuffix(n, ".json") {
			src = []byte(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition"}}}`)
		}
		files = append(files, File{Name: n, Src: src})
	}
	res := loadFiles(t, Options{}, files...)
	var got []string
	for _, cfg := range res.Configs {
		for _, td := range cfg.TaskDefinitions {
			got = append(got, td.Addr)
		}
	}
	want := "dev/app.Task lone.Task other/web.Task prod/app.Task web[json].Task web[yaml].Task"
	sort.Strings(got)
	if strings.Join(got, " ") != want {
		t.Errorf("addresses:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestNetworkACLsAndDHCP(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Other:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  AllowHttps:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
  DenyDefault:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl, RuleNumber: 90, Protocol: -1, RuleAction: deny, CidrBlock: 10.9.0.0/16}
  Association:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref Subnet, NetworkAclId: !Ref Acl}
  Dhcp:
    Type: AWS::EC2::DHCPOptions
    Properties: {DomainNameServers: [10.0.0.10]}
  DhcpAssociation:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties: {VpcId: !Ref Vpc, DhcpOptionsId: !Ref Dhcp}
`
	cfg := loadFiles(t, Options{}, File{Name: "acl.yaml", Src: []byte(src)}).Configs[0]
	acl := cfg.Lookup("Acl").(*model.NetworkACL)
	if len(acl.Egress) != 1 || len(acl.Ingress) != 0 || acl.Egress[0].FromPort.V != 443 || acl.Egress[0].Protocol.V != "6" || acl.Egress[0].Range.Start.Line != 15 {
		t.Errorf("acl rules: %+v %+v", acl.Egress, acl.Ingress)
	}
	def := cfg.Lookup("Vpc.default_network_acl").(*model.NetworkACL)
	if len(def.Ingress) != 3 || def.Ingress[2].Number.V != 90 || !def.Implicit {
		t.Errorf("an entry added to the VPC's default ACL: %+v", def.Ingress)
	}
	if s := cfg.Lookup("Subnet").(*model.Subnet); s.NetworkACL.Addr != "Acl" {
		t.Errorf("subnet ACL: %+v", s.NetworkACL)
	}
	if s := cfg.Lookup("Other").(*model.Subnet); !s.NetworkACL.IsZero() {
		t.Errorf("a subnet without an association uses the VPC's default ACL: %+v", s.NetworkACL)
	}
	if v := cfg.Lookup("Vpc").(*model.VPC); v.DHCPOptions.Addr != "Dhcp" || v.DefaultNetworkACL.Addr != "Vpc.default_network_acl" {
		t.Errorf("VPC: %+v", v)
	}
}

// A stack that holds nothing the rules check needs no region or account:
// no note asks for one (awslabs/aws-cloudformation-templates: 87 such
// notes on buckets, Lambda functions and instances). A stack that exports
// to one that does is checked with it.
func TestPseudoNotesOnlyWhereChecked(t *testing.T) {
	bucket := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub site-${AWS::Region}
`
	vpc := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags: [{Key: Name, Value: !Sub "vpc-${AWS::Region}"}]
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: shared-vpc}
`
	app := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: tasks
      VpcId: !ImportValue shared-vpc
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !Sub "${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/app:1"
`
	res := loadFiles(t, Options{}, File{Name: "bucket.yaml", Src: []byte(bucket)},
		File{Name: "vpc.yaml", Src: []byte(vpc)}, File{Name: "app.yaml", Src: []byte(app)})
	var got []string
	for _, m := range res.Missing {
		if strings.Contains(m.What, "deploys to") {
			got = append(got, m.Range.Filename+": "+m.What)
		}
	}
	sort.Strings(got)
	want := []string{
		"app.yaml: the account that stack app deploys to (AWS::AccountId): the template leaves it to the deployment",
		"vpc.yaml: the region that stack vpc deploys to (AWS::Region): the template leaves it to the deployment",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A container field of the wrong shape is one error at that field, in the
// template's spelling, and its inner keys are not fields for the spelling
// rule (issue 11, item 7: the same in every input).
func TestWrongShapeInTemplateSpelling(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/docker/library/redis:7.2
          PortMappings:
            Web:
              ContainerPort: 6379
          LogConfiguration:
            - LogDriver: awslogs
`
	res, diags := Load([]File{{Name: "template.yaml", Src: []byte(src)}}, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d %s", d.Subject.Start.Line, d.Summary))
		if strings.Contains(d.Detail, "containerDefinitions") || !strings.Contains(d.Detail, "ContainerDefinitions[0].") {
			t.Errorf("detail not in the template's spelling: %s", d.Detail)
		}
	}
	want := "9 Wrong type for ContainerDefinitions[0].PortMappings|12 Wrong type for ContainerDefinitions[0].LogConfiguration"
	if strings.Join(got, "|") != want {
		t.Errorf("diagnostics:\n got %q\nwant %q", strings.Join(got, "|"), want)
	}
	td := res.Configs[0].TaskDefinitions[0]
	for _, doc := range []*model.Doc{td.Containers[0].Fields, td.Fields} {
		var keys []string
		var walk func(d *model.Doc)
		walk = func(d *model.Doc) {
			for _, f := range d.Fields {
				keys = append(keys, f.Key)
				if f.Object != nil {
					walk(f.Object)
				}
				for _, a := range f.Array {
					walk(a)
				}
			}
		}
		walk(doc)
		if slices.Contains(keys, "Web") || slices.Contains(keys, "LogDriver") {
			t.Errorf("keys inside a value of the wrong shape read as fields: %v", keys)
		}
	}
}

// A map's own keys (an awslogs option) stay as the template writes them
// when the path before them is put in its spelling; the numbers and
// booleans CloudFormation passes on as strings are no error.
func TestOptionInTemplateSpelling(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/docker/library/redis:7.2
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-create-group: true
              max-buffer-size: 25
              awslogs-group: [a, b]
`
	res, diags := Load([]File{{Name: "template.yaml", Src: []byte(src)}}, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d %s", d.Subject.Start.Line, d.Summary))
	}
	want := "14 Wrong type for ContainerDefinitions[0].LogConfiguration.Options.awslogs-group"
	if strings.Join(got, "|") != want {
		t.Errorf("diagnostics:\n got %q\nwant %q", strings.Join(got, "|"), want)
	}
	opts := res.Configs[0].TaskDefinitions[0].Containers[0].Log.Options
	if o := opts["awslogs-create-group"]; !o.Known || o.V != "true" {
		t.Errorf("awslogs-create-group = %+v, want the string true", o)
	}
	if o := opts["max-buffer-size"]; !o.Known || o.V != "25" {
		t.Errorf("max-buffer-size = %+v, want the string 25", o)
	}
}

// TestTemplatingSource: a file that a templating tool (Mustache, Jinja)
// turns into a template, and that is not YAML as it stands, is a note that
// says where its markers are, not an input error: the template that is
// deployed is the one the tool renders. A broken template without markers
// is still an error.
func TestTemplatingSource(t *testing.T) {
	src := "# Rendered by the deploy script.\n\nDescription: {{ envName }} workers.\nResources:\n{{#queues}}\n  Queue{{name}}:\n    Type: AWS::SQS::Queue\n{{/queues}}\n  Task:\n    Type: AWS::ECS::TaskDefinition\n"
	res, diags := Load([]File{{Name: "workers.template", Src: []byte(src)}}, Options{})
	if len(diags) > 0 {
		t.Fatalf("a templating source is an input error: %v", diags)
	}
	if len(res.Missing) != 1 || res.Missing[0].Range.Start.Line != 3 || res.Missing[0].Range.Filename != "workers.template" ||
		!strings.Contains(res.Missing[0].What, "{{") || !strings.Contains(res.Missing[0].Hint, "render") {
		t.Errorf("want one note at line 3 that names the markers and says to lint the rendered template: %+v", res.Missing)
	}
	_, diags = Load([]File{{Name: "bad.yaml", Src: []byte("AWSTemplateFormatVersion: 2010-09-09\n# {{ not a marker in a comment }}\nResources:\n  A: [\n")}}, Options{})
	if !diags.HasErrors() {
		t.Errorf("invalid YAML whose only braces are in a comment: no error")
	}
}
