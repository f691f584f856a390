package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// cmeditRules are the rules ModeCmedit adds to basic: ENM awareness. Setting
// steps of activate / deactivate procedures become `cmedit set` commands,
// commands the text already holds are kept, and an attribute named next to
// an MO path (the featureState attribute in the FeatureState=CXC4011378 MO
// instance) becomes the parameter FeatureState.featureState.
var cmeditRules = []rule{
	cmeditActivations,
	cmeditPathParameters,
}

// CmeditScope is the scope every generated command uses: "*", all nodes of
// the network in ENM CLI syntax. The text never names a node, and a command
// must not carry a placeholder, so the operator narrows the scope (a node
// name, --collection, --scopefilter) before running it.
const CmeditScope = "*"

// cmeditActivations adds, to every procedure the basic rules find, the cmedit
// commands of its steps (see stepSettings) and the commands its text
// already holds; and the parameters those steps set.
func cmeditActivations(c *chunk, r *Result) {
	for _, p := range procedures(c) {
		var cmds []string
		for _, line := range p.lines {
			for _, cmd := range textCommands(line) {
				cmds = appendNew(cmds, []string{cmd})
			}
			step, ok := mdtext.NumberedStep(line)
			if !ok {
				continue
			}
			for _, s := range stepSettings(step) {
				cmds = appendNew(cmds, []string{s.command()})
				for _, a := range s.attrs {
					addParameter(r, s.class, a.name, "")
				}
			}
		}
		r.ActivationProcedures = append(r.ActivationProcedures, Activation{Kind: p.kind, CXC: p.cxc, Steps: p.steps, Cmedit: cmds})
	}
}

// addParameter records cls.attr when both have the shapes of an MO class and
// an attribute and the attribute is not a PM counter.
func addParameter(r *Result, cls, attr, role string) {
	if !moClassShape.MatchString(cls) || !attributeShape.MatchString(attr) || IsCounterName(attr) {
		return
	}
	r.Parameters = append(r.Parameters, Parameter{Name: cls + "." + attr, MOClass: cls, Attribute: attr, Role: role})
}

// attributeAtPath matches an attribute named next to the MO instance it
// belongs to: "the featureState attribute in the FeatureState=CXC4011378 MO",
// "attribute featureState to ACTIVATED in the FeatureState=CXC4011378 MO
// instance".
var attributeAtPath = regexp.MustCompile(`\b(?:(?:the\s+)?attribute\s+([a-z][A-Za-z0-9]+)|([a-z][A-Za-z0-9]+)\s+attribute)\b[^.;:|]{0,60}?\b(?:in|of|on)\s+the\s+([A-Z][A-Za-z0-9]+)\s*=\s*(?:CXC\s*\d{3}\s*\d{3,4}|[A-Za-z0-9_-]+)(?:\s+MO)?\b`)

// cmeditPathParameters records MoClass.attribute for an attribute a line of
// the text names together with the MO instance (MO path) it sits in.
func cmeditPathParameters(c *chunk, r *Result) {
	for _, line := range strings.Split(c.text, "\n") {
		if !strings.Contains(line, "attribute") || !strings.Contains(line, "=") {
			continue
		}
		for _, m := range attributeAtPath.FindAllStringSubmatch(line, -1) {
			attr := m[1]
			if attr == "" {
				attr = m[2]
			} else if !strings.ContainsAny(attr, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
				continue // "the attribute list in ...": an English word, not a name
			}
			if !mdtext.IsSentenceWord(attr) {
				addParameter(r, m[3], attr, "")
			}
		}
	}
}

// attrValue is one attribute set to one value.
type attrValue struct {
	name, value string
}

// setting is what a step sets: attributes of an MO class, in one instance
// (id) or in all instances (id empty).
type setting struct {
	class string
	id    string
	attrs []attrValue
}

