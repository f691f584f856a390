package extraction

import (
	"regexp"
	"strings"
	"unicode"
)

// The rules of the 3gpp family (DESIGN.md, "Document families"): the
// specification itself, its ASN.1 information elements, timers and
// constants, NAS message contents, measurement events, protocol messages and
// procedures, performance measurements and the specifications it references.
var threegppRules = []rule{specRule, asn1Rule, gppTablesRule, nasIEClauseRule, measEventRule, messageRule, procedureRule,
	measurementRule, pmFileRule, referenceRule, mentionRule}

// threegppStructureRules are the 3GPP rules that read structure only (ASN.1,
// tables, clause headings, reference lists, measurement files): what a
// generic document gets in feature_grouped.
var threegppStructureRules = []rule{asn1Rule, gppTablesRule, nasIEClauseRule, measEventRule, messageRule, pmFileRule, referenceRule}

// SpecContextPrefix starts the Context line by which the chunk stage tells
// the first chunk of a 3GPP document which specification it is (from the
// cover page or the file name): "3gpp-spec: 38.331|18.4.0|18|title".
const SpecContextPrefix = "3gpp-spec:"

// SpecContext renders the Context line of a specification.
func SpecContext(spec, version, release, title string) string {
	clean := func(s string) string { return strings.ReplaceAll(Collapse(s), "|", "/") }
	return SpecContextPrefix + " " + clean(spec) + "|" + clean(version) + "|" + clean(release) + "|" + clean(title)
}

var coverLine = regexp.MustCompile(`(?m)^\s*(?:3GPP|ETSI)\s+T[SR]\s+(\d{2}\.\d{3}(?:-\d+)?)\s+V(\d+\.\d+\.\d+)`)

// specRule records the specification as the main feature: from the spec
// line of the context (first chunk), or from a cover line in the text.
func specRule(c *chunk, r *Result) {
	for _, line := range strings.Split(c.in.Context, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), SpecContextPrefix)
		if !ok {
			continue
		}
		p := strings.SplitN(strings.TrimSpace(rest), "|", 4)
		for len(p) < 4 {
			p = append(p, "")
		}
		if specNumberShape.MatchString(p[0]) {
			name := p[3]
			if name == "" {
				name = "3GPP TS " + p[0]
			}
			r.MainFeatures = append(r.MainFeatures, Feature{Kind: KindSpecification, Name: name, Spec: p[0],
				Version: p[1], Release: p[2]})
			return
		}
	}
	if m := coverLine.FindStringSubmatch(c.text[:min(len(c.text), 2000)]); m != nil {
		r.MainFeatures = append(r.MainFeatures, Feature{Kind: KindSpecification, Name: "3GPP TS " + m[1],
			Spec: m[1], Version: m[2]})
	}
}

var (
	referenceLine = regexp.MustCompile(`^\s*[-*]?\s*\\?\[(\d+[a-z]?)\\?\]\s*((?:3GPP2?|ETSI)\s+(?:TS|TR|EN|ES|GS)\s+[\dA-Z][\d. ]*\d(?:-\d+)?)\s*(?:\(.*?\))?(?:,?\s*Release\s+\d+)?\s*[:,]?\s*(.*)$`)
	citedSpec     = regexp.MustCompile(`\b(3GPP|ETSI)\s+(TS|TR)\s+(\d{2}\.\d{3}(?:-\d+)?)\b(\s+V\d)?`)
)

