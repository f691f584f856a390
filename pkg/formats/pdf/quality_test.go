package pdf

import (
	"strings"
	"testing"
	"unicode"
)

// TestQualityCounter_piecesCountAsJoined: the converter gives a page's
// frags one by one; the measures must be those of the page's text joined by
// spaces, as addPage counts it.
func TestQualityCounter_piecesCountAsJoined(t *testing.T) {
	pages := [][]string{
		{"The UE shall", "send the", "report.", "Th e me as ur em ent"},
		{"7KH 8( VKDOO", "\uFFFD\uFFFD x", "\uF0B7 IPR宣言の番号", "5G NR"},
		{"", " 3 "},
		{"Ab", "CD", "ÉTÉ of", "İs THE"},
	}
	var joined, pieces qualityCounter
	for _, p := range pages {
		joined.addPage(strings.Join(p, " "))
		pieces.beginPage()
		for _, s := range p {
			pieces.addText(s)
		}
		pieces.endPage()
	}
	a, b := joined.result(), pieces.result()
	if a != b {
		t.Errorf("pieces %+v, joined %+v", b, a)
	}
	if a.Pages != 4 || a.TextPages != 3 {
		t.Errorf("pages %d, text pages %d, want 4 and 3", a.Pages, a.TextPages)
	}
}

// TestHas_lowersAsStringsToLower: has looks words up as
// words[strings.ToLower(string(tok))] does.
func TestHas_lowersAsStringsToLower(t *testing.T) {
	words := map[string]bool{"the": true, "k": true, "été": true}
	for _, w := range []string{"The", "THE", "the", "\u212A", "ÉTÉ", "été", "then", "th", "İ"} {
		tok := []rune(w)
		if got, want := has(words, tok), words[strings.ToLower(w)]; got != want {
			t.Errorf("has(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestWordSet_hasAsStringsToLower: a wordSet answers as a map of its words
// looked up with strings.ToLower, for ASCII tokens (packed) and others.
func TestWordSet_hasAsStringsToLower(t *testing.T) {
	s := newWordSet("the k été a following abcdefghijkl abcdefghijklm")
	for _, w := range []string{"The", "THE", "the", "\u212A", "K", "ÉTÉ", "été", "then", "th", "İ", "a", "A", "",
		"FOLLOWING", "Following", "followin", "abcdefghijkl", "ABCDEFGHIJKLM", "abcdefghijklm", "b", "ab", "the1"} {
		tok := []rune(w)
		if got, want := s.has(tok), s.words[strings.ToLower(w)]; got != want {
			t.Errorf("has(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestCommonWords_fitMaxCommonWord: tokens longer than maxCommonWord are
// not looked up, so no common word may be longer.
func TestCommonWords_fitMaxCommonWord(t *testing.T) {
	for w := range commonWords.words {
		if n := len([]rune(w)); n > maxCommonWord {
			t.Errorf("common word %q has %d runes, over maxCommonWord %d", w, n, maxCommonWord)
		}
	}
}

// TestIsCJK_nothingBelowFirstCJK: isCJK answers false below firstCJK
// without asking the Unicode tables, which must agree.
func TestIsCJK_nothingBelowFirstCJK(t *testing.T) {
	for r := rune(0); r < firstCJK; r++ {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
			t.Fatalf("%U is in the CJK tables, below firstCJK %U", r, firstCJK)
		}
	}
	for _, r := range []rune{'ก', 'ᄀ', '漢', 'ひ', 'カ'} {
		if !isCJK(r) {
			t.Errorf("isCJK(%q) = false", r)
		}
	}
}