// namingAttribute returns the attribute that names the instances of an MO
// class in the MOM: the class name with a lower-case first letter and "Id"
// (featureStateId, nRCellDUId, eUtranCellFDDId).
func namingAttribute(cls string) string {
	return strings.ToLower(cls[:1]) + cls[1:] + "Id"
}

// command renders the setting in ENM CLI syntax (corpus/ericsson/reference/
// cmedit.txt): `cmedit set * FeatureState.(featureStateId==CXC4011378)
// featureState=ACTIVATED` for one instance, `cmedit set * NRCellDU
// administrativeState=LOCKED` for all instances of a class; several
// attributes of the same MO are comma-separated.
func (s setting) command() string {
	target := s.class
	if s.id != "" {
		target = s.class + ".(" + namingAttribute(s.class) + "==" + s.id + ")"
	}
	pairs := make([]string, len(s.attrs))
	for i, a := range s.attrs {
		pairs[i] = a.name + "=" + a.value
	}
	return "cmedit set " + CmeditScope + " " + target + " " + strings.Join(pairs, ",")
}

// The grammar of a setting step. A step is read only when it states the MO
// class (or the MO instance), the attribute and one value, and says nothing
// that narrows which instances are meant ("for each relation for which ...",
// "on Carrier 1", "in the SCell"), offers alternatives ("A or B", "40 or
// higher") or leaves the value open ("to the desired value", "to a value
// other than 0"). Everything else yields no command.
var (
	// setHead is the verb of a setting step, with the words that may precede
	// the attribute.
	setHead = regexp.MustCompile(`^(?:Optional:\s*)?(?:For [^,]{1,60},\s*)?[Ss]et\s+(?:the\s+value\s+of\s+)?(?:the\s+)?`)
	// setValue splits "SUBJECT to VALUE TAIL"; VALUE is an enumeration
	// literal, a boolean or an integer.
	setValue = regexp.MustCompile(`^(.+?)\s+to\s+(-?\d+|true|false|TRUE|FALSE|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)((?:[.,;:]|\s).*)?$`)
	// setSubject is one or more attribute names (MoClass.attribute or a bare
	// attribute), with the words "attribute(s)" or "parameter(s)" around.
	setSubject  = regexp.MustCompile(`^(?:(?:MO\s+)?(?:attributes?|parameters?)\s+)?((?:[A-Z][A-Za-z0-9]*\.)?[a-z][A-Za-z0-9]*(?:(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?(?:[A-Z][A-Za-z0-9]*\.)?[a-z][A-Za-z0-9]*)*)(?:\s+(?:MO\s+)?(?:attributes?|parameters?))?(?:\s+value)?$`)
	subjectName = regexp.MustCompile(`(?:([A-Z][A-Za-z0-9]*)\.)?([a-z][A-Za-z0-9]*)`)
	// The tails a step may end with after its value.
	tailEnd        = regexp.MustCompile(`^\.?\s*$`)
	tailInstance   = regexp.MustCompile(`^\s+in\s+the\s+([A-Z][A-Za-z0-9]*)\s*=\s*(CXC\s*\d{3}\s*\d{3,4}|[A-Za-z0-9_-]+)(?:\s+MO)?\s+instance(?:\s+on\s+the\s+(?:Baseband Radio Node|DU Radio Node|gNodeB|eNodeB|node))?\.?\s*$`)
	tailAll        = regexp.MustCompile(`^\s+in\s+all\s+([A-Z][A-Za-z0-9]*)\s+(?:MO\s+)?instances(?:\s+(?:in|of)\s+the\s+(?:gNodeB|eNodeB|node))?\.?\s*$`)
	tailPurpose    = regexp.MustCompile(`^\s+to\s+(?:enable|disable|activate|deactivate|turn\s+(?:on|off))\s+the\s+(?:feature|function)\.?\s*$`)
	tailApplicable = regexp.MustCompile(`^(?:,?\s+in\s+the\s+applicable\s+MO\s+instance|\s+for\s+the\s+required\s+CXC\s+instance\s+of\s+each\s+standard|\s+for\s+the\s+appropriate\s+(?:license\s+control\s+)?MO\s+instance\s+of\s+each\s+standard)\b`)
	// moPath finds the MO instances a table inside a step lists
	// (FeatureState=CXC4011809, OptionalFeatureLicense=AcceleratedIfLb).
	moPath = regexp.MustCompile(`\b([A-Z][A-Za-z0-9]*)\s*=\s*(CXC\s*\d{3}\s*\d{3,4}|[A-Za-z0-9_-]+)`)
	// followingValues is "Set the following MO attributes to the mandatory
	// values: A.b = X C.d = Y".
	followingValues = regexp.MustCompile(`^following\s+(?:MO\s+)?attributes\s+to\s+the\s+(?:mandatory|recommended|following)\s+values[^:]{0,80}:\s*(.*)$`)
	valuePair       = regexp.MustCompile(`([A-Z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)\s*=\s*(-?\d+|true|false|TRUE|FALSE|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b`)
	// restricted finds words anywhere in a step that limit it to some
	// instances or conditions ("must be performed only for the profiles
	// referenced by ...", "for each relation"): such a step yields nothing.
	restricted = regexp.MustCompile(`(?i)\bonly\b|\bexcept\b|\bunless\b|\bfor each\b|\bper cell\b|\bcertain\b|\bdesired cells\b`)
	// sentenceEnd ends the first sentence of a step.
	sentenceEnd = regexp.MustCompile(`\.\s+[A-Z]|\s+(?:Note|Result|Example):`)
)