// referenceRule records the reference list entries ([2] 3GPP TS 38.300:
// "title") and the specifications cited in the body, relationship
// references.
func referenceRule(c *chunk, r *Result) {
	if !strings.Contains(c.text, "3GPP") && !strings.Contains(c.text, "ETSI") {
		return
	}
	lines := strings.Split(c.text, "\n")
	for i, line := range lines {
		if m := referenceLine.FindStringSubmatch(line); m != nil {
			title := m[3]
			// A converter that wraps lines (pandoc at 72 columns) carries
			// the title on to the next lines of the entry's paragraph.
			for j := i + 1; j < len(lines) && j <= i+3; j++ {
				next := strings.TrimSpace(lines[j])
				if next == "" || referenceLine.MatchString(lines[j]) || strings.HasPrefix(next, "#") || strings.HasPrefix(next, "|") {
					break
				}
				title += " " + next
			}
			title = strings.Trim(Collapse(title), `"“”. `)
			r.RelatedFeatures = append(r.RelatedFeatures, RelatedFeature{Kind: KindSpecification, Spec: Collapse(m[2]),
				Ref: "[" + m[1] + "]", Name: title, Relationship: "references"})
			continue
		}
		for _, m := range citedSpec.FindAllStringSubmatch(line, -1) {
			if m[4] != "" {
				continue // the document's own cover line
			}
			r.RelatedFeatures = append(r.RelatedFeatures, RelatedFeature{Kind: KindSpecification,
				Spec: m[1] + " " + m[2] + " " + m[3], Relationship: "references"})
		}
	}
}

var (
	timerName    = regexp.MustCompile(`^(T\d{3,4}[a-z]?|N\d{3}[a-z]?|T[A-Z]\d{0,3})\b`)
	brTag        = regexp.MustCompile(`(?i)<br\s*/?>`)
	tableCaption = regexp.MustCompile(`(?i)^Table\s+[\dA-Z.\-]+:\s*(.+?)\s+message content`)
	messageType  = regexp.MustCompile(`^\s*Message type:\s*(.+?)\s*$`)
	directionRow = regexp.MustCompile(`(?i)^\s*Direction:\s*(.+?)\s*$`)
)

func cleanCell(s string) string { return Collapse(brTag.ReplaceAllString(s, " ")) }

// gppTablesRule reads timer tables (Timer | Start | Stop | At expiry, and
// 24-series TIMER NUM. | TIMER VALUE | ... | ON EXPIRY), counter and
// constant tables (Counter | Reset | Incremented | When reaching max value;
// Constant | Usage) and NAS message content tables (IEI | Information
// Element | Type/Reference | Presence | Format | Length).
func gppTablesRule(c *chunk, r *Result) {
	for ti, t := range c.tables {
		if !t.header || len(t.rows) < 2 {
			continue
		}
		h := t.rows[0]
		col := func(pat string) int {
			re := regexp.MustCompile(pat)
			for i, x := range h {
				if re.MatchString(strings.ToLower(cleanCell(x))) {
					return i
				}
			}
			return -1
		}
		first := strings.ToLower(cleanCell(cell(h, 0)))
		switch {
		case strings.HasPrefix(first, "timer"):
			start, stop, exp, val := col(`start`), col(`stop`), col(`expiry`), col(`value`)
			for _, row := range t.body() {
				m := timerName.FindStringSubmatch(cleanCell(cell(row, 0)))
				if m == nil {
					continue
				}
				r.Parameters = append(r.Parameters, Parameter{Name: m[1], Kind: KindTimer,
					Start: cleanCell(cell(row, start)), Stop: cleanCell(cell(row, stop)),
					Expiry: cleanCell(cell(row, exp)), Range: cleanCell(cell(row, val))})
			}
		case first == "counter" || first == "constant":
			reset, inc, maxv, usage, val := col(`reset`), col(`increment`), col(`max`), col(`usage`), col(`value`)
			for _, row := range t.body() {
				m := timerName.FindStringSubmatch(cleanCell(cell(row, 0)))
				if m == nil {
					continue
				}
				r.Parameters = append(r.Parameters, Parameter{Name: m[1], Kind: KindConstant,
					Start: cleanCell(cell(row, inc)), Stop: cleanCell(cell(row, reset)), Expiry: cleanCell(cell(row, maxv)),
					Description: cleanCell(cell(row, usage)), Range: cleanCell(cell(row, val))})
			}
		case first == "iei" && col(`information element`) > 0:
			msg := c.messageOf(ti)
			if msg == "" {
				continue
			}
			name, typ, pres, format, length := col(`information element`), col(`type`), col(`presence`), col(`^format`), col(`^length`)
			for _, row := range t.body() {
				ie := cleanCell(cell(row, name))
				// A converter that kept a merged header cell as a column of
				// its own puts some rows' IE one cell to the right, before
				// the type ("| 5F | | Extended APN-AMBR | Extended APN
				// aggregate maximum bit rate |").
				for k := name + 1; ie == "" && k < typ; k++ {
					ie = cleanCell(cell(row, k))
				}
				if ie == "" || strings.HasPrefix(ie, "NOTE") {
					continue
				}
				p := cleanCell(cell(row, pres))
				r.Parameters = append(r.Parameters, Parameter{Name: msg + "." + ie, Kind: KindNASIE, IE: msg,
					IEI: cleanCell(cell(row, 0)), Type: cleanCell(cell(row, typ)), Presence: p,
					Optional: p == "O" || p == "C", Format: cleanCell(cell(row, format)), Length: cleanCell(cell(row, length))})
			}
		}
	}
}

