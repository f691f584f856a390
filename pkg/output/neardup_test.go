package output

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestNearDup_dropsNearCopiesKeepsOthersAndUndoes(t *testing.T) {
	var words []string
	for i := range 150 {
		words = append(words, fmt.Sprintf("term%d", i))
	}
	base := strings.Join(words, " ") + " "
	n := newNearDup(0.9)
	if n.seenOrAdd(base + "version one") {
		t.Fatal("first text seen before")
	}
	if !n.seenOrAdd(base + "version two") {
		t.Error("a text differing in one word not found a near-duplicate")
	}
	if n.seenOrAdd("a different paragraph about handover between frequencies, with its own counters and parameters") {
		t.Error("an unrelated text found a near-duplicate")
	}
	m := n.mark()
	other := "timers start when the request is sent and stop when the response arrives, else the procedure fails"
	if n.seenOrAdd(other) {
		t.Fatal("new text seen before")
	}
	n.undo(m)
	if n.seenOrAdd(other) {
		t.Error("undo did not forget the text added after the mark")
	}
}

func TestSplitText_repeatsTableHeaderInEveryPart(t *testing.T) {
	var b strings.Builder
	b.WriteString("Intro line.\n| MO | Attribute |\n|---|---|\n")
	for i := range 200 {
		b.WriteString("| TestCell | attributeNumber" + strings.Repeat("x", i%7) + " |\n")
	}
	parts := splitText(b.String(), 600)
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	total := 0
	for i, p := range parts {
		if len(p) > 700 {
			t.Errorf("part %d has %d bytes, budget 600", i, len(p))
		}
		if !strings.Contains(p, "| MO | Attribute |\n|---|---|") {
			t.Errorf("part %d lacks the table header:\n%.120s", i, p)
		}
		total += strings.Count(p, "| TestCell |")
	}
	if total != 200 {
		t.Errorf("%d rows in the parts, want 200 (none lost, none repeated)", total)
	}
}

// unicodeSignature is signature decoding every rune through package
// unicode, as it did before its ASCII fast path.
func unicodeSignature(text string) ([minHashes]uint32, bool) {
	var sig [minHashes]uint32
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var ring [shingleLen]uint64
	words := 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		h := uint64(14695981039346656037)
		for _, r := range w {
			h = (h ^ uint64(unicode.ToLower(r))) * 1099511628211
		}
		ring[words%shingleLen] = h
		words++
		if words < shingleLen {
			continue
		}
		var x uint64
		for k := range shingleLen {
			x = mix(x ^ ring[(words+k)%shingleLen])
		}
		for j := range sig {
			if v := uint32(mix(x ^ (uint64(j+1) * 0x9E3779B97F4A7C15))); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig, words >= shingleLen
}

func TestSignature_sameOnASCIIAndUnicodeText(t *testing.T) {
	for _, text := range []string{
		"Set EUtranCellFDD.qRxLevMin to -140 dBm, then RESTART the node_a.",
		"Ärger über Größe: ÉTÉ été Σίσυφος ΣΊΣΥΦΟΣ 12 ३४५ mixed\xffbytes and more words",
		"a b c",
		"",
	} {
		got, gotOK := signature(text)
		want, wantOK := unicodeSignature(text)
		if got != want || gotOK != wantOK {
			t.Errorf("signature(%q) differs from the rune by rune reading", text)
		}
	}
}

func BenchmarkSignature(b *testing.B) {
	text := strings.Repeat("Set the attribute EUtranCellFDD.qRxLevMin of cell 12 to -140 dBm; the pmRrcConnEstabSucc counter then rises. ", 40)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		signature(text)
	}
}
