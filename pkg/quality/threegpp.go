package quality

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// The loose candidates of 3GPP structure (see the package documentation).
var (
	asn1Assignment  = regexp.MustCompile(`(?m)^\s*([A-Z][A-Za-z0-9-]*)\s*(?:\{[^}\n]*\}\s*)?::=`)
	gppTimerCell    = regexp.MustCompile(`^([TN]\d{3,4}[a-z]?)\b`)
	gppMessageLine  = regexp.MustCompile(`(?m)^\s*Message type:\s*(.+?)\s*$`)
	gppReference    = regexp.MustCompile(`(?m)^\s*\\?\[\d+[a-z]?\\?\]\s*((?:3GPP|ETSI)\s+T[SR]\s+\d{2}\.\d{3}(?:-\d+)?)`)
	gppMeasurement  = regexp.MustCompile(`\b(?:RRC|RRU|DRB|QF|MM|SM|HO|PAG|TB|CARR|L1M|GTP|PEE|UECNTX|IRATHO|ERAB|SESS)\.[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)*`)
	gppEventHeading = regexp.MustCompile(`(?m)^#{1,6}\s+(?:\d+(?:\.\d+)*\s+)?Event\s+([A-Z]\d[A-Z0-9]*)\b`)
)

// Thresholds of the telecom-content candidate: a chunk this long that uses
// this many distinct telecom terms plainly holds something to extract.
const (
	telecomMinRunes = 1500
	telecomMinTerms = 8
)

// gppCoverage adds the 3GPP candidates of t to c.
func gppCoverage(t text, r extraction.Result, c *candidates) {
	params := map[string]bool{}
	for _, p := range r.Parameters {
		params[p.Name] = true
	}
	events := map[string]bool{}
	for _, e := range r.Events {
		events[strings.ToUpper(e.Name)] = true
	}
	specs := map[string]bool{}
	for _, f := range r.RelatedFeatures {
		if f.Spec != "" {
			specs[extraction.Collapse(f.Spec)] = true
		}
	}
	counters := map[string]bool{}
	for _, x := range r.Counters {
		counters[x.Name] = true
	}
	if strings.Contains(t.raw, "::=") {
		for _, m := range asn1Assignment.FindAllStringSubmatch(t.raw, -1) {
			if !asn1Word[m[1]] {
				c.add("asn1", m[1], params[m[1]])
			}
		}
	}
	for _, tb := range t.tables {
		if len(tb.header) == 0 {
			continue
		}
		h := tb.header[0]
		if !strings.HasPrefix(h, "timer") && h != "counter" && h != "constant" {
			continue
		}
		for _, row := range tb.body() {
			if len(row) > 0 {
				if m := gppTimerCell.FindStringSubmatch(row[0]); m != nil {
					c.add("timer", m[1], params[m[1]])
				}
			}
		}
	}
	// Each pattern runs only where its literal is: most chunks have none.
	if strings.Contains(t.raw, "Message type:") {
		for _, m := range gppMessageLine.FindAllStringSubmatch(t.raw, -1) {
			name := extraction.Collapse(m[1])
			c.add("message", name, events[strings.ToUpper(name)])
		}
	}
	if strings.Contains(t.raw, "[") && (strings.Contains(t.raw, "3GPP") || strings.Contains(t.raw, "ETSI")) {
		for _, m := range gppReference.FindAllStringSubmatch(t.raw, -1) {
			spec := extraction.Collapse(m[1])
			c.add("reference", spec, specs[spec])
		}
	}
	if slices.ContainsFunc(gppMeasurementFamilies, func(f string) bool { return strings.Contains(t.flat, f) }) {
		for _, m := range gppMeasurement.FindAllString(t.flat, -1) {
			c.add("measurement", m, counters[m])
		}
	}
	if strings.Contains(t.raw, "Event") {
		for _, m := range gppEventHeading.FindAllStringSubmatch(t.raw, -1) {
			c.add("measurement-event", m[1], events[strings.ToUpper("Event "+m[1])])
		}
	}
	if telecomContent(t) && !changeHistory(t) {
		c.add("telecom", "content", r.Items() > 0)
	}
}

