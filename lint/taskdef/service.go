package taskdef

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// service reads a create-service input or one service of a
// describe-services output; the two share their field names, except that
// the output names the cluster by clusterArn.
func (d *decoder) service(v *jsontree.Value, addr, path string) *model.Service {
	d.shapes(v, ecsschema.Service, path)
	s := &model.Service{
		Meta:   model.Meta{Addr: addr, Range: openRange(v)},
		Fields: docOf(v),
	}
	s.Name = d.str(v, path, "serviceName", "")
	s.Cluster = d.ref(v, path, "cluster")
	if s.Cluster.IsZero() {
		s.Cluster = d.ref(v, path, "clusterArn")
	}
	s.TaskDefinition = d.ref(v, path, "taskDefinition")
	s.LaunchType = d.str(v, path, "launchType", "")
	s.CapacityStrategy = d.strategy(v, path, "capacityProviderStrategy")
	s.PlatformVersion = d.str(v, path, "platformVersion", "LATEST")
	s.Network = d.network(v, path)
	// A describe-services output, or a cluster given by ARN, says where
	// the service runs.
	if arn := d.ref(v, path, "serviceArn"); arn.Known {
		s.Account, s.Region = arnPlace(arn.Value, arn.Range)
	} else if s.Cluster.Known {
		s.Account, s.Region = arnPlace(s.Cluster.Value, s.Cluster.Range)
	}
	return s
}

func (d *decoder) strategy(obj *jsontree.Value, path, key string) model.Strategy {
	m, p := d.field(obj, path, key, jsontree.Array)
	switch p {
	case absent:
		return model.Strategy{Known: true, Range: obj.Range}
	case unknown:
		return model.Strategy{Set: true, Range: m.Value.Range}
	}
	st := model.Strategy{Known: true, Set: true, Range: m.Value.Range}
	for i, it := range m.Value.Items {
		p := fmt.Sprintf("%s[%d]", join(path, key), i)
		if d.item(it, p, jsontree.Object, false) != present {
			r := it.Range
			st.Items = append(st.Items, model.StrategyItem{
				Provider: model.UnknownFact[string](r), Weight: model.UnknownFact[int](r), Base: model.UnknownFact[int](r),
			})
			continue
		}
		st.Items = append(st.Items, model.StrategyItem{
			Provider: d.str(it, p, "capacityProvider", ""),
			Weight:   d.integer(it, p, "weight", 0),
			Base:     d.integer(it, p, "base", 0),
		})
	}
	return st
}

// network reads networkConfiguration.awsvpcConfiguration; nil when the
// service has none.
func (d *decoder) network(obj *jsontree.Value, path string) *model.NetworkConfig {
	m, p := d.field(obj, path, "networkConfiguration", jsontree.Object)
	if p == present {
		path = join(path, "networkConfiguration")
		m, p = d.field(m.Value, path, "awsvpcConfiguration", jsontree.Object)
	}
	switch p {
	case absent:
		return nil
	case unknown:
		r := m.Value.Range
		return &model.NetworkConfig{
			Subnets:        model.Refs{Set: true, Range: r},
			SecurityGroups: model.Refs{Set: true, Range: r},
			AssignPublicIP: model.UnknownFact[bool](r),
			Range:          r,
		}
	}
	aw, path := m.Value, join(path, "awsvpcConfiguration")
	return &model.NetworkConfig{
		Subnets:        d.refs(aw, path, "subnets"),
		SecurityGroups: d.refs(aw, path, "securityGroups"),
		AssignPublicIP: d.assignPublicIP(aw, path),
		Range:          aw.Range,
	}
}

func (d *decoder) assignPublicIP(aw *jsontree.Value, path string) model.Fact[bool] {
	f := d.str(aw, path, "assignPublicIp", "DISABLED")
	switch {
	case !f.Known:
		return model.UnknownFact[bool](f.Range)
	case !f.Set:
		return model.DefaultFact(false, f.Range)
	case f.V == "ENABLED":
		return model.KnownFact(true, f.Range)
	case f.V == "DISABLED":
		return model.KnownFact(false, f.Range)
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for " + join(path, "assignPublicIp"),
		Detail:   fmt.Sprintf(`assignPublicIp must be "ENABLED" or "DISABLED", not %q. AWS would refuse this document.`, f.V),
		Subject:  f.Range.Ptr(),
	})
	return model.UnknownFact[bool](f.Range)
}
