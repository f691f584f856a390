package extraction

import (
	"slices"
	"strings"
	"testing"
)

// The fixtures are written for these tests in the style of 3GPP
// specifications, with invented names.

const asn1Fixture = "#### – ZetaConfig\n\n```\n-- ASN1START\n-- TAG-ZETACONFIG-START\n\n" +
	"ZetaConfig-r17 ::=          SEQUENCE {\n" +
	"    zetaMode-r17                 CHOICE {\n" +
	"        single                       INTEGER (0..15),\n" +
	"        multi                        SEQUENCE (SIZE (1..maxZeta)) OF ZetaItem\n" +
	"    },\n" +
	"    zetaTimer                    ENUMERATED { ms10, ms20, spare2, spare1 }     OPTIONAL, -- Need M\n" +
	"    zetaNested                   SEQUENCE {\n" +
	"        innerFlag                    BOOLEAN                                 OPTIONAL  -- Cond Setup\n" +
	"    }                                                                        OPTIONAL, -- Need R\n" +
	"    ...\n" +
	"}\n\nmaxZeta INTEGER ::= 8\n\n-- TAG-ZETACONFIG-STOP\n-- ASN1STOP\n```\n"

func byName(ps []Parameter) map[string]Parameter {
	m := map[string]Parameter{}
	for _, p := range ps {
		m[p.Name] = p
	}
	return m
}

func TestThreeGPP_asn1NestedSequenceAndChoice(t *testing.T) {
	r := mustExtract(t, Input{Text: asn1Fixture, Family: Family3GPP})
	ps := byName(r.Parameters)
	for name, want := range map[string]Parameter{
		"ZetaConfig-r17":                      {Kind: KindIE, Type: "SEQUENCE", Release: "r17"},
		"ZetaConfig-r17.zetaMode-r17":         {Kind: KindField, Type: "CHOICE", IE: "ZetaConfig-r17", Release: "r17"},
		"ZetaConfig-r17.zetaMode-r17.single":  {Kind: KindField, Type: "INTEGER", Range: "0..15", IE: "ZetaConfig-r17", Path: "zetaMode-r17"},
		"ZetaConfig-r17.zetaMode-r17.multi":   {Kind: KindField, Type: "SEQUENCE OF ZetaItem", Range: "SIZE (1..maxZeta)", IE: "ZetaConfig-r17", Path: "zetaMode-r17"},
		"ZetaConfig-r17.zetaTimer":            {Kind: KindField, Type: "ENUMERATED", Range: "{ms10, ms20, spare2, spare1}", Optional: true, Need: "Need M", IE: "ZetaConfig-r17"},
		"ZetaConfig-r17.zetaNested":           {Kind: KindField, Type: "SEQUENCE", Optional: true, Need: "Need R", IE: "ZetaConfig-r17"},
		"ZetaConfig-r17.zetaNested.innerFlag": {Kind: KindField, Type: "BOOLEAN", Optional: true, Cond: "Cond Setup", IE: "ZetaConfig-r17", Path: "zetaNested"},
		"maxZeta":                             {Kind: KindConstant, Type: "INTEGER", Range: "8"},
	} {
		got, ok := ps[name]
		if !ok {
			t.Errorf("%s missing; got %v", name, r.Parameters)
			continue
		}
		want.Name = name
		if got != want {
			t.Errorf("%s =\n %+v, want\n %+v", name, got, want)
		}
	}
	if len(ps) != 8 {
		t.Errorf("%d parameters, want 8: %+v", len(ps), r.Parameters)
	}
}

func TestThreeGPP_asn1CutAcrossChunksKeepsItsIE(t *testing.T) {
	lines := strings.Split(asn1Fixture, "\n")
	cut := 12 // inside zetaNested
	first := strings.Join(lines[:cut], "\n") + "\n```\n"
	second := "```\n" + strings.Join(lines[cut:], "\n")
	state := CarryASN1(ASN1State{}, first, false)
	r := mustExtract(t, Input{Text: second, Context: state.String(), Family: Family3GPP})
	ps := byName(r.Parameters)
	if p, ok := ps["ZetaConfig-r17.zetaNested.innerFlag"]; !ok || p.IE != "ZetaConfig-r17" || p.Cond != "Cond Setup" {
		t.Errorf("continued field = %+v (found %v), want it in ZetaConfig-r17.zetaNested; all: %v", p, ok, r.Parameters)
	}
	if _, ok := ps["innerFlag"]; ok {
		t.Errorf("a continued field was read without its IE: %v", r.Parameters)
	}
}