// changeHistory reports whether the chunk sits in a document's change
// history ("Annex E (informative): Change history"): its rows name the
// changes made to the document (meetings, CR numbers, titles), dense with
// telecom terms but holding none of the six categories.
func changeHistory(t text) bool {
	return strings.Contains(strings.ToLower(t.headings), "change history")
}

// asn1Word are ASN.1 keywords a loose assignment pattern may catch.
var asn1Word = map[string]bool{"DEFINITIONS": true, "BEGIN": true, "END": true}

// telecomContent reports whether the chunk is long and dense with telecom
// terms: a result with no item at all cannot have read it. It walks the
// words of the text once (this runs on every chunk; a regexp alternation of
// the terms was a quarter of the scoring time).
func telecomContent(t text) bool {
	if len(t.flat) < telecomMinRunes {
		return false
	}
	seen := map[string]bool{}
	s := t.flat
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w := s[i:j]
		// E-UTRA, E-UTRAN and NG-RAN span a hyphen.
		if (w == "E" || w == "NG") && j+1 < len(s) && s[j] == '-' && isWordByte(s[j+1]) {
			k := j + 1
			for k < len(s) && isWordByte(s[k]) {
				k++
			}
			if long := s[i:k]; telecomTerms[long] {
				w, j = long, k
			}
		}
		if telecomTerms[w] || isPMName(w) {
			seen[w] = true
			if len(seen) >= telecomMinTerms {
				return true
			}
		}
		i = j
	}
	return false
}

// telecomTerms are the words telecomContent counts (besides pm counter names).
var telecomTerms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`UE RRC NAS gNB eNB eNodeB PDCP RLC MAC PLMN EPS EMM ESM E-UTRA E-UTRAN NG-RAN AMF MME
		SMF PDU QoS DRB SRB bearer handover cell carrier RSRP RSRQ SINR HARQ PUCCH PUSCH PDCCH PDSCH uplink downlink
		paging attach registration MO FAJ CXC 3GPP LTE NR 5G 5GS measurement timer`) {
		m[w] = true
	}
	return m
}()

// isWordByte is a byte of a word as regexp's \b sees it.
func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// isPMName reports a pm counter name: pm, an upper-case letter, word bytes.
func isPMName(w string) bool {
	return len(w) > 2 && w[0] == 'p' && w[1] == 'm' && 'A' <= w[2] && w[2] <= 'Z'
}

// gppMeasurementFamilies are the families gppMeasurement knows, for a cheap
// test before the pattern runs.
var gppMeasurementFamilies = strings.Fields("RRC. RRU. DRB. QF. MM. SM. HO. PAG. TB. CARR. L1M. GTP. PEE. UECNTX. IRATHO. ERAB. SESS.")

// gppGrounded reports whether a 3GPP item (one with a kind) is found in the
// text: each dotted part of an ASN.1 name, the message and IE of a NAS IE,
// a name, title or spec number (the message of a NAS IE in any case in the
// headings).
func gppParameterGrounded(t text, p extraction.Parameter) bool {
	if p.Kind == extraction.KindNASIE && p.IE != "" {
		// The message is named in capitals by its content table and in
		// sentence case by its clause title ("8.2.4 Attach request").
		msg := t.containsAny(p.IE) || strings.Contains(strings.ToUpper(t.headings), extraction.Collapse(p.IE))
		return msg && t.containsAny(strings.TrimPrefix(p.Name, p.IE+"."))
	}
	for _, part := range strings.Split(p.Name, ".") {
		if !t.containsAny(part) {
			return false
		}
	}
	return true
}

// containsAny reports whether s is in the text, its headings or its context.
func (t text) containsAny(s string) bool {
	s = extraction.Collapse(s)
	return s != "" && (strings.Contains(t.flat, s) || strings.Contains(t.headings, s) || strings.Contains(t.context, s))
}