// stepSettings reads what one (unescaped) step sets; nil when the step does
// not state MO class or instance, attribute and value (see setHead ...).
func stepSettings(step string) []setting {
	step = Collapse(Unescape(step))
	head := setHead.FindStringIndex(step)
	if head == nil {
		return nil
	}
	rest := step[head[1]:]
	if restricted.MatchString(rest) {
		return nil
	}
	if m := followingValues.FindStringSubmatch(rest); m != nil {
		return listedSettings(m[1])
	}
	sentence := rest
	if loc := sentenceEnd.FindStringIndex(rest); loc != nil {
		sentence = rest[:loc[0]+1]
	}
	m := setValue.FindStringSubmatch(sentence)
	if m == nil {
		return nil
	}
	subject, value, tail := m[1], m[2], m[3]
	sm := setSubject.FindStringSubmatch(subject)
	if sm == nil {
		return nil
	}
	type name struct{ class, attr string }
	var names []name
	for _, n := range subjectName.FindAllStringSubmatch(sm[1], -1) {
		if n[2] == "and" || n[2] == "the" {
			continue
		}
		if IsCounterName(n[2]) {
			return nil
		}
		names = append(names, name{n[1], n[2]})
	}
	if len(names) == 0 {
		return nil
	}

	// where the names are set: their own class, one instance, all
	// instances of a class, or the instances a table in the step lists
	type target struct{ class, id string }
	var targets []target
	switch {
	case tailEnd.MatchString(tail), tailPurpose.MatchString(tail):
	case tailInstance.MatchString(tail):
		t := tailInstance.FindStringSubmatch(tail)
		targets = []target{{t[1], instanceID(t[1], t[2])}}
	case tailAll.MatchString(tail):
		targets = []target{{tailAll.FindStringSubmatch(tail)[1], ""}}
	case tailApplicable.MatchString(tail):
		for _, p := range moPath.FindAllStringSubmatch(step[head[1]+len(subject):], -1) {
			if t := (target{p[1], instanceID(p[1], p[2])}); !containsTarget(targets, t) {
				targets = append(targets, t)
			}
		}
		if len(targets) == 0 {
			return nil
		}
	default:
		return nil
	}

	var out []setting
	add := func(cls, id, attr string) {
		for i := range out {
			if out[i].class == cls && out[i].id == id {
				out[i].attrs = append(out[i].attrs, attrValue{attr, value})
				return
			}
		}
		out = append(out, setting{class: cls, id: id, attrs: []attrValue{{attr, value}}})
	}
	for _, n := range names {
		if len(targets) == 0 {
			if n.class == "" {
				return nil // a bare attribute with no MO stated
			}
			add(n.class, "", n.attr)
			continue
		}
		matched := false
		for _, t := range targets {
			if n.class == "" || n.class == t.class {
				add(t.class, t.id, n.attr)
				matched = true
			}
		}
		if !matched {
			return nil // the step names an attribute of another class than its MO
		}
	}
	return out
}

