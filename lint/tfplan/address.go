package tfplan

import "strings"

// Terraform addresses, as plans write them:
//
//	module.svc["api"].module.task.aws_ecs_task_definition.this[0]
//	data.aws_iam_policy_document.pull
//
// and the references of configuration expressions, relative to a module:
//
//	aws_subnet.private[0].id   aws_subnet.private   var.subnets   module.vpc.private_subnets

// part is one dotted step of an address, with its instance key as written
// (`0`, `"api"`) when it has one.
type part struct {
	name   string
	key    string
	hasKey bool
}

// splitParts splits an address into its dotted steps. Keys may hold dots,
// brackets and escaped quotes: `["a.b\"]"]`. ok is false for an address
// that does not scan.
func splitParts(s string) (parts []part, ok bool) {
	for len(s) > 0 {
		end := strings.IndexAny(s, ".[")
		if end < 0 {
			end = len(s)
		}
		p := part{name: s[:end]}
		if p.name == "" {
			return nil, false
		}
		s = s[end:]
		if strings.HasPrefix(s, "[") {
			n := keyEnd(s)
			if n < 0 {
				return nil, false
			}
			p.key, p.hasKey = s[1:n-1], true
			s = s[n:]
		}
		parts = append(parts, p)
		if s == "" {
			break
		}
		if s[0] != '.' || len(s) == 1 {
			return nil, false
		}
		s = s[1:]
	}
	return parts, len(parts) > 0
}

// keyEnd returns the length of the bracketed key at the start of s, or -1.
func keyEnd(s string) int {
	inStr := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && c == ']':
			return i + 1
		}
	}
	return -1
}

func (p part) String() string {
	if p.hasKey {
		return p.name + "[" + p.key + "]"
	}
	return p.name
}

// instanceAddr is a resource instance's address taken apart.
type instanceAddr struct {
	// module is the module instance's address: "" for the root,
	// `module.svc["api"]`.
	module string
	// modulePath names the module calls without instance keys: "svc.task".
	modulePath string
	// resource is the address within the module: `aws_subnet.private`,
	// `data.aws_iam_policy_document.x`.
	resource string
	key      string
	hasKey   bool
}

// parseInstance takes apart the address of a resource instance.
func parseInstance(addr string) (instanceAddr, bool) {
	parts, ok := splitParts(addr)
	if !ok {
		return instanceAddr{}, false
	}
	var a instanceAddr
	var mods, names []string
	for len(parts) >= 2 && parts[0].name == "module" && !parts[0].hasKey {
		mods = append(mods, "module."+parts[1].String())
		names = append(names, parts[1].name)
		parts = parts[2:]
	}
	a.module, a.modulePath = strings.Join(mods, "."), strings.Join(names, ".")
	switch {
	case len(parts) == 3 && parts[0].name == "data" && !parts[0].hasKey && !parts[1].hasKey:
		a.resource = "data." + parts[1].name + "." + parts[2].name
		a.key, a.hasKey = parts[2].key, parts[2].hasKey
	case len(parts) == 2 && !parts[0].hasKey:
		a.resource = parts[0].name + "." + parts[1].name
		a.key, a.hasKey = parts[1].key, parts[1].hasKey
	default:
		return instanceAddr{}, false
	}
	return a, true
}

// join prefixes a module-relative address with its module instance.
func join(module, rel string) string {
	if module == "" {
		return rel
	}
	return module + "." + rel
}
