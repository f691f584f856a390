package quality

import (
	"regexp"
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
	telecomTerm     = regexp.MustCompile(`\b(?:UE|RRC|NAS|gNB|eNB|eNodeB|PDCP|RLC|MAC|PLMN|EPS|EMM|ESM|E-UTRA|E-UTRAN|NG-RAN|AMF|MME|SMF|PDU|QoS|DRB|SRB|bearer|handover|cell|carrier|RSRP|RSRQ|SINR|HARQ|PUCCH|PUSCH|PDCCH|PDSCH|uplink|downlink|paging|attach|registration|MO|pm[A-Z]\w*|FAJ|CXC|3GPP|LTE|NR|5G|5GS|measurement|timer)\b`)
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
	for _, m := range gppMessageLine.FindAllStringSubmatch(t.raw, -1) {
		name := extraction.Collapse(m[1])
		c.add("message", name, events[strings.ToUpper(name)])
	}
	for _, m := range gppReference.FindAllStringSubmatch(t.raw, -1) {
		spec := extraction.Collapse(m[1])
		c.add("reference", spec, specs[spec])
	}
	for _, m := range gppMeasurement.FindAllString(t.flat, -1) {
		c.add("measurement", m, counters[m])
	}
	for _, m := range gppEventHeading.FindAllStringSubmatch(t.raw, -1) {
		c.add("measurement-event", m[1], events[strings.ToUpper("Event "+m[1])])
	}
	if telecomContent(t) {
		c.add("telecom", "content", r.Items() > 0)
	}
}

// asn1Word are ASN.1 keywords a loose assignment pattern may catch.
var asn1Word = map[string]bool{"DEFINITIONS": true, "BEGIN": true, "END": true}

// telecomContent reports whether the chunk is long and dense with telecom
// terms: a result with no item at all cannot have read it.
func telecomContent(t text) bool {
	if len(t.flat) < telecomMinRunes {
		return false
	}
	seen := map[string]bool{}
	for _, m := range telecomTerm.FindAllString(t.flat, -1) {
		seen[m] = true
		if len(seen) >= telecomMinTerms {
			return true
		}
	}
	return false
}

// gppGrounded reports whether a 3GPP item (one with a kind) is found in the
// text: each dotted part of an ASN.1 name, the message and IE of a NAS IE,
// a name, title or spec number.
func gppParameterGrounded(t text, p extraction.Parameter) bool {
	if p.Kind == extraction.KindNASIE && p.IE != "" {
		return t.containsAny(p.IE) && t.containsAny(strings.TrimPrefix(p.Name, p.IE+"."))
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