const timerFixture = `## 7.1 Timers

| Timer | Start | Stop | At expiry |
|---|---|---|---|
| T900 | Upon transmission of ZetaRequest. | Upon reception of ZetaSetup. | Perform the actions in 5.9.1. |
| T901<br>(one per cell group) | Upon reception of ZetaRelease | Upon entering IDLE | No action. |

## 7.2 Counters

| Counter | Reset | Incremented | When reaching max value |
|---|---|---|---|
| N900 | Upon reception of "in-sync". | Upon reception of "out-of-sync". | Start timer T900 |
`

func TestThreeGPP_timerTable(t *testing.T) {
	r := mustExtract(t, Input{Text: timerFixture, Family: Family3GPP})
	ps := byName(r.Parameters)
	if p := ps["T900"]; p.Kind != KindTimer || p.Start != "Upon transmission of ZetaRequest." || p.Stop != "Upon reception of ZetaSetup." || p.Expiry != "Perform the actions in 5.9.1." {
		t.Errorf("T900 = %+v", p)
	}
	if p := ps["T901"]; p.Kind != KindTimer || p.Expiry != "No action." {
		t.Errorf("T901 = %+v", p)
	}
	if p := ps["N900"]; p.Kind != KindConstant || p.Expiry != "Start timer T900" || p.Stop != `Upon reception of "in-sync".` {
		t.Errorf("N900 = %+v", p)
	}
}

const messageFixture = `### 8.9.1 Zeta request

#### 8.9.1.1 Message definition

This message is sent by the UE to the network. See table 8.9.1.1.

Message type: ZETA REQUEST

Significance: dual

Direction: UE to network

Table 8.9.1.1: ZETA REQUEST message content

| IEI | Information Element | Type/Reference | Presence | Format | Length |
|---|---|---|---|---|---|
| | Protocol discriminator | Protocol discriminator<br>9.2 | M | V | 1/2 |
| 5A | Zeta timer value | GPRS timer<br>9.9.3.16 | O | TV | 2 |
`

func TestThreeGPP_messageClause(t *testing.T) {
	r := mustExtract(t, Input{Text: messageFixture, Family: Family3GPP})
	if len(r.Events) != 1 || r.Events[0] != (Event{Kind: KindMessage, Name: "ZETA REQUEST", Direction: "UE to network"}) {
		t.Errorf("events = %+v", r.Events)
	}
	ps := byName(r.Parameters)
	want := Parameter{Name: "ZETA REQUEST.Zeta timer value", Kind: KindNASIE, IE: "ZETA REQUEST", IEI: "5A",
		Type: "GPRS timer 9.9.3.16", Presence: "O", Optional: true, Format: "TV", Length: "2"}
	if got := ps[want.Name]; got != want {
		t.Errorf("NAS IE = %+v, want %+v", got, want)
	}
	if p := ps["ZETA REQUEST.Protocol discriminator"]; p.Presence != "M" || p.Optional {
		t.Errorf("mandatory IE = %+v", p)
	}
}

func TestThreeGPP_tableContinuedInNextChunkKeepsItsMessage(t *testing.T) {
	text := "| IEI | Information Element | Type/Reference | Presence | Format | Length |\n|---|---|---|---|---|---|\n| 5B | Zeta cause | Zeta cause<br>9.9.3.9 | O | TV | 2 |\n"
	r := mustExtract(t, Input{Text: text, Family: Family3GPP, Headings: []string{"8 Messages", "8.9.1 Zeta request", "8.9.1.1 Message definition"}})
	if len(r.Parameters) != 1 || r.Parameters[0].Name != "ZETA REQUEST.Zeta cause" {
		t.Errorf("parameters = %+v", r.Parameters)
	}
}

const referenceFixture = `# 2 References

[1] 3GPP TR 21.905: "Vocabulary for 3GPP Specifications".

[2] 3GPP TS 38.300: "NR; Overall description; Stage 2".

\[3\] 3GPP TS 38.321: \"NR; Medium Access Control (MAC); Protocol
specification\".

[4a] 3GPP TS 24.228 Release 5: "Signalling flows for the IP multimedia call control".

The UE behaviour is specified in 3GPP TS 38.304 [4].
`