func containsTarget[T comparable](list []T, t T) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// instanceID normalizes the id of an MO instance: the CXC code of a
// FeatureState instance in its compact form, others as written.
func instanceID(cls, id string) string {
	if c := NormalizeCXC(id); c != "" && strings.HasPrefix(strings.TrimSpace(id), "CXC") {
		return c
	}
	return id
}

// listedSettings reads "A.b = X C.d = Y ...": every pair becomes a setting of
// all instances of its class; nil unless the list holds nothing but pairs.
func listedSettings(list string) []setting {
	rest := strings.TrimSpace(valuePair.ReplaceAllString(list, ""))
	if strings.Trim(rest, " ,;.") != "" {
		return nil
	}
	var out []setting
	for _, m := range valuePair.FindAllStringSubmatch(list, -1) {
		if IsCounterName(m[2]) {
			return nil
		}
		found := false
		for i := range out {
			if out[i].class == m[1] {
				out[i].attrs = append(out[i].attrs, attrValue{m[2], m[3]})
				found = true
			}
		}
		if !found {
			out = append(out, setting{class: m[1], attrs: []attrValue{{m[2], m[3]}}})
		}
	}
	return out
}

// commandStart finds a cmedit command written in the text.
var commandStart = regexp.MustCompile(`\bcmedit\s+(?:get|set|create|delete|action|describe)\s`)

// commandEnd ends a command written in running text: the next sentence, a
// note, or prose after it. A quoted command ends at its closing quote.
var commandEnd = regexp.MustCompile(`\.\s+[A-Z]|\.\s*$|\s+(?:Note|Example|Result|Output)\s*:|\s+(?:If|The|This|When|Then|Where|Here|To|For|Repeat|Wait|Check)\s+[a-z]`)

// placeholderWord finds template words in a written command (<node name>,
// %NODENAME%): such a command is a template, not a command.
var placeholderWord = regexp.MustCompile(`<[^<>]*>|%[A-Za-z_]+%|\.\.\.`)

// textCommands returns the cmedit commands a line of text writes out, as
// written; template commands (with placeholders) are left out.
func textCommands(line string) []string {
	line = Unescape(line)
	starts := commandStart.FindAllStringIndex(line, -1)
	var out []string
	for i, st := range starts {
		end := len(line)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		cmd := line[st[0]:end]
		if st[0] > 0 && strings.IndexByte("`'\"", line[st[0]-1]) >= 0 {
			if k := strings.IndexByte(cmd, line[st[0]-1]); k >= 0 {
				cmd = cmd[:k] // quoted: the command ends at the closing quote
			}
		}
		if loc := commandEnd.FindStringIndex(cmd[len("cmedit "):]); loc != nil {
			cmd = cmd[:len("cmedit ")+loc[0]]
		}
		cmd = strings.TrimRight(Collapse(cmd), " .,;:")
		for _, q := range []string{"`", "'", `"`} {
			if strings.HasSuffix(cmd, q) && strings.Count(cmd, q)%2 == 1 {
				cmd = strings.TrimRight(strings.TrimSuffix(cmd, q), " .,;:")
			}
		}
		if placeholderWord.MatchString(cmd) || len(strings.Fields(cmd)) < 3 {
			continue
		}
		out = append(out, cmd)
	}
	return out
}
