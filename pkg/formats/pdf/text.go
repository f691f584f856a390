package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxVocabulary bounds the words remembered for de-hyphenation.
const maxVocabulary = 200_000

// vocabulary holds the lower-case words (four letters or more) seen in the
// document, to tell a word hyphenated at a line end ("fre-" / "quency") from
// a compound that keeps its hyphen ("sub-" / "layer"), each with where in
// its line it has stood.
type vocabulary map[string]wordPlaces

// wordPlaces tells where in its line a word of the vocabulary has stood. A
// piece of a word broken at a cell edge ("eout" of "neighborDiscoveryTim" /
// "eout") is in the vocabulary too, as a line of its own: only a word that
// has followed another word is known to start the rest of a line as a word.
type wordPlaces uint8

// wordNotFirst: the word has followed another word (a run of letters of
// any length) in its frag.
const wordNotFirst wordPlaces = 1

// add remembers the words of p: runs of letters, lower-cased, as
// strings.FieldsFunc(text, notLetter) and strings.ToLower would make them,
// in one pass over the text that makes a string only for a new word; with
// whether each followed another run of its frag.
func (v vocabulary) add(p *page) {
	var buf [64]byte
	for _, r := range p.rows {
		for _, f := range r.frags {
			w, runes, places := buf[:0], 0, wordPlaces(0)
			for _, c := range f.text {
				switch {
				case c >= 'a' && c <= 'z':
				case c >= 'A' && c <= 'Z':
					c += 'a' - 'A'
				case c < utf8.RuneSelf || !unicode.IsLetter(c):
					if len(w) > 0 {
						if !v.remember(w, runes, places) {
							return
						}
						places = wordNotFirst // the runs after this one
					}
					w, runes = buf[:0], 0
					continue
				default:
					c = unicode.ToLower(c)
				}
				runes++
				w = utf8.AppendRune(w, c)
			}
			if len(w) > 0 && !v.remember(w, runes, places) {
				return
			}
		}
	}
}

// remember adds the lower-case word w of n runes, with the places it stood
// in, when it has four or more; false when the vocabulary is full.
func (v vocabulary) remember(w []byte, n int, places wordPlaces) bool {
	if n < 4 {
		return true
	}
	if old, ok := v[string(w)]; ok {
		if old|places != old {
			v[string(w)] = old | places
		}
		return true
	}
	if len(v) >= maxVocabulary {
		return false
	}
	v[string(w)] = places
	return true
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// dehyphenate joins words broken at line ends: when a line ends in a letter
// and a hyphen (or soft hyphen) and the next line starts with a lower-case
// letter, the next line's first word moves up. The hyphen goes only when it
// is a soft hyphen or the joined word occurs elsewhere in the document;
// otherwise the word keeps it ("sub-layer", "UE-specific"). A next line
// that starts with a capital or a digit continues a compound broken at its
// own hyphen ("Vehicle-to-" "Everything", "non-" "3GPP"): joined, the hyphen
// kept. Either way no word stays cut in two.
func (v vocabulary) dehyphenate(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) {
			joined, rest, ok := v.join(l, lines[i+1])
			if !ok {
				break
			}
			l = joined
			if rest != "" {
				lines[i+1] = rest
				break
			}
			i++ // the next line was a single word; try the one after
		}
		out = append(out, l)
	}
	return out
}

// join joins the hyphenated word at the end of l with the start of next,
// or an identifier wrapped at an underscore.
func (v vocabulary) join(l, next string) (joined, rest string, ok bool) {
	if underscoreWrap(l, next) {
		word, rest, _ := strings.Cut(next, " ")
		return l + word, rest, true
	}
	hyphen, size := utf8.DecodeLastRuneInString(l)
	if hyphen != '-' && hyphen != '\u00AD' {
		return "", "", false
	}
	head := l[:len(l)-size]
	last, _ := utf8.DecodeLastRuneInString(head)
	first, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLetter(last) {
		return "", "", false
	}
	word, rest, _ := strings.Cut(next, " ")
	if hyphen == '-' && (unicode.IsUpper(first) || unicode.IsDigit(first)) {
		// a compound broken at its own hyphen: "Vehicle-to-" "Everything",
		// "non-" "3GPP"
		return l + word, rest, true
	}
	if !unicode.IsLower(first) {
		return "", "", false
	}
	prefix := head[strings.LastIndexFunc(head, notLetter)+1:]
	stem := word[:len(word)-len(strings.TrimLeftFunc(word, unicode.IsLetter))]
	if hyphen == '\u00AD' {
		return head + word, rest, true
	}
	if _, known := v[strings.ToLower(prefix+stem)]; known {
		return head + word, rest, true
	}
	return l + word, rest, true
}