func TestThreeGPP_referenceList(t *testing.T) {
	r := mustExtract(t, Input{Text: referenceFixture, Family: Family3GPP})
	got := map[string]RelatedFeature{}
	for _, f := range r.RelatedFeatures {
		got[f.Spec] = f
	}
	if f := got["3GPP TS 38.300"]; f.Ref != "[2]" || f.Name != "NR; Overall description; Stage 2" || f.Relationship != "references" {
		t.Errorf("[2] = %+v", f)
	}
	// pandoc's escapes and a title wrapped at 72 columns
	if f := got["3GPP TS 38.321"]; f.Ref != "[3]" || f.Name != "NR; Medium Access Control (MAC); Protocol specification" {
		t.Errorf("[3] = %+v", f)
	}
	// the release a reference is pinned to is not part of its title
	if f := got["3GPP TS 24.228"]; f.Ref != "[4a]" || f.Name != "Signalling flows for the IP multimedia call control" {
		t.Errorf("[4a] = %+v", f)
	}
	if f := got["3GPP TS 38.304"]; f.Relationship != "references" {
		t.Errorf("cited spec = %+v", f)
	}
	if len(got) != 5 {
		t.Errorf("related = %+v", r.RelatedFeatures)
	}
}

const measCollecFixture = `<?xml version="1.0" encoding="UTF-8"?>
<measCollecFile xmlns="http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec">
  <measData>
    <managedElement localDn="ZetaNet=1,ZetaNode=7"/>
    <measInfo>
      <measTypes>RRC.ZetaAtt zetaSeizures</measTypes>
      <measValue measObjLdn="ZetaFunction=1,ZetaCell=11"><measResults>1 2</measResults></measValue>
      <measValue measObjLdn="ZetaFunction=1,ZetaCell=12"><measResults>3 4</measResults></measValue>
    </measInfo>
  </measData>
</measCollecFile>
`

func TestThreeGPP_measCollecFile(t *testing.T) {
	r := mustExtract(t, Input{Text: measCollecFixture, Family: Family3GPP, Format: "xml"})
	if len(r.Counters) != 2 {
		t.Fatalf("counters = %+v", r.Counters)
	}
	for _, c := range r.Counters {
		if c.Kind != KindMeasurement || len(c.Objects) != 2 || c.Objects[1] != "ZetaFunction=1,ZetaCell=12" {
			t.Errorf("counter = %+v", c)
		}
	}
}

func TestThreeGPP_measurementEvent(t *testing.T) {
	text := "#### 5.9.4.2 Event Z9 (Zeta becomes better than threshold)\n\nInequality Z9-1 (Entering condition)\n\nMz – Hys > Thresh\n\nInequality Z9-2 (Leaving condition)\n\nMz + Hys < Thresh\n"
	r := mustExtract(t, Input{Text: text, Family: Family3GPP})
	want := Event{Kind: KindMeasurementEvent, Name: "Event Z9", Title: "Zeta becomes better than threshold",
		Entering: "Mz – Hys > Thresh", Leaving: "Mz + Hys < Thresh"}
	if len(r.Events) != 1 || r.Events[0] != want {
		t.Errorf("events = %+v, want %+v", r.Events, want)
	}
}

