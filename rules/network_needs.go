package rules

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// What a Fargate task must reach before its containers start: the
// registries of its images, and for private ECR the ECR API, the registry
// endpoint and the S3 bucket of the layers; CloudWatch Logs for awslogs;
// Secrets Manager or Systems Manager for secrets and registry credentials.

type needKind int

const (
	needUnknown  needKind = iota // canpull cannot tell what the task pulls or calls
	needRegistry                 // a registry that only the internet serves
	needAPI                      // an AWS API that an interface endpoint can serve
	needLayers                   // ECR's image layers, in S3: a gateway endpoint serves them
)

// need is one thing the task must reach.
type need struct {
	kind needKind
	// service is the endpoint service that serves it: "ecr.api",
	// "ecr.dkr", "s3", "logs", "secretsmanager", "ssm".
	service string
	// region is where the service is; "" when unknown.
	region string
	// optional is true when the task may not need it (ecr.api on an
	// unknown platform version): a failure is then only unverified.
	optional bool
	// private is true when the registry may be on private addresses, behind
	// a route to another network (a registry canpull does not know).
	private bool
	// pulled is true for an unknown need that is an image: without any way
	// out it fails like every other image.
	pulled bool
	// rule is the rule that reports it when the subnet's only way out is
	// VPC endpoints and none serves it.
	rule string
	// what names it for messages: "image nginx:1.27 of container web".
	what string
	// plural is true when what names more than one thing ("the secrets
	// of container web"), for the verb that follows it.
	plural bool
	// at is where it is written: the image, the logConfiguration, the secret.
	at    hcl.Range
	image image.Info
}

// taskNeeds lists what a service's tasks must reach. region is the
// region the tasks run in ("" when unknown).
func (n *network) taskNeeds(s *model.Service, region string) []need {
	td, ok := model.Resolve[*model.TaskDefinition](n.cfg, s.TaskDefinition)
	if !ok {
		return []need{{kind: needUnknown, pulled: true, what: "the task definition of " + name(s), at: s.TaskDefinition.Range}}
	}
	var nl needList
	n.addTaskNeeds(&nl, td, ecrAPINeeded(s, td), region)
	return nl.out
}

// needList gathers needs without repeating one.
type needList struct {
	out  []need
	seen map[string]bool
}

func (nl *needList) add(nd need) {
	k := strconv.Itoa(int(nd.kind)) + "|" + nd.service + "|" + nd.region + "|" + nd.image.Name() + "|" + nd.what
	if nd.kind == needAPI || nd.kind == needLayers {
		k = strconv.Itoa(int(nd.kind)) + "|" + nd.service + "|" + nd.region
	}
	if nl.seen == nil {
		nl.seen = map[string]bool{}
	}
	if !nl.seen[k] {
		nl.seen[k] = true
		nl.out = append(nl.out, nd)
	}
}

// addTaskNeeds adds what starting a task of td takes: its images, its
// registry credentials and secrets, its logs. api says whether pulling
// from private ECR calls the ECR API from the same network.
func (n *network) addTaskNeeds(nl *needList, td *model.TaskDefinition, api tri, region string) {
	if !td.ContainersKnown {
		nl.add(need{kind: needUnknown, pulled: true, what: "the containers of " + name(td), plural: true, at: td.ContainersRange})
		return
	}
	add := nl.add
	for _, c := range td.Containers {
		of := " of container " + containerLabel(td, c)
		p := imageOf(n.cfg, c)
		switch {
		case !p.known:
			add(need{kind: needUnknown, pulled: true, what: "the image" + of, at: c.Image.Range})
		case p.info.Kind == image.PrivateECR && p.info.FIPS:
			add(need{kind: needUnknown, pulled: true, what: "the FIPS registry of image " + displayImage(c) + of, at: c.Image.Range})
		default:
			for _, nd := range imageNeeds(p.info, "image "+displayImage(c)+of, c.Image.Range, api) {
				add(nd)
			}
		}
		if c.HasCredentials {
			add(n.secretNeed(c.Credentials, "repositoryCredentials"+of, "secretsmanager", region))
		}
		if !c.SecretsKnown {
			add(need{kind: needUnknown, what: "the secrets" + of, plural: true, at: c.Range})
		}
		for _, su := range c.Secrets {
			add(n.secretNeed(su.ValueFrom, "secret "+su.Name.V+of, "", region))
		}
		for _, nd := range n.logNeeds(c, of, region) {
			add(nd)
		}
	}
}

