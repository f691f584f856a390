package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// DocInfo is what DetectFamily looks at: the document's name and format,
// what its converter learned, and the head of its text.
type DocInfo struct {
	Source string
	Format string
	Title  string
	Meta   map[string]string
	// Head is the beginning of the text (a few tens of kilobytes suffice).
	Head string
}

// familyHead bounds how much of the head DetectFamily reads.
const familyHead = 64 << 10

var (
	gppCover = regexp.MustCompile(`\b(?:3GPP\s+T[SR]\s+\d{2}\.\d{3}(?:-\d+)?\s+V\d+\.\d+\.\d+|ETSI\s+T[SR]\s+1\d\d\s\d\d\d(?:-\d+)?\s+V\d+\.\d+\.\d+|3GPP\s+TSG[\s-])`)
	gppASN1  = regexp.MustCompile(`--\s*ASN1START|\bDEFINITIONS\s+(?:AUTOMATIC\s+TAGS\s+)?::=|<measCollecFile\b`)
)

// DetectFamily decides the family of a document: 3gpp for a document whose
// converter found 3GPP spec metadata (cover page or file name), an ASN.1
// module, a TS 32.435 measurement file, or a head stating a 3GPP/ETSI
// specification or TSG meeting; elex for one naming FAJ ids, CXC codes or a
// feature identity; sheet for a record sheet whose columns name parameters,
// counters, PM events, feature states or alarms (isSheet: a CSV or XLSX
// file, or a document that is mostly such a table), before the ELEX
// signals, since a feature-state list is full of CXC codes; generic
// otherwise. ELEX signals win over 3GPP ones in the head, since feature
// documents cite 3GPP specifications too.
func DetectFamily(d DocInfo) Family {
	head := d.Head
	if len(head) > familyHead {
		head = head[:familyHead]
	}
	if d.Format == "asn1" || d.Meta["spec"] != "" || d.Meta["doc_type"] != "" && strings.Contains(d.Title, "3GPP") {
		return Family3GPP
	}
	if isSheet(d.Format, head) {
		return FamilySheet
	}
	if mdtext.HasCode(head, "FAJ") || mdtext.HasCode(head, "CXC") || mdtext.ContainsWordFold(head, "feature identity") {
		return FamilyELEX
	}
	if gppASN1.MatchString(head) || gppCover.MatchString(head) {
		return Family3GPP
	}
	return FamilyGeneric
}
