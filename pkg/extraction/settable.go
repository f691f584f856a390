package extraction

// StepCommands returns the `cmedit set` commands the cmedit rules make of
// one step of an activate or deactivate procedure (the step's text without
// its number, as in Activation.Steps), one per MO the step sets, in the
// syntax and scope of the generated commands (CmeditScope). It returns nil
// for a step that is not settable: one that does not state the MO class or
// instance, the attribute and a single value, or that offers alternatives,
// narrows the instances meant or leaves the value open ("to the desired
// value"). The quality score uses it to tell which steps a cmedit
// extraction can turn into commands.
func StepCommands(step string) []string {
	settings := stepSettings(step)
	if len(settings) == 0 {
		return nil
	}
	out := make([]string, len(settings))
	for i, s := range settings {
		out[i] = s.command()
	}
	return out
}
