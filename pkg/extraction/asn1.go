package extraction

import (
	"regexp"
	"strings"
)

// ASN.1 information elements of 3GPP specifications (RRC, NGAP, F1AP, XnAP,
// LPP...), read from the text between `-- ASN1START` and `-- ASN1STOP`, from
// code fences holding assignments, or from a whole ASN.1 module.
//
// The reader is a small state machine over tokens whose state between two
// chunks is a stack of open constructs (ASN1State): a type cut across chunks
// is continued in the next chunk with its fields attributed to the right IE.

// asn1Frame is one open brace: the construct it belongs to and the name path
// of the field (or type) that owns it.
type asn1Frame struct {
	kind string // seq (SEQUENCE, SET, CHOICE), enum (ENUMERATED and named bits), skip (anything else)
	ie   string // the top-level type
	path string // the owner's path inside ie ("" for ie itself)
}

// ASN1State is what the reader knows at the end of a chunk: the constructs
// still open. The chunk stage carries it to the next chunk of the document
// (in Input.Context, as its String form) so that fields of a type cut across
// chunks keep their IE.
type ASN1State struct {
	stack []asn1Frame
	// in is true inside an ASN1START..ASN1STOP region (or a code fence of
	// ASN.1) that the chunk did not close.
	in bool
}

// asn1ContextPrefix starts the Context line that carries an ASN1State.
const asn1ContextPrefix = "asn1-open:"

// String renders the state as one Context line, or "" when nothing is open.
func (s ASN1State) String() string {
	if !s.in && len(s.stack) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(asn1ContextPrefix)
	for _, f := range s.stack {
		b.WriteString(" ")
		b.WriteString(f.kind + "|" + f.ie + "|" + f.path)
	}
	return b.String()
}

// parseASN1State reads the state a Context carries.
func parseASN1State(context string) ASN1State {
	for _, line := range strings.Split(context, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), asn1ContextPrefix)
		if !ok {
			continue
		}
		s := ASN1State{in: true}
		for _, f := range strings.Fields(rest) {
			parts := strings.SplitN(f, "|", 3)
			if len(parts) == 3 {
				s.stack = append(s.stack, asn1Frame{kind: parts[0], ie: parts[1], path: parts[2]})
			}
		}
		return s
	}
	return ASN1State{}
}

// CarryASN1 reads text as the continuation of a document whose previous
// chunks left state, and returns the state at its end. The chunk stage calls
// it chunk after chunk; it returns the zero state for text without ASN.1.
func CarryASN1(state ASN1State, text string, wholeModule bool) ASN1State {
	r := newASN1Reader(state, wholeModule, nil)
	r.read(text)
	return r.state()
}

// asn1Item is what the reader reports: a type (ie) or a field, or a value
// assignment (constant).
type asn1Item struct {
	kind     string // KindIE, KindField, KindConstant
	name     string // full name: Type, Type.path.field, or the value name
	ie, path string
	typ, rng string
	optional bool
	need     string
	cond     string
}

type asn1Reader struct {
	stack []asn1Frame
	in    bool
	// whole reads every line as ASN.1 (a module file), not only regions.
	whole bool
	// cur is the element being read at the innermost level: a field of a
	// SEQUENCE/CHOICE, or a top-level assignment; nil between elements.
	cur *asn1Elem
	// owners are the elements whose nested braces are open, one per frame.
	owners []*asn1Elem
	emit   func(asn1Item)
	// last is the element a following Need/Cond comment belongs to.
	last *asn1Elem
}

// asn1Elem is an element being read: its name and the tokens of its type.
type asn1Elem struct {
	item    asn1Item
	toks    []string
	parens  int
	ranges  []string // constraint texts in parentheses
	enum    []string // enumeration values
	nested  string   // kind of the nested construct, if any
	emitted bool
}

func newASN1Reader(s ASN1State, whole bool, emit func(asn1Item)) *asn1Reader {
	r := &asn1Reader{stack: append([]asn1Frame(nil), s.stack...), in: s.in || whole, whole: whole, emit: emit}
	// Elements whose braces were open in the previous chunk were reported
	// there; stand-ins keep the frames consistent.
	for _, f := range r.stack {
		r.owners = append(r.owners, &asn1Elem{item: asn1Item{name: joinPath(f.ie, f.path)}, emitted: true})
	}
	return r
}

