package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// callState is a module call of one module instance, expanded into child
// instances on first use.
type callState struct {
	state state
	call  *moduleCall
	insts []*modInst
	each  []eachData
	keyed bool
	known bool
	// why says, when the call's outputs are unknown because of the call
	// itself (not on disk, stale, an unknown count), what and how to fix.
	why *culprit
}

// children expands a module call once.
func (in *modInst) children(cs *callState) *callState {
	if cs.state == done {
		return cs
	}
	c := cs.call
	addr := in.prefix() + "module." + c.name
	if !in.ev.enter(&cs.state, addr, c.block.DefRange) {
		return cs
	}
	defer in.ev.leave(&cs.state)

	key := c.name
	if in.key != "" {
		key = in.key + "." + c.name
	}
	dir, found, err := in.ev.l.moduleDir(in.mod.dir, key, c.source)
	if err != nil {
		in.ev.l.missingModules = true
		in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Module folder outside the repository",
			Detail:   err.Error() + ".",
			Subject:  c.block.DefRange.Ptr(),
		})
		return cs
	}
	if !found {
		m := Missing{
			What:  fmt.Sprintf("module %q (source %q) is not on disk", key, c.source),
			Hint:  "run terraform init (or terraform get) in " + in.ev.l.root + " so that canpull can read .terraform/modules",
			Range: c.block.DefRange,
		}
		in.ev.l.missingModules = true
		in.ev.l.missing = append(in.ev.l.missing, m)
		cs.why = &culprit{what: m.What, hint: m.Hint}
		return cs
	}
	if stale := in.ev.l.stale(key, c); stale != "" {
		in.ev.l.missingModules = true
		in.ev.l.missing = append(in.ev.l.missing, Missing{
			What:  fmt.Sprintf("module %q: %s", key, stale),
			Why:   "Terraform would refuse to plan until terraform init installs the module the call asks for, and what .terraform/modules holds is not what it would run: canpull does not read it.",
			Hint:  "run terraform init in " + in.ev.l.root + " to install the module the call asks for",
			Range: c.block.DefRange,
		})
		cs.why = &culprit{what: fmt.Sprintf("module %q in .terraform/modules is not the one the call asks for", key),
			hint: "run terraform init in " + in.ev.l.root + " to install the module the call asks for"}
		return cs
	}
	if loop := in.loopTo(dir); loop != nil {
		in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Module call cycle",
			Detail: fmt.Sprintf("module %q leads back to %s, which is already being loaded: %s. Terraform cannot load modules that call each other in a loop either; canpull stops here and treats its outputs as unknown.",
				key, dir, strings.Join(loop, " → ")),
			Subject: c.block.DefRange.Ptr(),
		})
		return cs
	}
	if in.depth >= maxModuleDepth {
		in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Modules nested too deeply",
			Detail:   fmt.Sprintf("module %q is more than %d module calls below the root module; canpull stops here and treats its outputs as unknown.", key, maxModuleDepth),
			Subject:  c.block.DefRange.Ptr(),
		})
		return cs
	}
	if local(c.source) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			// The module's own folder is missing: say so where the call
			// names it, with the folder it looked for.
			why := "there is no folder " + dir
			if err == nil {
				why = dir + " is a file, not a folder"
			}
			in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Module folder not found",
				Detail:   fmt.Sprintf("module %q: source %q is a local path, and %s. Terraform cannot load it either (\"Unreadable module directory\").", key, c.source, why),
				Subject:  orRange(c.sourceRange, c.block.DefRange).Ptr(),
			})
			in.ev.l.broken = true
			return cs
		}
	}
	m := in.ev.l.loadModule(dir)
	if m == nil {
		return cs
	}
	each, keyed, known := in.ev.expand(c.count, c.forEach, in.scope())
	cs.each, cs.keyed, cs.known = each, keyed, known
	if !known {
		in.ev.l.missingModules = true
		in.ev.l.missing = append(in.ev.l.missing, Missing{
			What:  "how many instances of " + addr + " there are (count or for_each is unknown)",
			Hint:  "give the variables it depends on values with --var-file or --var",
			Range: c.block.DefRange,
		})
		cs.why = &culprit{what: "how many instances of " + addr + " there are is unknown",
			hint: "give the variables its count or for_each depends on values with --var-file or --var"}
		in.ev.noteUnknownCount(c.count, c.forEach, in.scope(), cs.why)
		return cs
	}
	if total := in.ev.moduleCount + len(each); total > maxModuleInstances {
		in.ev.l.diags = append(in.ev.l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Too many instances",
			Detail: fmt.Sprintf("with this call, the root module would have %d module instances; canpull evaluates at most %d module instances per root module, and treats this call as unknown.",
				total, maxModuleInstances),
			Subject: c.block.DefRange.Ptr(),
		})
		cs.known = false
		return cs
	}
	for _, e := range each {
		cs.insts = append(cs.insts, in.ev.newInst(m, instanceAddr(addr, e), key, in, c, e))
	}
	return cs
}

// loopTo returns the folders from dir, through the instances that lead
// to this one, back to dir, when dir is already being loaded; else nil.
func (in *modInst) loopTo(dir string) []string {
	clean := filepath.Clean(dir)
	chain := []string{clean}
	for p := in; p != nil; p = p.parent {
		d := filepath.Clean(p.mod.dir)
		chain = append(chain, d)
		if d == clean {
			slices.Reverse(chain)
			return chain
		}
	}
	return nil
}

// callValue is what module.NAME evaluates to: an object of the outputs per
// instance. Only the outputs named in want are evaluated when any is, so
// that reading one output does not evaluate (and cycle through) the others.
func (in *modInst) callValue(cs *callState, want []string) cty.Value {
	in.children(cs)
	if cs.state != done || !cs.known {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, len(cs.insts))
	for i, child := range cs.insts {
		outs := map[string]cty.Value{}
		for _, name := range want {
			if _, ok := child.outputs[name]; ok {
				outs[name] = child.output(name)
			}
		}
		if len(outs) == 0 {
			for name := range child.outputs {
				outs[name] = child.output(name)
			}
		}
		vals[i] = cty.ObjectVal(outs)
	}
	return collect(cs.each, vals, cs.keyed)
}

// walk calls fn for this instance and every module instance below it.
func (in *modInst) walk(fn func(*modInst)) {
	fn(in)
	for _, name := range sortedKeys(in.calls) {
		cs := in.children(in.calls[name])
		for _, child := range cs.insts {
			child.walk(fn)
		}
	}
}

// local reports whether a module source is a local path.
func local(source string) bool {
	return strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../")
}

// orRange is r, or def when r names no file.
func orRange(r, def hcl.Range) hcl.Range {
	if r.Filename == "" {
		return def
	}
	return r
}
