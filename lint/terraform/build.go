package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// builder turns evaluated resource instances into the model.
type builder struct {
	ev  *evaluator
	cfg *model.Config
	// byType holds the instances of each modeled type, in address order.
	byType map[string][]*resInst
	// unknownTypes are types with a resource whose instances are unknown:
	// anything such a resource might have added is unknown too.
	unknownTypes map[string]bool
	// names indexes literal identifiers (names, families) to addresses.
	names map[string]map[string]string
	// typeOf is the resource type of every evaluated instance address.
	typeOf map[string]string
}

// modeledTypes are the resource types the model is built from.
var modeledTypes = map[string]bool{
	"aws_ecs_task_definition": true, "aws_ecs_service": true, "aws_ecs_cluster": true,
	"aws_ecs_cluster_capacity_providers": true,
	"aws_vpc":                            true, "aws_default_vpc": true, "aws_subnet": true,
	"aws_route_table": true, "aws_default_route_table": true, "aws_route": true,
	"aws_route_table_association": true, "aws_main_route_table_association": true, "aws_vpn_gateway_route_propagation": true,
	"aws_internet_gateway": true, "aws_internet_gateway_attachment": true,
	"aws_egress_only_internet_gateway": true, "aws_nat_gateway": true,
	"aws_vpc_endpoint": true, "aws_vpc_endpoint_route_table_association": true,
	"aws_vpc_endpoint_subnet_association": true, "aws_vpc_endpoint_private_dns": true, "aws_vpc_endpoint_policy": true, "aws_vpc_endpoint_security_group_association": true,
	"aws_security_group": true, "aws_default_security_group": true, "aws_security_group_rule": true,
	"aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_iam_role": true, "aws_iam_policy": true, "aws_iam_role_policy": true,
	"aws_iam_role_policy_attachment": true, "aws_iam_policy_attachment": true,
	"aws_ecr_repository": true, "aws_ecr_repository_policy": true, "aws_ecr_registry_policy": true,
	"aws_ecr_pull_through_cache_rule": true,
	"aws_secretsmanager_secret":       true, "aws_ssm_parameter": true,
	// IAM: where roles get their policies, and what secrets and logs need.
	"aws_iam_role_policies_exclusive": true, "aws_iam_role_policy_attachments_exclusive": true,
	"aws_secretsmanager_secret_policy": true, "aws_kms_key": true, "aws_kms_alias": true,
	"aws_cloudwatch_log_group": true,
	// Network ACLs and DHCP options.
	"aws_network_acl": true, "aws_default_network_acl": true, "aws_network_acl_rule": true,
	"aws_network_acl_association": true, "aws_vpc_dhcp_options": true, "aws_default_vpc_dhcp_options": true,
	"aws_vpc_dhcp_options_association": true,
	// EC2 capacity, repository creation templates and GuardDuty.
	"aws_ecs_capacity_provider": true, "aws_autoscaling_group": true, "aws_launch_template": true,
	"aws_launch_configuration": true, "aws_iam_instance_profile": true,
	"aws_ecr_repository_creation_template": true, "aws_guardduty_detector_feature": true,
}

func newBuilder(ev *evaluator) *builder {
	return &builder{
		ev:           ev,
		cfg:          &model.Config{Source: model.SourceTerraform},
		byType:       map[string][]*resInst{},
		unknownTypes: map[string]bool{},
		names:        map[string]map[string]string{},
		typeOf:       map[string]string{},
	}
}

func build(ev *evaluator) *model.Config {
	b := newBuilder(ev)
	ev.root.walk(func(in *modInst) {
		b.cfg.AddModule(in.addr)
		for _, r := range in.mod.resources {
			if r.mode != "resource" || !modeledTypes[r.typ] {
				continue
			}
			rs := in.instances(in.resources[r.addr()])
			if !rs.known {
				b.unknownTypes[r.typ] = true
			}
			b.byType[r.typ] = append(b.byType[r.typ], rs.insts...)
		}
	})
	for _, in := range ev.all {
		b.typeOf[in.addr] = in.typ
	}
	b.placeOrigins()
	b.listDownloaded()
	if ev.l.missingModules || ev.l.broken {
		b.cfg.SetIncomplete(model.KindAll)
	}
	return b.run()
}

// run builds the model from the instances collected in byType.
func (b *builder) run() *model.Config {
	b.indexNames()
	b.setAccount()
	for typ := range b.unknownTypes {
		if k := kindOf[typ]; k != "" {
			b.cfg.SetIncomplete(k)
		}
	}

	b.network()
	b.iam()
	b.secrets()
	b.ecr()
	b.capacity()
	b.guardDuty()
	b.ecs()
	return b.cfg
}

// kindOf maps resource types to the kinds of Config.Incomplete.
var kindOf = map[string]string{
	"aws_vpc_endpoint": model.KindEndpoint, "aws_ecr_repository": model.KindRepository,
	"aws_ecr_repository_policy": model.KindPolicy, "aws_ecr_registry_policy": model.KindPolicy,
	"aws_route": model.KindRoute, "aws_route_table": model.KindRoute,
	"aws_security_group": model.KindSecurityGroup,
	"aws_network_acl":    model.KindNetworkACL, "aws_default_network_acl": model.KindNetworkACL,
	"aws_network_acl_rule": model.KindNetworkACL, "aws_network_acl_association": model.KindNetworkACL,
	"aws_vpc_dhcp_options": model.KindDHCPOptions, "aws_vpc_dhcp_options_association": model.KindDHCPOptions,
	"aws_ecr_repository_creation_template": model.KindCreationTemplate, "aws_ecr_pull_through_cache_rule": model.KindCacheRule,
}