func (r *asn1Reader) state() ASN1State {
	return ASN1State{stack: append([]asn1Frame(nil), r.stack...), in: r.in && !r.whole}
}

var (
	asn1Token   = regexp.MustCompile(`::=|\.\.\.|\.\.|\[\[|\]\]|--.*?(?:--|$)|[A-Za-z&][A-Za-z0-9&-]*[A-Za-z0-9]|[A-Za-z&]|-?\d+|[{}(),;|:\[\]<.@!^]|'[^']*'[BH]?|"[^"]*"`)
	needComment = regexp.MustCompile(`\b(Need\s+[A-Z][A-Za-z0-9]*|Cond\s+[A-Za-z0-9][\w-]*)`)
	releaseTag  = regexp.MustCompile(`-(r\d{2}|v\d{3,4}[a-z]?)(?:-|$)`)
)

// read feeds text line by line.
func (r *asn1Reader) read(text string) {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "-- ASN1START"):
			r.in = true
			continue
		case strings.HasPrefix(t, "-- ASN1STOP"):
			r.finishAll()
			r.in = false
			continue
		case strings.HasPrefix(t, "```"):
			// a fence around ASN.1: the region is what the markers say, or
			// the fence when it holds assignments
			continue
		}
		if !r.in {
			if !strings.Contains(t, "::=") {
				continue
			}
			r.in = true // a fence or module without markers
		}
		if t == "" {
			if len(r.stack) == 0 {
				r.finish()
			}
			continue
		}
		r.line(t)
	}
}

var asn1Keywords = map[string]bool{
	"SEQUENCE": true, "SET": true, "CHOICE": true, "ENUMERATED": true, "INTEGER": true, "BOOLEAN": true,
	"NULL": true, "BIT": true, "OCTET": true, "STRING": true, "OF": true, "SIZE": true, "OPTIONAL": true,
	"DEFAULT": true, "CONTAINING": true, "REAL": true, "OBJECT": true, "IDENTIFIER": true, "CLASS": true,
	"WITH": true, "SYNTAX": true, "UNIQUE": true, "TYPE-IDENTIFIER": true, "PrintableString": true,
	"IA5String": true, "UTF8String": true, "VisibleString": true, "BMPString": true, "GraphicString": true,
	"NumericString": true, "MIN": true, "MAX": true, "FROM": true, "COMPONENTS": true, "ABSENT": true, "PRESENT": true,
}

func (r *asn1Reader) line(t string) {
	toks := asn1Token.FindAllString(t, -1)
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if strings.HasPrefix(tok, "--") {
			r.comment(tok)
			continue
		}
		if len(r.stack) == 0 {
			switch tok {
			case "BEGIN", "END", "IMPORTS", "EXPORTS", "DEFINITIONS", "AUTOMATIC", "TAGS", "EXPLICIT", "IMPLICIT":
				r.finish()
				continue
			case ";":
				r.finish()
				continue
			}
			if start, name := assignmentAt(toks, i); start {
				r.finish()
				r.cur = &asn1Elem{item: asn1Item{name: name, ie: name}}
				if isUpper(name) {
					r.cur.item.kind = KindIE
				} else {
					r.cur.item.kind = KindConstant
				}
				// skip to after ::=
				for i < len(toks) && toks[i] != "::=" {
					if toks[i] == "{" { // a parameterized type's parameters
						depth := 0
						for ; i < len(toks); i++ {
							if toks[i] == "{" {
								depth++
							} else if toks[i] == "}" {
								depth--
								if depth == 0 {
									break
								}
							}
						}
					}
					if i < len(toks) && toks[i] != "::=" && i > 0 && r.cur.item.kind == KindConstant && asn1Keywords[toks[i]] {
						r.cur.toks = append(r.cur.toks, toks[i]) // maxX INTEGER ::= 8
					}
					i++
				}
				if r.cur.item.kind == KindConstant && len(r.cur.toks) == 0 && i > 1 {
					r.cur.toks = append(r.cur.toks, toks[i-1])
				}
				continue
			}
			if r.cur == nil {
				continue
			}
		}
		r.token(tok)
	}
}

