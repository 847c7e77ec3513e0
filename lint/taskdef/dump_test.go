package taskdef

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// The dump writes a configuration as indented text, one fact per line
// with the range it points at (line:col-line:col), so that adapter tests
// read as "source in, model out".

func rng(r hcl.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

func fact[T any](f model.Fact[T]) string {
	var v string
	switch x := any(f.V).(type) {
	case string:
		v = fmt.Sprintf("%q", x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		v = "[" + strings.Join(q, " ") + "]"
	default:
		v = fmt.Sprint(x)
	}
	switch {
	case !f.Known && !f.Set && f.Range == (hcl.Range{}):
		return "none"
	case !f.Known:
		return "unknown @" + rng(f.Range)
	case !f.Set:
		return "default " + v + " @" + rng(f.Range)
	}
	return v + " @" + rng(f.Range)
}

func ref(r model.Ref) string {
	switch {
	case r.IsZero():
		return "-"
	case !r.Known:
		return "unknown @" + rng(r.Range)
	}
	s := fmt.Sprintf("%q @%s", r.Value, rng(r.Range))
	if r.Addr != "" {
		s += " -> " + r.Addr
	}
	return s
}

func refs(rs model.Refs) string {
	var b strings.Builder
	switch {
	case !rs.Known:
		b.WriteString("unknown")
	case !rs.Set:
		b.WriteString("default")
	}
	b.WriteString("[")
	for i, r := range rs.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ref(r))
	}
	return b.String() + "] @" + rng(rs.Range)
}

func secrets(uses []model.SecretUse, known bool) string {
	if !known {
		return "unknown"
	}
	var parts []string
	for _, u := range uses {
		parts = append(parts, "{"+fact(u.Name)+" valueFrom "+ref(u.ValueFrom)+"}")
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func keys(d *model.Doc) string {
	if d == nil {
		return "nil"
	}
	var ks []string
	for _, f := range d.Fields {
		k := f.Key
		if f.Object != nil {
			k += keys(f.Object)
		}
		for _, a := range f.Array {
			k += "[" + keys(a) + "]"
		}
		ks = append(ks, k)
	}
	return "{" + strings.Join(ks, " ") + "}"
}

func dumpConfig(c *model.Config) string {
	var b strings.Builder
	p := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format+"\n", args...)
	}
	for _, td := range c.TaskDefinitions {
		p(0, "task definition %s @%s", td.Addr, rng(td.Range))
		if td.Account.Known || td.Region.Known {
			p(1, "account %s region %s", fact(td.Account), fact(td.Region))
		}
		p(1, "family %s", fact(td.Family))
		p(1, "requiresCompatibilities %s", fact(td.RequiresCompatibilities))
		p(1, "networkMode %s", fact(td.NetworkMode))
		p(1, "executionRole %s", ref(td.ExecutionRole))
		p(1, "taskRole %s", ref(td.TaskRole))
		p(1, "cpuArchitecture %s", fact(td.CPUArchitecture))
		p(1, "osFamily %s", fact(td.OSFamily))
		p(1, "ephemeralStorage %s", fact(td.EphemeralStorage))
		p(1, "containers known=%v @%s", td.ContainersKnown, rng(td.ContainersRange))
		for _, ct := range td.Containers {
			dumpContainer(p, ct)
		}
	}
	for _, s := range c.Services {
		p(0, "service %s @%s", s.Addr, rng(s.Range))
		if s.Account.Known || s.Region.Known {
			p(1, "account %s region %s", fact(s.Account), fact(s.Region))
		}
		p(1, "name %s", fact(s.Name))
		p(1, "cluster %s", ref(s.Cluster))
		p(1, "taskDefinition %s", ref(s.TaskDefinition))
		p(1, "launchType %s", fact(s.LaunchType))
		st := s.CapacityStrategy
		p(1, "strategy known=%v set=%v @%s", st.Known, st.Set, rng(st.Range))
		for _, it := range st.Items {
			p(2, "%s weight %s base %s", fact(it.Provider), fact(it.Weight), fact(it.Base))
		}
		p(1, "platformVersion %s", fact(s.PlatformVersion))
		if n := s.Network; n != nil {
			p(1, "network @%s", rng(n.Range))
			p(2, "subnets %s", refs(n.Subnets))
			p(2, "securityGroups %s", refs(n.SecurityGroups))
			p(2, "assignPublicIp %s", fact(n.AssignPublicIP))
		} else {
			p(1, "network nil")
		}
	}
	return b.String()
}

func dumpContainer(p func(int, string, ...any), c *model.Container) {
	p(1, "container @%s", rng(c.Range))
	p(2, "name %s", fact(c.Name))
	p(2, "image %s", fact(c.Image))
	if c.HasCredentials {
		p(2, "credentials %s", ref(c.Credentials))
	}
	p(2, "secrets %s", secrets(c.Secrets, c.SecretsKnown))
	if l := c.Log; l != nil {
		p(2, "log driver %s @%s", fact(l.Driver), rng(l.Range))
		if !l.OptionsKnown {
			p(3, "options unknown")
		}
		var names []string
		for k := range l.Options {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			p(3, "option %s = %s", k, fact(l.Options[k]))
		}
		p(3, "secretOptions %s", secrets(l.SecretOptions, l.SecretOptionsKnown))
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
