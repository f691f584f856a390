package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text-quality check looks for the ways PDF text extraction goes wrong:
//   - glyphs without a Unicode mapping: MuPDF writes U+FFFD, or the font's
//     private-use code points (symbol and subset fonts), or control codes;
//   - fragmented words: letters drawn one by one or with odd spacing come out
//     as "T h e  U E" or "infor mation", so tokens of one or two letters that
//     are not ordinary short words pile up;
//   - wrong encodings that still give letters ("7KH 8( VKDOO" for "The UE
//     shall"): almost none of the most common English words appear;
//   - pages without a text layer (scans).
//
// The score is the product of one factor per problem, each 1 when the
// measure is normal and falling linearly to 0 at a level no readable document
// reaches; see quality.score. Thresholds were set on the shared corpus: its
// ETSI specifications score 0.98-1.0 (fragmented-word ratio 0.01-0.04,
// common-word ratio 0.24-0.35, unmapped glyphs under 0.2%), the Japanese
// slide deck 0.94.
const (
	// glyphBad is the share of unmapped glyphs at which the glyph factor is 0.
	glyphBad = 0.10
	// glyphWarn is the share of unmapped glyphs that earns a warning.
	glyphWarn = 0.005
	// fragNormal and fragBad bound the fragmented-word factor; fragWarn earns
	// a warning.
	fragNormal, fragBad, fragWarn = 0.08, 0.45, 0.15
	// commonNormal is the common-word ratio below which the language factor
	// falls (to 0 at none); commonWarn earns a warning. It applies to
	// documents with at least commonMinTokens Latin-script words.
	commonNormal, commonWarn, commonMinTokens = 0.08, 0.04, 200
	// emptyWarn is the share of text-less pages that earns a warning.
	emptyWarn = 0.10
	// qualityWarn is the score below which the document gets a summary
	// warning (each measure past its own threshold warns too).
	qualityWarn = 0.8
	// minPageText is how many non-space characters a page needs to count as
	// having text.
	minPageText = 8
)

// shortWords are the one- and two-letter English words and units that are
// not fragments (lower case; upper-case pairs are abbreviations anyway).
var shortWords = newWordSet(`a i
		ad ah am an as at be by do eg go he hi id ie if in is it me my no of oh ok on or ox pi so to up us we
		km kb mb gb ns ms mw db hz dl ul tx rx`)

// commonWords are the most frequent English words; in readable English text
// they make up a fifth or more of the words.
var commonWords = newWordSet(`the of and to a in is for be that on with as by are this it or
		an at from which not shall may if can when its was has have will should used all any other
		than also where each one no only such these there their then but into more use same following`)

// wordSet is a set of lower-case words that tokens are looked up in, case
// folded. Nearly every token is a few ASCII letters: those are looked up
// packed into a number (packWord), which hashes faster than a string.
type wordSet struct {
	words  map[string]bool // every word
	packed map[uint64]bool // the words packWord packs
}

// newWordSet makes the set of the words of list (separated by spaces).
func newWordSet(list string) wordSet {
	s := wordSet{words: map[string]bool{}, packed: map[uint64]bool{}}
	for _, w := range strings.Fields(list) {
		s.words[w] = true
		if k, ok := packWord([]rune(w)); ok {
			s.packed[k] = true
		}
	}
	return s
}

// has reports whether the set holds tok in lower case, as
// words[strings.ToLower(string(tok))] would.
func (s wordSet) has(tok []rune) bool {
	if k, ok := packWord(tok); ok {
		return s.packed[k]
	}
	return has(s.words, tok)
}

// packWord packs a token of one to twelve ASCII letters, case folded, into
// a number, five bits a letter; false for any other token.
func packWord(tok []rune) (uint64, bool) {
	if len(tok) == 0 || len(tok) > 12 {
		return 0, false
	}
	var k uint64
	for _, r := range tok {
		switch {
		case r >= 'a' && r <= 'z':
			k = k<<5 | uint64(r-'a'+1)
		case r >= 'A' && r <= 'Z':
			k = k<<5 | uint64(r-'A'+1)
		default:
			return 0, false
		}
	}
	return k, true
}