// imageNeeds is what pulling a known image takes: for private ECR (its
// standard host) the ECR API when api says the puller calls it, the
// registry and the layers in S3; for any other registry, the registry.
// what names the image for messages and at is where it is written.
func imageNeeds(info image.Info, what string, at hcl.Range, api tri) []need {
	if info.Kind != image.PrivateECR || info.DualStack {
		return []need{{kind: needRegistry, private: info.Kind == image.Other, rule: "CP206", what: what, at: at, image: info}}
	}
	var out []need
	if api != no {
		out = append(out, need{kind: needAPI, service: "ecr.api", region: info.Region, optional: api == maybe, rule: "CP202", what: what, at: at, image: info})
	}
	return append(out,
		need{kind: needAPI, service: "ecr.dkr", region: info.Region, rule: "CP202", what: what, at: at, image: info},
		need{kind: needLayers, service: "s3", region: info.Region, rule: "CP202", what: what, at: at, image: info})
}

// logNeeds is what a container's log configuration must reach.
func (n *network) logNeeds(c *model.Container, of, region string) []need {
	lc := c.Log
	if lc == nil {
		return nil
	}
	var out []need
	switch {
	case !lc.Driver.Known:
		out = append(out, need{kind: needUnknown, what: "the log driver" + of, at: lc.Range})
	case lc.Driver.V == "awslogs" && !lc.OptionsKnown:
		out = append(out, need{kind: needUnknown, what: "the awslogs options" + of, plural: true, at: lc.Range})
	case lc.Driver.V == "awslogs":
		r := region
		if o, ok := lc.Options["awslogs-region"]; ok {
			r = ""
			if o.Known && !model.HasToken(o.V) {
				r = o.V
			}
		}
		out = append(out, need{kind: needAPI, service: "logs", region: r, rule: "CP207", what: "awslogs" + of, at: lc.Range})
	}
	if !lc.SecretOptionsKnown {
		out = append(out, need{kind: needUnknown, what: "the log secretOptions" + of, plural: true, at: lc.Range})
	}
	for _, su := range lc.SecretOptions {
		out = append(out, n.secretNeed(su.ValueFrom, "log secret option "+su.Name.V+of, "", region))
	}
	return out
}

// secretNeed is the service a secret or registry credentials come from:
// Secrets Manager or SSM Parameter Store, in the region its ARN names (a
// bare parameter name is in the task's region). service forces one.
func (n *network) secretNeed(r model.Ref, what, service, region string) need {
	nd := need{kind: needAPI, rule: "CP207", what: what, at: r.Range}
	if !r.Known {
		return need{kind: needUnknown, what: what, at: r.Range}
	}
	if sec, ok := model.Resolve[*model.Secret](n.cfg, r); ok {
		nd.service = "secretsmanager"
		if sec.Kind == model.SSMParameter {
			nd.service = "ssm"
		}
		if sec.Region.Known {
			nd.region = sec.Region.V
		}
	} else {
		v := r.Value
		if v == "" || model.HasToken(v) {
			return need{kind: needUnknown, what: what, at: r.Range}
		}
		parts := strings.SplitN(v, ":", 6)
		switch {
		case len(parts) == 6 && parts[0] == "arn" && parts[2] == "secretsmanager":
			nd.service, nd.region = "secretsmanager", parts[3]
		case len(parts) == 6 && parts[0] == "arn" && parts[2] == "ssm":
			nd.service, nd.region = "ssm", parts[3]
		case strings.HasPrefix(v, "arn:"):
			return need{kind: needUnknown, what: what, at: r.Range}
		default:
			nd.service, nd.region = "ssm", region // a parameter name
		}
	}
	if service != "" {
		nd.service = service
	}
	return nd
}

// ecrAPINeeded says whether the tasks call the ECR API through their own
// network interface: on Linux from platform version 1.4.0 (LATEST), and
// on every Windows version.
func ecrAPINeeded(s *model.Service, td *model.TaskDefinition) tri {
	pv := s.PlatformVersion
	if !pv.Known {
		return maybe
	}
	v := strings.TrimPrefix(pv.V, "v")
	if v == "" || strings.EqualFold(v, "LATEST") {
		return yes
	}
	ver, ok := parsePlatformVersion(v)
	if !ok {
		return maybe
	}
	if !ver.less(platformVersion{1, 4, 0}) {
		return yes
	}
	if !td.OSFamily.Known {
		return maybe
	}
	if strings.HasPrefix(td.OSFamily.V, "WINDOWS") {
		return yes
	}
	return no
}

// displayImage is a container's image as written, for messages.
func displayImage(c *model.Container) string {
	if c.Image.Known {
		return model.Display(c.Image.V)
	}
	return "(built from a repository URL)"
}

// unknownClause says that the need is unknown: "the secrets of container
// web are unknown".
func (n need) unknownClause() string {
	if n.plural {
		return n.what + " are unknown"
	}
	return n.what + " is unknown"
}
