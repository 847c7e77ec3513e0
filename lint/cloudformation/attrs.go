package cloudformation

import (
	"math/big"
	"net/netip"
	"strings"
)

// What Ref and Fn::GetAtt return, as the token attributes the rules read.
// The rules know Terraform's attribute names (id, arn, name,
// repository_url, …): each CloudFormation attribute is named by the
// Terraform attribute that holds the same value.

// refAttr is what Ref returns for a resource type: an ID, a name or an ARN,
// as the CloudFormation resource reference says for each type.
func refAttr(typ string) string {
	switch typ {
	case "AWS::IAM::Role", "AWS::IAM::InstanceProfile", "AWS::ECR::Repository", "AWS::SSM::Parameter",
		"AWS::Logs::LogGroup", "AWS::ECS::Cluster", "AWS::KMS::Alias", "AWS::ECS::CapacityProvider":
		return "name"
	case "AWS::IAM::ManagedPolicy", "AWS::SecretsManager::Secret", "AWS::ECS::TaskDefinition", "AWS::ECS::Service":
		return "arn"
	}
	if strings.HasPrefix(typ, "AWS::EC2::") || typ == "AWS::KMS::Key" {
		return "id"
	}
	return "ref"
}

// getAttAttr names a Fn::GetAtt attribute by the Terraform attribute of
// the same value. suffix is text CloudFormation adds after it: a log
// group's Arn ends in ":*", which Terraform's arn does not.
func getAttAttr(typ, attr string) (name, suffix string) {
	switch attr {
	case "Arn":
		if typ == "AWS::Logs::LogGroup" {
			return "arn", ":*"
		}
		return "arn", ""
	case "RepositoryUri":
		return "repository_url", ""
	case "DefaultSecurityGroup":
		return "default_security_group_id", ""
	case "DefaultNetworkAcl":
		return "default_network_acl_id", ""
	case "GroupId", "VpcId", "SubnetId", "RouteTableId", "InternetGatewayId", "NatGatewayId", "Id", "AllocationId":
		if typ == "AWS::SecretsManager::Secret" {
			return "arn", ""
		}
		return "id", ""
	case "KeyId":
		return "id", ""
	case "TaskDefinitionArn", "ServiceArn", "PolicyArn":
		return "arn", ""
	case "Name":
		return "name", ""
	}
	return attr, ""
}

// cidrSubnets is Fn::Cidr: count blocks of 2^bits addresses each, in
// order, from the start of block.
func cidrSubnets(block string, count, bits int) ([]string, bool) {
	p, err := netip.ParsePrefix(block)
	if err != nil || count < 1 || count > 256 || bits < 0 {
		return nil, false
	}
	total := 32
	if p.Addr().Is6() {
		total = 128
	}
	newLen := total - bits
	if newLen < p.Bits() || newLen > total {
		return nil, false
	}
	if newLen-p.Bits() < 63 && count > 1<<(newLen-p.Bits()) {
		return nil, false
	}
	base := new(big.Int).SetBytes(p.Masked().Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	out := make([]string, 0, count)
	for i := 0; i < count; i++ {
		raw := base.Bytes()
		buf := make([]byte, total/8)
		copy(buf[len(buf)-len(raw):], raw)
		a, ok := netip.AddrFromSlice(buf)
		if !ok {
			return nil, false
		}
		out = append(out, netip.PrefixFrom(a, newLen).String())
		base.Add(base, step)
	}
	return out, true
}
