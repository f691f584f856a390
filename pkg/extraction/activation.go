package extraction

import (
	"regexp"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// activationKind returns "activate" or "deactivate" for a procedure heading
// ("7 Activate TTI Bundling FDD", "Deactivate Uplink ...", "Activating X"),
// or "": mdtext.ProcedureKind, which the score reads headings with too.
func activationKind(title string) string { return mdtext.ProcedureKind(title) }

// stateWord tells the kind of an activation line outside an activate
// section: DEACTIVATED before ACTIVATED, since the first contains the second.
var (
	deactivateWord = regexp.MustCompile(`(?i)\bdeactivat`)
	activateWord   = regexp.MustCompile(`(?i)\bactivat`)
)

// procedure collects one activate or deactivate procedure of a chunk.
type procedure struct {
	kind  string
	cxc   []string
	steps []string
	// lines are the lines the procedure was read from: every line of its
	// sections, or the matching lines of headingless text.
	lines []string
}

func (p *procedure) addCXC(codes ...string) {
	for _, c := range codes {
		if !contains(p.cxc, c) {
			p.cxc = append(p.cxc, c)
		}
	}
}

func (p *procedure) addStep(s string) {
	if s != "" && !contains(p.steps, s) {
		p.steps = append(p.steps, s)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// basicActivations records one procedure per Activate / Deactivate section of
// the chunk (by the heading path, or by the chunk's own headings): the CXC
// codes used there and its numbered steps in order. A chunk without any
// heading still yields a procedure for a CXC code on a line that says
// ACTIVATED or DEACTIVATED.
func basicActivations(c *chunk, r *Result) {
	for _, p := range procedures(c) {
		r.ActivationProcedures = append(r.ActivationProcedures, Activation{Kind: p.kind, CXC: p.cxc, Steps: p.steps})
	}
}

// procedures reads the activate and deactivate procedures of a chunk, in
// order of appearance (see basicActivations).
func procedures(c *chunk) []*procedure {
	var procs []*procedure
	byHeading := map[string]*procedure{}
	for _, s := range c.sections {
		kind, title := "", ""
		for i := len(s.path) - 1; i >= 0 && kind == ""; i-- {
			kind, title = activationKind(s.path[i]), s.path[i]
		}
		if kind == "" {
			if len(s.path) == 0 {
				procs = append(procs, headinglessProcedures(s.lines)...)
			}
			continue
		}
		p := byHeading[title]
		if p == nil {
			p = &procedure{kind: kind}
			byHeading[title] = p
			procs = append(procs, p)
		}
		for _, line := range s.lines {
			p.lines = append(p.lines, line)
			p.addCXC(findCXCs(line)...)
			if step, ok := mdtext.NumberedStep(line); ok {
				p.addStep(Collapse(step))
			}
		}
	}
	return procs
}

// headinglessProcedures finds procedures in text that carries no heading:
// each line with a CXC code and an (de)activation word.
func headinglessProcedures(lines []string) []*procedure {
	var act, deact *procedure
	for _, line := range lines {
		codes := findCXCs(line)
		if len(codes) == 0 {
			continue
		}
		var p **procedure
		switch {
		case deactivateWord.MatchString(line):
			p = &deact
		case activateWord.MatchString(line):
			p = &act
		default:
			continue
		}
		if *p == nil {
			*p = &procedure{kind: "activate"}
			if p == &deact {
				(*p).kind = "deactivate"
			}
		}
		(*p).addCXC(codes...)
		(*p).lines = append((*p).lines, line)
		if step, ok := mdtext.NumberedStep(line); ok {
			(*p).addStep(Collapse(step))
		}
	}
	var out []*procedure
	for _, p := range []*procedure{act, deact} {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}