// maxCommonWord is the length (in runes) of the longest of commonWords:
// longer tokens are not looked up.
const maxCommonWord = 9

// qualityCounter accumulates the measures page by page.
type qualityCounter struct {
	pages, textPages    int
	chars               int // non-space characters
	replacement         int // U+FFFD
	privateUse, control int
	tokens, fragments   int    // alphabetic non-CJK tokens, and the 1-2 letter non-words among them
	latin, common       int    // Latin-script tokens, and the common English words among them
	pageChars           int    // non-space characters of the page being counted
	tok                 []rune // addText's token buffer, kept between calls
}

// addPage counts one page's text.
func (q *qualityCounter) addPage(text string) {
	q.beginPage()
	q.addText(text)
	q.endPage()
}

// beginPage starts counting a page given piece by piece to addText (the
// pieces as if separated by spaces) and ended with endPage: it counts as
// addPage counts the pieces joined by spaces, without joining them.
func (q *qualityCounter) beginPage() {
	q.pages++
	q.pageChars = 0
}

// endPage ends the page begun by beginPage.
func (q *qualityCounter) endPage() {
	q.chars += q.pageChars
	if q.pageChars >= minPageText {
		q.textPages++
	}
}

// addText counts a piece of the current page's text; a token ends with it.
func (q *qualityCounter) addText(text string) {
	chars := 0
	tok := q.tok[:0]
	alpha := true
	flush := func() {
		if len(tok) > 0 && alpha {
			q.addToken(tok)
		}
		tok, alpha = tok[:0], true
	}
	for _, r := range text {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			// Most characters: a letter, none of the cases below.
			chars++
			tok = append(tok, r)
			continue
		}
		switch {
		case unicode.IsSpace(r):
			flush()
			continue
		case r == '\uFFFD':
			q.replacement++
		case isPrivateUse(r):
			q.privateUse++
		case unicode.IsControl(r):
			q.control++
		}
		chars++
		switch {
		case unicode.IsLetter(r):
			tok = append(tok, r)
		case unicode.IsDigit(r):
			tok, alpha = append(tok, r), false // "5G", "CN104396293": not words
		default:
			flush()
		}
	}
	flush()
	q.tok = tok
	q.pageChars += chars
}

func (q *qualityCounter) addToken(tok []rune) {
	if isCJK(tok[0]) {
		return
	}
	q.tokens++
	if isFragment(tok) {
		q.fragments++
	}
	if tok[0] < 0x250 { // Latin letters
		q.latin++
		if len(tok) <= maxCommonWord && commonWords.has(tok) {
			q.common++
		}
	}
}

// isFragment reports whether a word token looks like a piece of a word: a
// single letter other than "a" and "I", or two letters that are neither an
// upper-case abbreviation ("UE", "SN") nor a common short word.
func isFragment(tok []rune) bool {
	switch len(tok) {
	case 1:
		return !shortWords.has(tok)
	case 2:
		return !(unicode.IsUpper(tok[0]) && unicode.IsUpper(tok[1])) && !shortWords.has(tok)
	}
	return false
}