// setAccount decides the account the configuration deploys to.
func (b *builder) setAccount() {
	root := b.ev.root
	region, account := root.providers["aws"].settings(b.ev.l.opts.AccountID)
	if b.ev.l.opts.AccountID != "" {
		account = model.Fact[string]{V: b.ev.l.opts.AccountID, Known: true}
	}
	b.cfg.Account, b.cfg.Region = account, region
}

// meta fills the common part of an object. Since version 6 of the AWS
// provider a resource may name its own region, which wins over the
// provider's.
func (b *builder) meta(ri *resInst) model.Meta {
	region, account := ri.mod.providerFor(ri.res).settings(b.ev.l.opts.AccountID)
	if a := ri.block.attrs["region"]; a != nil && !(a.val.IsKnown() && a.val.IsNull()) {
		region = stringFact(a)
		if region.Known && model.HasToken(region.V) {
			region = model.UnknownFact[string](a.rng)
		}
	}
	return model.Meta{Addr: ri.addr, Range: ri.block.defRange, Account: account, Region: region}
}

// indexNames records the literal names that other resources may use to
// refer to an instance instead of a reference expression.
func (b *builder) indexNames() {
	add := func(typ, name, addr string) {
		if name == "" || model.HasToken(name) {
			return
		}
		if b.names[typ] == nil {
			b.names[typ] = map[string]string{}
		}
		if prev, dup := b.names[typ][name]; !dup {
			b.names[typ][name] = addr
		} else if prev != addr {
			b.names[typ][name] = "" // two resources by one name: which is meant is unknown
		}
	}
	for typ, insts := range b.byType {
		for _, ri := range insts {
			key := "name"
			switch typ {
			case "aws_ecs_task_definition":
				key = "family"
			case "aws_ecs_service", "aws_route_table", "aws_subnet", "aws_vpc":
				continue
			}
			if s, ok := attrString(ri.block, key); ok {
				add(typ, s, ri.addr)
			}
		}
	}
}

// ref turns an argument into a reference to an object of one of types.
func (b *builder) ref(a *evalAttr, types ...string) model.Ref {
	if a == nil {
		return model.Ref{}
	}
	if !a.val.IsKnown() {
		return model.Ref{Range: a.rng}
	}
	if a.val.IsNull() {
		return model.Ref{}
	}
	s, ok := knownString(a.val)
	if !ok {
		return model.Ref{Range: a.rng}
	}
	return b.refString(s, a.rng, types...)
}

func (b *builder) refString(s string, rng hcl.Range, types ...string) model.Ref {
	r := model.Ref{Known: true, Range: rng}
	if toks := model.Tokens(s); len(toks) > 0 {
		for _, t := range toks {
			if contains(types, b.typeOf[t.Addr]) {
				r.Addr = t.Addr
				return r
			}
		}
		// Computed by something canpull does not model.
		return model.Ref{Range: rng}
	}
	r.Value = s
	for _, typ := range types {
		for _, id := range identifiers(s) {
			if addr, ok := b.names[typ][id]; ok {
				if addr == "" {
					return model.Ref{Range: rng} // ambiguous: unknown
				}
				r.Addr = addr
				return r
			}
		}
	}
	return r
}

// refs turns a list argument into references to objects of types.
func (b *builder) refs(eb *evalBlock, name string, types ...string) model.Refs {
	return b.refsWith(eb, name, func(a *evalAttr) model.Ref { return b.ref(a, types...) })
}

// identifiers lists the names a literal may identify a resource by: itself,
// and for an ARN the name inside it ("arn:…:role/path/NAME" → NAME).
func identifiers(s string) []string {
	ids := []string{s}
	if strings.HasPrefix(s, "arn:") {
		parts := strings.SplitN(s, ":", 6)
		if len(parts) == 6 {
			res := parts[5]
			switch {
			case strings.HasPrefix(res, "role/"), strings.HasPrefix(res, "policy/"), strings.HasPrefix(res, "cluster/"),
				strings.HasPrefix(res, "repository/"):
				ids = append(ids, res[strings.LastIndexByte(res, '/')+1:])
			case strings.HasPrefix(res, "task-definition/"):
				fam := strings.TrimPrefix(res, "task-definition/")
				if i := strings.LastIndexByte(fam, ':'); i > 0 {
					fam = fam[:i]
				}
				ids = append(ids, fam)
			case strings.HasPrefix(res, "secret:"):
				name := strings.TrimPrefix(res, "secret:")
				if i := strings.LastIndexByte(name, '-'); i > 0 && len(name)-i == 7 {
					ids = append(ids, name[:i])
				}
				ids = append(ids, name)
			case strings.HasPrefix(res, "instance-profile/"):
				ids = append(ids, res[strings.LastIndexByte(res, '/')+1:])
			case strings.HasPrefix(res, "autoScalingGroup:") && strings.Contains(res, ":autoScalingGroupName/"):
				ids = append(ids, res[strings.Index(res, ":autoScalingGroupName/")+len(":autoScalingGroupName/"):])
			case strings.HasPrefix(res, "alias/"):
				ids = append(ids, res) // a KMS alias is named "alias/…"
			case strings.HasPrefix(res, "parameter/"):
				name := strings.TrimPrefix(res, "parameter")
				ids = append(ids, name, strings.TrimPrefix(name, "/"))
			}
		}
	} else if i := strings.LastIndexByte(s, ':'); i > 0 && !strings.Contains(s, "/") {
		ids = append(ids, s[:i]) // family:revision
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tokenOf returns the token an argument holds when its value is exactly
// one token: a reference to a computed attribute of a resource.
func (b *builder) tokenOf(a *evalAttr) (model.TokenRef, bool) {
	if a == nil {
		return model.TokenRef{}, false
	}
	s, ok := knownString(a.val)
	if !ok {
		return model.TokenRef{}, false
	}
	return model.ParseToken(s)
}