// nasIEClauseRule records the NAS IEs that the clauses after a message's
// content table describe one by one, as 24.301, 24.501 and 24.008 write
// them: "8.2.4.12 Additional update type" under "8.2.4 Attach request"
// under "8.2 EPS mobility management messages", its text about "this IE".
// The IE is the one the content table lists (ATTACH REQUEST.Additional
// update type: the message named in capitals, as the table caption names
// it), so a chunk of such clauses, far from the table, still gives the IEs
// it is about.
func nasIEClauseRule(c *chunk, r *Result) {
	for _, s := range c.sections {
		n := len(s.path)
		if n < 3 {
			continue
		}
		own, parent, group := Collapse(s.path[n-1]), Collapse(s.path[n-2]), clauseTitle(s.path[n-3])
		num, pnum := clauseNumberOf(own), clauseNumberOf(parent)
		if num == "" || pnum == "" || !strings.HasPrefix(num, pnum+".") || strings.Count(num, ".") != strings.Count(pnum, ".")+1 ||
			!messagesGroup.MatchString(group) {
			continue
		}
		ie := strings.TrimSuffix(clauseTitle(own), " IE")
		msg := strings.ToUpper(clauseTitle(parent))
		if ie == "" || msg == "" || strings.HasPrefix(strings.ToLower(ie), "message") || !mentionsIE(s.lines) {
			continue
		}
		r.Parameters = append(r.Parameters, Parameter{Name: msg + "." + ie, Kind: KindNASIE, IE: msg})
	}
}

// messagesGroup matches the title of a clause grouping message clauses:
// "EPS mobility management messages", "GPRS Mobility Management Messages".
var messagesGroup = regexp.MustCompile(`(?i)\bmessages$`)

// clauseNumberOf returns the clause number a heading starts with
// ("8.2.4.12" of "8.2.4.12 Additional update type"), or "".
func clauseNumberOf(h string) string {
	m := clauseNumber.FindString(h)
	return strings.TrimSpace(m)
}

// mentionsIE reports whether the clause text speaks of the IE it
// describes ("This IE shall be included ...", "The UE shall include this
// IE ...").
func mentionsIE(lines []string) bool {
	for _, l := range lines {
		// "this IE", "This IE", "the IE ", "The IE ": 3GPP writes IE in
		// capitals.
		if strings.Contains(l, "his IE") || strings.Contains(l, "he IE ") {
			return true
		}
	}
	return false
}