// assignmentAt reports whether toks[i] starts an assignment (Name ::=,
// name Type ::=, Name {Params} ::=, Name CLASS-NAME ::=) and returns its name.
func assignmentAt(toks []string, i int) (bool, string) {
	name := toks[i]
	if !isIdent(name) || asn1Keywords[name] {
		return false, ""
	}
	j := i + 1
	if j < len(toks) && toks[j] == "{" {
		depth := 0
		for ; j < len(toks); j++ {
			if toks[j] == "{" {
				depth++
			} else if toks[j] == "}" {
				depth--
				if depth == 0 {
					j++
					break
				}
			}
		}
	} else if j < len(toks) && isIdent(toks[j]) && j+1 < len(toks) && toks[j+1] == "::=" {
		j++
	}
	return j < len(toks) && toks[j] == "::=", name
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isUpper(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// comment attaches a Need or Cond code to the element it follows.
func (r *asn1Reader) comment(tok string) {
	m := needComment.FindString(tok)
	if m == "" {
		return
	}
	target := r.last
	if r.cur != nil && len(r.cur.toks) > 0 && len(r.stack) > 0 {
		target = r.cur // the comment sits before the comma of the current field
	}
	if target == nil || target.item.kind != KindField {
		return
	}
	m = Collapse(m)
	if strings.HasPrefix(m, "Need") {
		if target.item.need == "" {
			target.item.need = m
		}
	} else if target.item.cond == "" {
		target.item.cond = m
	}
	if target.emitted && r.emit != nil {
		r.emit(target.item) // reported already: report the completion
	}
}

func (r *asn1Reader) token(tok string) {
	if r.cur == nil {
		if len(r.stack) == 0 {
			return
		}
		top := r.stack[len(r.stack)-1]
		switch tok {
		case ",", "...", "[[", "]]", "|":
			return
		case "}":
			r.close()
			return
		}
		r.cur = &asn1Elem{}
		if top.kind == "seq" && isIdent(tok) && !isUpper(tok) {
			r.cur.item = asn1Item{kind: KindField, ie: top.ie, path: top.path,
				name: joinPath(top.ie, joinPath(top.path, tok))}
			return
		}
		// an enumeration value, an object set entry, COMPONENTS OF ...
	}
	e := r.cur
	if e.parens > 0 {
		switch tok {
		case "(":
			e.parens++
		case ")":
			e.parens--
		}
		if e.parens > 0 || tok != ")" {
			e.ranges[len(e.ranges)-1] += spaced(e.ranges[len(e.ranges)-1], tok)
		}
		return
	}
	top := ""
	if len(r.stack) > 0 {
		top = r.stack[len(r.stack)-1].kind
	}
	switch tok {
	case "(":
		e.parens = 1
		e.ranges = append(e.ranges, "")
	case "{":
		kind := "skip"
		for k := len(e.toks) - 1; k >= 0; k-- {
			switch e.toks[k] {
			case "SEQUENCE", "SET", "CHOICE":
				kind = "seq"
			case "ENUMERATED", "BIT", "INTEGER":
				kind = "enum"
			default:
				continue
			}
			break
		}
		if e.item.kind == "" || e.item.kind == KindConstant {
			kind = "skip"
		}
		e.nested = kind
		path := e.item.path
		if e.item.kind == KindField {
			path = strings.TrimPrefix(strings.TrimPrefix(e.item.name, e.item.ie), ".")
		} else if e.item.kind == KindIE {
			path = ""
		}
		ie := e.item.ie
		r.report(e) // the owner is known once its construct opens
		r.owners = append(r.owners, e)
		r.stack = append(r.stack, asn1Frame{kind: kind, ie: ie, path: path})
		r.cur = nil
	case "}":
		if top == "enum" {
			r.close()
			return
		}
		r.finish()
		r.close()
	case ",":
		if len(r.stack) > 0 {
			r.finish()
		}
	case "OPTIONAL":
		e.item.optional = true
	case "[[", "]]", "|":
		r.finish()
	default:
		if top == "enum" && len(r.owners) > 0 && e.item.kind == "" {
			owner := r.owners[len(r.owners)-1]
			if isIdent(tok) || tok == "..." {
				owner.enum = append(owner.enum, tok)
			}
			r.cur = nil
			return
		}
		e.toks = append(e.toks, tok)
	}
}

// close pops the innermost frame; its owner's type goes on after the brace.
func (r *asn1Reader) close() {
	if len(r.stack) == 0 {
		return
	}
	r.stack = r.stack[:len(r.stack)-1]
	owner := r.owners[len(r.owners)-1]
	r.owners = r.owners[:len(r.owners)-1]
	if len(owner.enum) > 0 && owner.item.kind != "" && r.emit != nil {
		owner.item.rng = rangeText(owner)
		r.emit(owner.item)
	}
	r.cur = owner
	r.last = owner
}

// finish ends the element being read and reports it.
func (r *asn1Reader) finish() {
	if r.cur == nil {
		return
	}
	e := r.cur
	r.cur = nil
	r.report(e)
	r.last = e
}

// finishAll ends everything open (the region closed).
func (r *asn1Reader) finishAll() {
	for len(r.stack) > 0 {
		r.finish()
		r.close()
	}
	r.finish()
}

// report emits the element with what is known of it so far; a later report
// of the same name completes it (Merge fills empty fields).
func (r *asn1Reader) report(e *asn1Elem) {
	if e.item.kind == "" || e.item.name == "" || r.emit == nil {
		return
	}
	e.item.typ = typeText(e.toks)
	e.item.rng = rangeText(e)
	if e.item.kind == KindConstant && e.item.rng == "" && len(e.toks) > 1 {
		e.item.typ, e.item.rng = e.toks[0], strings.Join(e.toks[1:], " ")
	}
	e.emitted = true
	r.emit(e.item)
}

func typeText(toks []string) string {
	var keep []string
	for _, t := range toks {
		if t == "DEFAULT" {
			break
		}
		if t == "OPTIONAL" {
			continue
		}
		keep = append(keep, t)
	}
	return strings.Join(keep, " ")
}

const maxRange = 300

func rangeText(e *asn1Elem) string {
	var s string
	switch {
	case len(e.enum) > 0:
		s = "{" + strings.Join(e.enum, ", ") + "}"
	case len(e.ranges) > 0:
		s = strings.Join(e.ranges, " ")
	}
	for i, t := range e.toks {
		if t == "DEFAULT" && i+1 < len(e.toks) {
			s = strings.TrimSpace(s + " DEFAULT " + e.toks[i+1])
		}
	}
	if len(s) > maxRange {
		cut := strings.LastIndex(s[:maxRange], ",")
		if cut < 0 {
			cut = maxRange
		}
		s = s[:cut] + ", ...}"
	}
	return s
}

// spaced returns tok with the space it needs after prev.
func spaced(prev, tok string) string {
	if prev == "" || tok == ")" || tok == "," || tok == ".." || strings.HasSuffix(prev, "(") || strings.HasSuffix(prev, "..") {
		return tok
	}
	return " " + tok
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// releaseOf returns the release suffix of an ASN.1 name (r16, v1610), the
// last one it carries.
func releaseOf(name string) string {
	last := name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		last = name[i+1:]
	}
	ms := releaseTag.FindAllStringSubmatch(last, -1)
	if len(ms) == 0 {
		return ""
	}
	return ms[len(ms)-1][1]
}

// asn1Rule adds the ASN.1 types, fields and value assignments of the chunk.
func asn1Rule(c *chunk, r *Result) {
	if !strings.Contains(c.text, "::=") && !strings.Contains(c.in.Context, asn1ContextPrefix) {
		return
	}
	st := parseASN1State(c.in.Context)
	whole := c.in.Format == "asn1"
	rd := newASN1Reader(st, whole, func(it asn1Item) {
		p := Parameter{Name: it.name, Kind: it.kind, Type: it.typ, Range: it.rng, Optional: it.optional,
			Need: it.need, Cond: it.cond, Release: releaseOf(it.name)}
		if it.kind == KindField {
			p.IE, p.Path = it.ie, it.path
		}
		r.Parameters = append(r.Parameters, p)
	})
	rd.read(c.text)
	rd.finish()
}
