package quality

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

// The loose patterns of the structured candidates: parameter roles, MO class
// and attribute columns, relationships and roles written as prose (a table
// a converter flattened), and the words that tell the kind of a step in text
// without headings.
var (
	proseRole      = regexp.MustCompile(`\b([A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+)\s*[|,;:]?\s*(Introduced|Affecting|Affected)\b`)
	proseIdentity  = regexp.MustCompile(`(?i)\bFeature Identity\s*:?\s*((?:FAJ\s*\d{3}\s*\d{3,4}(?:\s+R\d+[A-Z]?)?[\s,;]*)+)`)
	classCell      = regexp.MustCompile(`(?i)^(?:mo |new mo |introduced mo )?class(?: name)?$|^mo$`)
	attributeCell  = regexp.MustCompile(`(?i)^(?:mo |new |introduced |existing |legacy )?(?:parameters?|attributes?)(?: name)?$`)
	attributeName  = regexp.MustCompile(`^[a-z][A-Za-z0-9]+$`)
	moClassName    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$`)
	deactivateWord = regexp.MustCompile(`(?i)\bdeactivat`)
	activateWord   = regexp.MustCompile(`(?i)\bactivat`)
)

// role is a parameter the text gives a role.
type role struct {
	name, role string // role lower-case
}

// roleRows returns the parameters of the chunk that a parameters table row
// (a MoClass.attribute cell and a role cell) or a flattened row of one (the
// name followed by its role word) gives a role.
func roleRows(t text) []role {
	var out []role
	for _, tb := range t.tables {
		for _, row := range tb.body() {
			if len(row) < 2 {
				continue
			}
			r := ""
			for _, cell := range row[1:] {
				// the roles a parameter takes in the chunk's feature
				if x := mdtext.Role(cell); x == "introduced" || x == "affecting" || x == "affected" {
					r = x
					break
				}
			}
			if r == "" {
				continue
			}
			for _, m := range mdtext.DottedNames(row[0]) {
				out = append(out, role{m, r})
			}
		}
	}
	if !strings.Contains(t.flat, "Introduced") && !strings.Contains(t.flat, "Affect") {
		return out // proseRole needs one of those words
	}
	for _, m := range proseRole.FindAllStringSubmatch(t.flat, -1) {
		out = append(out, role{m[1], strings.ToLower(m[2])})
	}
	return out
}

// hasRole reports whether r records the parameter with that role.
func hasRole(r extraction.Result, x role) bool {
	return anyMatch(r.Parameters, func(p extraction.Parameter) bool { return p.Name == x.name && p.Role == x.role })
}

// bareAttributes returns the attribute names of the rows of parameters
// tables (a Parameter / Attribute first column, mdtext.ParameterHeader)
// that write the attribute without its MO class (mdtext.BareAttribute:
// "dscp", "priority TOOLTIPFLAG"), the class being stated elsewhere or not
// at all.
func bareAttributes(t text) []string {
	var out []string
	for _, tb := range t.tables {
		if len(tb.header) == 0 || !mdtext.ParameterHeader(tb.header[0]) {
			continue
		}
		for _, row := range tb.body() {
			if len(row) == 0 {
				continue
			}
			if a, ok := mdtext.BareAttribute(row[0]); ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// attributeOf returns the attribute of a parameter: its Attribute, or the
// last segment of its name.
func attributeOf(p extraction.Parameter) string {
	if p.Attribute != "" {
		return p.Attribute
	}
	_, a, ok := strings.Cut(p.Name, ".")
	if !ok {
		return ""
	}
	return a[strings.LastIndexByte(a, '.')+1:]
}

// classColumnPairs returns MoClass.attribute for the rows of tables that
// keep the MO class and the attribute in columns of their own (MO Class |
// Attribute, Attribute | MO Class): several classes in one cell make several
// names.
func classColumnPairs(t text) []string {
	var out []string
	for _, tb := range t.tables {
		ci, ai := -1, -1
		for i, h := range tb.header {
			switch {
			case ci < 0 && classCell.MatchString(h):
				ci = i
			case ai < 0 && attributeCell.MatchString(h):
				ai = i
			}
		}
		if ci < 0 || ai < 0 {
			continue
		}
		for _, row := range tb.body() {
			if ci >= len(row) || ai >= len(row) || !attributeName.MatchString(row[ai]) || len(mdtext.Counters(row[ai])) > 0 {
				continue
			}
			for _, cls := range strings.Fields(strings.NewReplacer(",", " ", "/", " ").Replace(row[ci])) {
				if moClassName.MatchString(cls) {
					out = append(out, cls+"."+row[ai])
				}
			}
		}
	}
	return out
}

// proseRelationships returns the FAJ ids that running text follows with a
// relationship word, as a flattened dependencies table row reads
// ("Zeta Prebooster (FAJ 121 9902) Prerequisite ...").
func proseRelationships(t text) []dependency {
	var out []dependency
	if !strings.Contains(t.flat, "FAJ") || !strings.Contains(t.flat, "Prerequisite") &&
		!strings.Contains(t.flat, "Related") && !strings.Contains(t.flat, "Conflicting") {
		return nil // a prose relation needs an id and one of those words
	}
	for _, m := range mdtext.ProseRelations(t.flat) {
		if m.A == "801" {
			continue
		}
		out = append(out, dependency{faj: "FAJ" + m.A + m.B, relationship: strings.ToLower(m.Word)})
	}
	return out
}

// commandStep is a settable step of an Activate / Deactivate section: one
// that states the MO class or instance, the attribute and a single value, so
// that a cmedit command can be made of it.
type commandStep struct {
	kind     string
	text     string
	commands []string // the commands the step makes (extraction.StepCommands)
}

// commandSteps returns the settable steps of the chunk's procedures (steps
// under an Activate / Deactivate heading, or, in text without headings, a
// step whose CXC code and ACTIVATED / DEACTIVATED tell its kind): "Set the
// NRCellDU.administrativeState attribute to LOCKED.", "Set the featureState
// attribute to ACTIVATED in the FeatureState=CXC4011378 MO instance.".
// Settable is what the cmedit rules read as settable
// (extraction.StepCommands), so the score asks for exactly the commands a
// cmedit extraction can make: not steps that offer alternatives (or), touch
// struct members or only some instances (each ...), or leave the value open
// (to the desired value), which have nothing for a command to capture.
func commandSteps(t text) []commandStep {
	var out []commandStep
	for _, l := range t.lines {
		step, ok := mdtext.NumberedStep(l.text)
		if !ok {
			continue
		}
		s := extraction.Collapse(l.text)
		kind := l.kind
		if kind == "" && len(l.path) == 0 && mdtext.HasCode(s, "CXC") {
			// text without headings: a step that says what it (de)activates
			switch {
			case deactivateWord.MatchString(s):
				kind = "deactivate"
			case activateWord.MatchString(s):
				kind = "activate"
			}
		}
		if kind == "" {
			continue
		}
		if cmds := extraction.StepCommands(step); len(cmds) > 0 {
			out = append(out, commandStep{kind: kind, text: s, commands: cmds})
		}
	}
	return out
}

// hasCommand reports whether a procedure of the step's kind holds, for
// every command the step makes, a cmedit command that sets the same MO
// (class, or class and instance) to the same attribute values, whatever
// its scope.
func hasCommand(r extraction.Result, s commandStep) bool {
	return anyMatch(r.ActivationProcedures, func(a extraction.Activation) bool {
		if a.Kind != s.kind {
			return false
		}
		for _, want := range s.commands {
			if !anyMatch(a.Cmedit, func(c string) bool { return setsLike(c, want) }) {
				return false
			}
		}
		return true
	})
}

// setsLike reports whether the cmedit command cmd sets what the generated
// command want (`cmedit set SCOPE TARGET attr=value[,attr=value...]`)
// sets: cmd is a `cmedit set` naming the same TARGET (MO class, or class and
// instance) and every attr=value of want. Its scope and options (a node
// name, --scopefilter, --force ...) do not matter: the operator narrows the
// scope.
func setsLike(cmd, want string) bool {
	c, w := strings.Fields(cmd), strings.Fields(want)
	if len(c) < 4 || len(w) < 5 || c[0] != "cmedit" || c[1] != "set" {
		return false
	}
	words := map[string]bool{}
	for _, x := range c[2:] {
		words[x] = true
		for _, p := range strings.Split(x, ",") {
			words[p] = true
		}
	}
	if !words[w[3]] {
		return false
	}
	for _, p := range strings.Split(strings.Join(w[4:], ""), ",") {
		if p != "" && !words[p] {
			return false
		}
	}
	return true
}

// historyFAJs returns the FAJ ids of the identity tables of the chunk's
// appendices (feature change history): they describe the document's own
// releases or the features one change touched, so they are read neither as
// related features nor as candidates of their own (see ANNOTATION.md,
// dont_care).
func historyFAJs(t text) map[string]bool {
	out := map[string]bool{}
	for _, id := range identityRows(t) {
		if id.appendix {
			for _, faj := range id.fajs {
				out[faj] = true
			}
		}
	}
	return out
}

// plainRelated reports whether r files faj (squeezed) as a related feature
// without a relationship.
func plainRelated(r extraction.Result, faj string) bool {
	return anyMatch(r.RelatedFeatures, func(f extraction.RelatedFeature) bool {
		return squeeze(f.FAJ) == faj && f.Relationship == ""
	})
}

// proseIdentities returns the FAJ ids that a line outside any table gives
// as a Feature Identity ("Feature Identity FAJ 121 3051", as a flattened
// identity table reads), with whether the line sits in an appendix.
func proseIdentities(t text) []identity {
	var out []identity
	for _, l := range t.lines {
		if strings.HasPrefix(strings.TrimSpace(l.text), "|") {
			continue
		}
		if !mdtext.ContainsFold(l.text, "feature identity") {
			continue // what proseIdentity needs; few lines have it
		}
		for _, m := range proseIdentity.FindAllStringSubmatch(l.text, -1) {
			id := identity{appendix: inAppendix(l.path)}
			for _, f := range mdtext.Codes(m[1], "FAJ") {
				if k := f.Squeezed("FAJ"); !strings.HasPrefix(k, "FAJ801") {
					id.fajs = append(id.fajs, k)
				}
			}
			if len(id.fajs) > 0 {
				out = append(out, id)
			}
		}
	}
	return out
}