// mentionRule records the protocol messages and timers a specification's
// running text names, so that a chunk of procedure text gives what it uses
// ("the UE shall send an ATTACH REQUEST message", "upon receiving the
// RRCReconfiguration message", "start timer T3410"): a message is the name
// before the word "message", NAS style (two upper-case words or more) or
// RRC style (one camel-case word with a lower-case letter or a digit:
// RRCReconfiguration, MeasurementReport, SIB1); a timer is T and three or
// four digits. They merge with what the message clauses and the timer
// tables give (direction, start, stop, expiry).
func mentionRule(c *chunk, r *Result) {
	text := c.text
	for from := 0; ; {
		i := strings.Index(text[from:], " message")
		if i < 0 {
			break
		}
		at := from + i
		from = at + len(" message")
		if from < len(text) && identByte(text[from]) {
			continue // "messages", "message_x"
		}
		if name := messageBefore(text[:at]); name != "" {
			r.Events = append(r.Events, Event{Kind: KindMessage, Name: name})
		}
	}
	for i := 0; i+4 <= len(text); i++ {
		if text[i] != 'T' || (i > 0 && identByte(text[i-1])) {
			continue
		}
		j := i + 1
		for j < len(text) && j-i <= 5 && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if d := j - i - 1; (d == 3 || d == 4) && (j == len(text) || !identByte(text[j])) {
			r.Parameters = append(r.Parameters, Parameter{Name: text[i:j], Kind: KindTimer})
		}
	}
}

// messageBefore returns the message name that ends s (the text before
// " message"), or "".
func messageBefore(s string) string {
	end := len(s)
	start := end
	for start > 0 && identByte(s[start-1]) || start > 0 && s[start-1] == '-' {
		start--
	}
	word := s[start:end]
	if word == "" {
		return ""
	}
	if upper(word) {
		// NAS style: a run of upper-case words, two at least.
		words := 1
		for {
			// Words are apart by a space, or by a line break where the
			// text is wrapped (not by a blank line).
			k := start - 1
			if k < 0 || s[k] != ' ' && s[k] != '\n' || s[k] == '\n' && k > 0 && s[k-1] == '\n' {
				break
			}
			b := k
			for b > 0 && (identByte(s[b-1]) || s[b-1] == '-') {
				b--
			}
			if b == k || !upper(s[b:k]) {
				break
			}
			start, words = b, words+1
		}
		if words < 2 || containerWords[word] {
			return ""
		}
		return s[start:end]
	}
	// RRC style: one word, starting upper case, with another capital and a
	// lower-case letter or a digit.
	if w := word; w[0] >= 'A' && w[0] <= 'Z' && strings.IndexFunc(w[1:], unicode.IsUpper) >= 0 &&
		strings.IndexFunc(w, func(r rune) bool { return unicode.IsLower(r) || unicode.IsDigit(r) }) >= 0 && !strings.Contains(w, "-") &&
		!containerWords[strings.ToUpper(w)] {
		return w
	}
	return ""
}

// containerWords end the names of kinds of messages, not of a message:
// "an EPS NAS message", "the DL DCCH message", "a NR RRC message".
var containerWords = map[string]bool{
	"NAS": true, "RRC": true, "DCCH": true, "CCCH": true, "BCCH": true, "PCCH": true, "MCCH": true,
	"SCCH": true, "EAP": true, "LPP": true, "SIP": true, "HTTP": true, "PDU": true, "S1AP": true,
	"NGAP": true, "X2AP": true, "XNAP": true, "F1AP": true, "E1AP": true, "PC5": true, "SMS": true,
}

// upper reports whether w is an upper-case word: letters A-Z, digits and
// inner hyphens after the first letter, two letters at least or one and a
// digit (F1, E1, S1, X2: "F1 SETUP REQUEST").
func upper(w string) bool {
	letters, digits := 0, 0
	for i := 0; i < len(w); i++ {
		switch b := w[i]; {
		case b >= 'A' && b <= 'Z':
			letters++
		case b >= '0' && b <= '9' && i > 0:
			digits++
		case b == '-' && i > 0 && i < len(w)-1:
		default:
			return false
		}
	}
	return letters >= 2 || letters == 1 && digits > 0
}

