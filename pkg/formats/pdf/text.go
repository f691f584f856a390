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
// a compound that keeps its hyphen ("sub-" / "layer").
type vocabulary map[string]struct{}

// add remembers the words of p: runs of letters, lower-cased, as
// strings.FieldsFunc(text, notLetter) and strings.ToLower would make them,
// in one pass over the text that makes a string only for a new word.
func (v vocabulary) add(p *page) {
	var buf [64]byte
	for _, r := range p.rows {
		for _, f := range r.frags {
			w, runes := buf[:0], 0
			for _, c := range f.text {
				switch {
				case c >= 'a' && c <= 'z':
				case c >= 'A' && c <= 'Z':
					c += 'a' - 'A'
				case c < utf8.RuneSelf || !unicode.IsLetter(c):
					if !v.remember(w, runes) {
						return
					}
					w, runes = buf[:0], 0
					continue
				default:
					c = unicode.ToLower(c)
				}
				runes++
				w = utf8.AppendRune(w, c)
			}
			if !v.remember(w, runes) {
				return
			}
		}
	}
}

// remember adds the lower-case word w of n runes when it has four or
// more; false when the vocabulary is full.
func (v vocabulary) remember(w []byte, n int) bool {
	if n < 4 {
		return true
	}
	if _, ok := v[string(w)]; ok {
		return true
	}
	if len(v) >= maxVocabulary {
		return false
	}
	v[string(w)] = struct{}{}
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
