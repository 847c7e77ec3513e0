package taskdef

// link points each service's taskDefinition at the loaded task definition
// it names. A reference that fits no loaded task definition, or several
// equally well, stays a plain value: the rules then treat the task
// definition as outside the configuration rather than guess.
func (l *loader) link() {
	for _, s := range l.cfg.Services {
		r := &s.TaskDefinition
		if !r.Known || r.Addr != "" {
			continue
		}
		want, ok := parseTDRef(r.Value)
		if !ok {
			continue
		}
		if t := l.find(want); t != nil {
			r.Addr = t.td.Addr
		}
	}
}

func (l *loader) find(want tdRef) *loadedTD {
	var exact, unrevised, revised []*loadedTD
	for i := range l.tds {
		t := &l.tds[i]
		if !t.td.Family.Known || t.td.Family.V != want.family {
			continue
		}
		// An ARN must also agree on account and region where both say.
		if want.account != "" && t.arn.Account != "" && want.account != t.arn.Account ||
			want.region != "" && t.arn.Region != "" && want.region != t.arn.Region {
			continue
		}
		switch {
		case t.rev == 0:
			unrevised = append(unrevised, t)
		case t.rev == want.rev:
			exact = append(exact, t)
		default:
			revised = append(revised, t)
		}
	}
	if len(exact) == 1 {
		return exact[0]
	}
	if len(exact) > 1 {
		return nil
	}
	// A register-task-definition input has no revision yet: it is the one
	// about to be registered, so it is the latest, and the likeliest target
	// of a pinned revision that no loaded document carries.
	if len(unrevised) == 1 {
		return unrevised[0]
	}
	if len(unrevised) > 1 || want.rev != 0 {
		return nil
	}
	// A bare family runs the latest revision.
	var best *loadedTD
	for _, t := range revised {
		switch {
		case best == nil || t.rev > best.rev:
			best = t
		case t.rev == best.rev:
			return nil
		}
	}
	return best
}