// messageOf names the NAS message a content table describes: its caption
// ("Table 8.2.1.1: ATTACH ACCEPT message content"), the Message type line
// of its section, or the clause above "Message definition" in the heading
// path (a table continued from the previous chunk).
func (c *chunk) messageOf(ti int) string {
	t := c.tables[ti]
	if t.section < len(c.sections) {
		sec := c.sections[t.section]
		for i := len(sec.lines) - 1; i >= 0; i-- {
			l := strings.TrimSpace(sec.lines[i])
			if m := tableCaption.FindStringSubmatch(l); m != nil {
				return Collapse(m[1])
			}
			if m := messageType.FindStringSubmatch(l); m != nil {
				return Collapse(m[1])
			}
		}
		path := sec.path
		for i := len(path) - 1; i > 0; i-- {
			if strings.Contains(strings.ToLower(path[i]), "message definition") {
				return strings.ToUpper(clauseTitle(path[i-1]))
			}
		}
	}
	return ""
}

var clauseNumber = regexp.MustCompile(`^(?:\d+(?:\.\d+)*[A-Za-z]?|[A-Z](?:\.\d+)+)\s+`)

// clauseTitle strips the clause number (and an RRC dash) off a heading.
func clauseTitle(h string) string {
	h = clauseNumber.ReplaceAllString(Collapse(h), "")
	return strings.TrimSpace(strings.TrimLeft(h, "–- "))
}

var (
	measEventHeading = regexp.MustCompile(`^(?:Event|CondEvent)\s+([A-Z]\d[A-Z0-9]*)\s*(?:\((.*)\))?\s*$`)
	inequality       = regexp.MustCompile(`(?i)^Inequality\s+\S+\s*\((entering|leaving) condition`)
)

// measEventRule records measurement-report triggering events from their
// clauses ("5.5.4.4 Event A3 (Neighbour becomes offset better than
// SpCell)") with their entering and leaving inequalities.
func measEventRule(c *chunk, r *Result) {
	for _, s := range c.sections {
		if len(s.path) == 0 {
			continue
		}
		m := measEventHeading.FindStringSubmatch(clauseTitle(s.path[len(s.path)-1]))
		if m == nil {
			continue
		}
		ev := Event{Kind: KindMeasurementEvent, Name: "Event " + m[1], Title: Collapse(m[2])}
		for i, l := range s.lines {
			k := inequality.FindStringSubmatch(strings.TrimSpace(l))
			if k == nil {
				continue
			}
			cond := ""
			for _, next := range s.lines[i+1:] {
				if t := Collapse(next); t != "" {
					cond = t
					break
				}
			}
			if strings.EqualFold(k[1], "entering") {
				ev.Entering = cond
			} else {
				ev.Leaving = cond
			}
		}
		r.Events = append(r.Events, ev)
	}
}

