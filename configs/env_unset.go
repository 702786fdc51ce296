package configs

// warnUnsetVar warns that the ${name} written at p without a default is not
// set in the environment, so it expands to nothing: a forgotten export
// otherwise loads silently (a secret or URL left empty switches its
// feature off). ${name:-} says "empty is fine" and is not warned about.
// Options.Unset, when set, hears the name too.
func (t *tree) warnUnsetVar(p path, name string) {
	if t.opts.Unset != nil {
		t.opts.Unset(name)
	}
	t.warnAt(p, "${%s} is not set in the environment, so it expands to nothing in %s: set it, or write ${%s:-default} (${%s:-} if empty is meant)", name, p, name, name)
}