// has reports whether words holds the token in lower case, as
// words[strings.ToLower(string(tok))] would, without making the string.
func has(words map[string]bool, tok []rune) bool {
	var buf [64]byte
	b := buf[:0]
	for _, r := range tok {
		switch {
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	return words[string(b)]
}

func isPrivateUse(r rune) bool {
	return (r >= 0xE000 && r <= 0xF8FF) || (r >= 0xF0000 && r <= 0x10FFFD)
}

// firstCJK is below every rune isCJK accepts (Thai starts at U+0E01).
const firstCJK = 0x0E00

func isCJK(r rune) bool {
	if r < firstCJK {
		return false // Latin, Greek, Cyrillic ...: most tokens
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai)
}

// quality is the result of the check for one document.
type quality struct {
	Pages, TextPages int
	// Replacement, PrivateUse, Control are shares of the non-space characters.
	Replacement, PrivateUse, Control float64
	// Fragmented is the share of 1-2 letter non-words among alphabetic
	// tokens; Common is the share of common English words among Latin tokens
	// (-1 when there are too few Latin tokens to judge).
	Fragmented, Common float64
	// Empty is the share of pages without text.
	Empty float64
	// Score is the overall text quality, 0 (unusable) to 1.
	Score float64
}

func (q *qualityCounter) result() quality {
	r := quality{Pages: q.pages, TextPages: q.textPages, Common: -1}
	if q.chars > 0 {
		r.Replacement = float64(q.replacement) / float64(q.chars)
		r.PrivateUse = float64(q.privateUse) / float64(q.chars)
		r.Control = float64(q.control) / float64(q.chars)
	}
	if q.tokens > 0 {
		r.Fragmented = float64(q.fragments) / float64(q.tokens)
	}
	if q.latin >= commonMinTokens {
		r.Common = float64(q.common) / float64(q.latin)
	}
	if q.pages > 0 {
		r.Empty = float64(q.pages-q.textPages) / float64(q.pages)
	}
	r.Score = r.score()
	return r
}

// garbled is the share of characters that are not real text glyphs.
func (r quality) garbled() float64 { return r.Replacement + r.PrivateUse + r.Control }

// score combines the measures: glyph factor x fragment factor x language
// factor x page factor. A text-less page costs half its share: the text that
// is there may be perfect.
func (r quality) score() float64 {
	glyph := 1 - clamp01(r.garbled()/glyphBad)
	frag := 1 - clamp01((r.Fragmented-fragNormal)/(fragBad-fragNormal))
	lang := 1.0
	if r.Common >= 0 {
		lang = clamp01(r.Common / commonNormal)
	}
	pages := 1 - r.Empty/2
	return math.Round(glyph*frag*lang*pages*1000) / 1000
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }

// putMeta records the measures in Info.Meta.
func (r quality) putMeta(m map[string]string) {
	m["text_quality"] = ratio(r.Score)
	m["replacement_char_ratio"] = ratio(r.Replacement)
	m["private_use_ratio"] = ratio(r.PrivateUse + r.Control)
	m["fragmented_word_ratio"] = ratio(r.Fragmented)
	if r.Common >= 0 {
		m["common_word_ratio"] = ratio(r.Common)
	}
	m["empty_page_ratio"] = ratio(r.Empty)
	m["text_pages"] = strconv.Itoa(r.TextPages)
	if r.TextPages < r.Pages {
		m["no_text_layer_pages"] = strconv.Itoa(r.Pages - r.TextPages)
	}
}

func ratio(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// warnings explains each measure past its threshold.
func (r quality) warnings() []string {
	var w []string
	if g := r.garbled(); g >= glyphWarn {
		w = append(w, fmt.Sprintf("%.1f%% of the characters are unmapped glyphs (U+FFFD %.1f%%, private-use or control %.1f%%): some fonts have no Unicode mapping, text may be garbled",
			100*g, 100*r.Replacement, 100*(r.PrivateUse+r.Control)))
	}
	if r.Fragmented >= fragWarn {
		w = append(w, fmt.Sprintf("fragmented words: %.0f%% of the words have one or two letters (letters spaced out or words split)", 100*r.Fragmented))
	}
	if r.Common >= 0 && r.Common < commonWarn {
		w = append(w, fmt.Sprintf("garbled text: only %.1f%% of the Latin-script words are common English words (wrong font encoding?)", 100*r.Common))
	}
	if r.Empty >= emptyWarn {
		w = append(w, fmt.Sprintf("no text layer on %d of %d pages (scanned images or blank pages)", r.Pages-r.TextPages, r.Pages))
	}
	if r.Score < qualityWarn {
		w = append(w, fmt.Sprintf("poor text quality %.2f (of 1)", r.Score))
	}
	return w
}