var rrcMessageHeading = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+(?:-r\d\d)?$`)

// messageRule records protocol messages: NAS messages by their "Message
// type:" line, RRC messages by their "– Name" clause with a "Direction:"
// line, each with its direction.
func messageRule(c *chunk, r *Result) {
	if !strings.Contains(c.text, "Message type:") && !strings.Contains(c.text, "Direction:") {
		return
	}
	for _, s := range c.sections {
		var name, dir string
		for _, l := range s.lines {
			if m := messageType.FindStringSubmatch(l); m != nil && name == "" {
				name = Collapse(m[1])
			}
			if m := directionRow.FindStringSubmatch(l); m != nil && dir == "" {
				dir = Collapse(m[1])
			}
		}
		if name == "" && dir != "" && len(s.path) > 0 {
			if h := Collapse(s.path[len(s.path)-1]); strings.HasPrefix(h, "–") || strings.HasPrefix(h, "-") {
				if t := clauseTitle(h); rrcMessageHeading.MatchString(t) {
					name = t
				}
			}
		}
		if name != "" && dir != "" {
			r.Events = append(r.Events, Event{Kind: KindMessage, Name: name, Direction: dir})
		}
	}
}

var procedureTitle = regexp.MustCompile(`(?i)\bprocedures?\b`)

// procedureRule records procedures: clauses whose sub-clauses include an
// Initiation clause, and clauses titled "... procedure".
func procedureRule(c *chunk, r *Result) {
	type clause struct{ num, title string }
	var hs []clause
	for _, s := range c.sections {
		if len(s.path) == 0 {
			continue
		}
		h := Collapse(s.path[len(s.path)-1])
		num := clauseNumber.FindString(h)
		if num == "" {
			continue
		}
		hs = append(hs, clause{strings.TrimSpace(num), clauseTitle(h)})
	}
	for _, h := range hs {
		title := h.title
		if title == "" || strings.EqualFold(title, "void") || strings.HasPrefix(strings.ToLower(title), "general") {
			continue
		}
		isProc := procedureTitle.MatchString(title) && !strings.Contains(strings.ToLower(title), "initiation") &&
			len(title) < 100 && !strings.HasPrefix(strings.ToLower(title), "procedure")
		for _, o := range hs {
			if strings.HasPrefix(o.num, h.num+".") && strings.EqualFold(o.title, "initiation") {
				isProc = true
			}
		}
		if isProc {
			r.Events = append(r.Events, Event{Kind: KindProcedure, Name: title})
		}
	}
}

// measurementFamilies are the measurement families of TS 28.552 / 32.425
// (and the vendor-specific VS).
const measurementFamilies = `RRC|RRU|DRB|QF|MM|SM|HO|PAG|TB|CARR|L1M|GTP|PEE|UECNTX|IRATHO|MR|SRVCC|ERAB|PDCP|SESS|VS|SAMM|SASM|RACH|LMF|UDM|AMF|SMF|UPF|NRF|PCF|NSSF|AUSF|EEF|MAC|RLC|IP|CTXT|UEAssist|TRC|QOS|SNSSAI`

var measurementName = regexp.MustCompile(`\b(?:` + measurementFamilies + `)\.[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)*\b`)

// measurementRule records 3GPP performance measurement names
// (RRC.ConnEstabAtt.Cause) the text states.
func measurementRule(c *chunk, r *Result) {
	for _, m := range measurementName.FindAllString(c.text, -1) {
		m = strings.TrimRight(m, ".")
		if strings.Count(m, ".") == 0 {
			continue
		}
		r.Counters = append(r.Counters, Counter{Name: m, Kind: KindMeasurement})
	}
}

var (
	measInfoBlock = regexp.MustCompile(`(?s)<measInfo\b.*?</measInfo>`)
	measTypesList = regexp.MustCompile(`(?s)<measTypes>(.*?)</measTypes>`)
	measTypeOne   = regexp.MustCompile(`<measType\b[^>]*>\s*([^<\s]+)\s*</measType>`)
	measObject    = regexp.MustCompile(`measObjLdn="([^"]*)"`)
	measTypeShape = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.#-]*$`)
)

// pmFileRule records the measTypes of a TS 32.435 measCollecFile with the
// object instances measured in the same measInfo.
func pmFileRule(c *chunk, r *Result) {
	if !strings.Contains(c.text, "<measInfo") {
		return
	}
	for _, block := range measInfoBlock.FindAllString(c.text, -1) {
		var names, objs []string
		for _, m := range measTypesList.FindAllStringSubmatch(block, -1) {
			names = append(names, strings.Fields(m[1])...)
		}
		for _, m := range measTypeOne.FindAllStringSubmatch(block, -1) {
			names = append(names, m[1])
		}
		for _, m := range measObject.FindAllStringSubmatch(block, -1) {
			if o := Collapse(m[1]); o != "" {
				objs = appendNew(objs, []string{o})
			}
		}
		for _, n := range names {
			if measTypeShape.MatchString(n) {
				r.Counters = append(r.Counters, Counter{Name: n, Kind: KindMeasurement, Objects: objs})
			}
		}
	}
}