func TestDetectFamily(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   DocInfo
		want Family
	}{
		{"spec metadata", DocInfo{Source: "38331-i40.docx", Format: "docx", Meta: map[string]string{"spec": "38.331"}}, Family3GPP},
		{"asn1 module", DocInfo{Source: "x.asn", Format: "asn1"}, Family3GPP},
		{"measCollec", DocInfo{Format: "xml", Head: `<measCollecFile xmlns="...">`}, Family3GPP},
		{"feature document", DocInfo{Format: "markdown", Head: "Feature Identity FAJ 121 9901, see 3GPP TS 36.331 V15.0.0"}, FamilyELEX},
		{"anything else", DocInfo{Format: "text", Head: "hello"}, FamilyGeneric},
	} {
		if got := DetectFamily(tc.in); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// The clauses after a NAS message's content table describe its optional IEs
// one by one; a chunk of them gives those IEs, named as the table names
// them. A clause that is not about an IE, or not under a message, gives none.
func TestNASIEClauseRule(t *testing.T) {
	headings := []string{"8 Message functional definitions and contents", "8.2 EPS mobility management messages", "8.2.4 Sample request"}
	text := "#### 8.2.4.1 Message definition\n\nThis message is sent by the UE to the network.\n\n" +
		"#### 8.2.4.12 Additional update type\n\nThe UE shall include this IE if the UE requests \"SMS only\".\n\n" +
		"#### 8.2.4.25 Sample capability ID availability IE\n\nThis IE shall be included if the UE supports the sample capability.\n\n" +
		"#### 8.2.4.26 Sample note\n\nThe network may ignore the request.\n"
	r, err := Extract(ModeBasic, Input{Text: text, Headings: headings, Family: Family3GPP})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Parameters {
		if p.Kind == KindNASIE {
			got = append(got, p.Name+" ("+p.IE+")")
		}
	}
	want := []string{"SAMPLE REQUEST.Additional update type (SAMPLE REQUEST)", "SAMPLE REQUEST.Sample capability ID availability (SAMPLE REQUEST)"}
	if !slices.Equal(got, want) {
		t.Errorf("NAS IEs %q, want %q", got, want)
	}
	// Not under a group of messages: a procedure clause.
	r, err = Extract(ModeBasic, Input{Text: "#### 5.5.1.2 Attach procedure for EPS services\n\nThe UE shall include this IE.\n",
		Headings: []string{"5 Elementary procedures", "5.5 EMM specific procedures", "5.5.1 Attach procedure"}, Family: Family3GPP})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Parameters {
		if p.Kind == KindNASIE {
			t.Errorf("a procedure clause gave the NAS IE %s", p.Name)
		}
	}
}

// One NAS IE written in two cases (its message's table, the clause about
// it) is one item, whichever chunk comes first; a content table row whose
// IE sits one cell to the right (a merged header cell kept as a column)
// still gives its IE.
func TestNASIE_oneItemInAnyCase(t *testing.T) {
	table := extraction3GPPTable()
	a := Result{Parameters: []Parameter{{Name: "SAMPLE REQUEST.Packet flow Identifier", Kind: KindNASIE, IE: "SAMPLE REQUEST", IEI: "34"}}}
	b := Result{Parameters: []Parameter{{Name: "SAMPLE REQUEST.Packet flow identifier", Kind: KindNASIE, IE: "SAMPLE REQUEST"}}}
	for _, order := range [][]Result{{a, b}, {b, a}} {
		m := NewMerger()
		for _, r := range order {
			m.Add(r)
		}
		got := m.Result().Parameters
		if len(got) != 1 || got[0].Name != "SAMPLE REQUEST.Packet flow Identifier" || got[0].IEI != "34" {
			t.Errorf("merged %+v, want one IE named as its table names it, with its IEI", got)
		}
	}
	r, err := Extract(ModeBasic, Input{Text: table, Family: Family3GPP})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range r.Parameters {
		names = append(names, p.Name)
	}
	want := []string{"SAMPLE REQUEST.Extended sample rate", "SAMPLE REQUEST.Protocol discriminator", "SAMPLE REQUEST.Sample flow identifier"}
	if !slices.Equal(names, want) {
		t.Errorf("IEs %q, want %q", names, want)
	}
}

func extraction3GPPTable() string {
	return "#### 8.3.9.1 Message definition\n\nTable 8.3.9.1: SAMPLE REQUEST message content\n\n" +
		"| IEI | Information Element | | Type/Reference | Presence | Format | Length |\n" +
		"|---|---|---|---|---|---|---|\n" +
		"| | Protocol discriminator | | Protocol discriminator<br>9.2 | M | V | 1/2 |\n" +
		"| 34 | Sample flow identifier | | Sample flow identifier<br>9.9.4.8 | O | TLV | 3 |\n" +
		"| 5F | | Extended sample rate | Extended sample rate<br>9.9.4.29 | O | TLV | 8 |\n"
}

// Procedure text names the messages and timers it uses.
func TestMentionRule(t *testing.T) {
	text := "#### 5.5.9.2 Sample procedure initiation\n\n" +
		"The UE shall send a SAMPLE ATTACH REQUEST message to the network and start timer T3410. " +
		"Upon receiving the RRCSampleSetup message, the UE stops T300 and sends the SampleReport message. " +
		"The NAS message, the RRC message, an EPS NAS message, the UL DCCH message and the DL-DCCH message are containers; messages are listed in Table 8.1 of TS 24.008. " +
		"The F1 SAMPLE REQUEST message starts it, the first XnAP message follows, then a SAMPLE CONTEXT\nMODIFICATION REQUEST message.\n\nSAMPLE\n\nCONFIRM message. A FOO message is one word, an RP- DATA message is cut; T12 and T12345 and AT3410 are no timers.\n"
	r, err := Extract(ModeBasic, Input{Text: text, Family: Family3GPP})
	if err != nil {
		t.Fatal(err)
	}
	var events, timers []string
	for _, e := range r.Events {
		if e.Kind == KindMessage {
			events = append(events, e.Name)
		}
	}
	for _, p := range r.Parameters {
		if p.Kind == KindTimer {
			timers = append(timers, p.Name)
		}
	}
	if want := []string{"F1 SAMPLE REQUEST", "RRCSampleSetup", "SAMPLE ATTACH REQUEST", "SAMPLE CONTEXT MODIFICATION REQUEST", "SampleReport"}; !slices.Equal(events, want) {
		t.Errorf("messages %q, want %q", events, want)
	}
	if want := []string{"T300", "T3410"}; !slices.Equal(timers, want) {
		t.Errorf("timers %q, want %q", timers, want)
	}
}
