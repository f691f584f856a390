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
// whether each followed another run of its frag. Two runs with one hyphen
// between them are remembered joined too, hyphen and all ("re-establishment"):
// the document writes that compound with its hyphen.
func (v vocabulary) add(p *page) {
	for _, r := range p.rows {
		if !v.addFrags(r.frags) {
			return
		}
	}
}

// addFrags remembers the words of fs as add does; false once the
// vocabulary is full.
func (v vocabulary) addFrags(fs []frag) bool {
	var buf, prevBuf, joinBuf [64]byte
	for _, f := range fs {
		w, runes, places := buf[:0], 0, wordPlaces(0)
		// prev is the run before w when one hyphen followed it
		// (pending); joined is set when w starts right after it.
		prev, prevRunes, pending, joined := prevBuf[:0], 0, false, false
		end := func() bool {
			if !v.remember(w, runes, places) {
				return false
			}
			if joined {
				c := append(append(append(joinBuf[:0], prev...), '-'), w...)
				if !v.remember(c, prevRunes+1+runes, 0) {
					return false
				}
			}
			return true
		}
		for _, c := range f.text {
			switch {
			case c >= 'a' && c <= 'z':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c < utf8.RuneSelf || !unicode.IsLetter(c):
				if len(w) > 0 {
					if !end() {
						return false
					}
					places = wordNotFirst // the runs after this one
					pending = c == '-'
					if pending {
						prev, prevRunes = append(prevBuf[:0], w...), runes
					}
				} else {
					pending = false
				}
				w, runes = buf[:0], 0
				continue
			default:
				c = unicode.ToLower(c)
			}
			if len(w) == 0 {
				joined, pending = pending, false
			}
			runes++
			w = utf8.AppendRune(w, c)
		}
		if len(w) > 0 && !end() {
			return false
		}
	}
	return true
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
// is a soft hyphen or the joined word occurs elsewhere in the document and
// the compound with the hyphen does not (see hyphenated); otherwise the
// word keeps it ("sub-layer", "UE-specific"). A next line
// that starts with a capital or a digit continues a compound broken at its
// own hyphen ("Vehicle-to-" "Everything", "non-" "3GPP"): joined, the hyphen
// kept, but for a name the document uses whole ("EUtran-" "CellTDD"). Either way no word stays cut in two. It also returns how many
// hyphens it dropped from words the document uses whole: a typesetter's
// hyphenation (see converter.typeset).
func (v vocabulary) dehyphenate(lines []string) ([]string, int) {
	var out []string
	dropped := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) {
			joined, rest, ok, hyphen := v.join(l, lines[i+1])
			if !ok {
				break
			}
			if hyphen {
				dropped++
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
	return out, dropped
}

// join joins the hyphenated word at the end of l with the start of next,
// or an identifier wrapped at an underscore; dropped is set when the
// hyphen went (a soft hyphen, or a word hyphenated at the line end).
func (v vocabulary) join(l, next string) (joined, rest string, ok, dropped bool) {
	if underscoreWrap(l, next) {
		word, rest, _ := strings.Cut(next, " ")
		return l + word, rest, true, false
	}
	hyphen, size := utf8.DecodeLastRuneInString(l)
	if hyphen != '-' && hyphen != '\u00AD' {
		return "", "", false, false
	}
	head := l[:len(l)-size]
	last, _ := utf8.DecodeLastRuneInString(head)
	first, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLetter(last) {
		return "", "", false, false
	}
	word, rest, _ := strings.Cut(next, " ")
	prefix := head[strings.LastIndexFunc(head, notLetter)+1:]
	stem := word[:len(word)-len(strings.TrimLeftFunc(word, unicode.IsLetter))]
	if hyphen == '-' && (unicode.IsUpper(first) || unicode.IsDigit(first)) {
		// a compound broken at its own hyphen: "Vehicle-to-" "Everything",
		// "non-" "3GPP"; unless the document names the word whole, as a
		// typesetter hyphenates a name before a capital:
		// "EUtran-" / "CellTDD.dlMaxRetxRrcReleaseThr"
		if unicode.IsUpper(first) && v.hyphenated(prefix, stem) {
			return head + word, rest, true, true
		}
		return l + word, rest, true, false
	}
	if !unicode.IsLower(first) {
		return "", "", false, false
	}
	if hyphen == '\u00AD' || v.hyphenated(prefix, stem) {
		return head + word, rest, true, true
	}
	return l + word, rest, true, false
}

// hyphens resolves the soft hyphens of s, each between two letters (a cell
// line broken at a hyphen, see joinWrapped). Where the producer hyphenates
// words (typeset), one goes where the word was hyphenated (see hyphenated),
// as dehyphenate decides for paragraphs. Otherwise, and where the word
// keeps its hyphen, it is a hyphen: a producer that does not hyphenate
// (a browser, a word processor as most set it) breaks a cell's line at a
// hyphen only in a compound ("Pre-" / "emption").
func (v vocabulary) hyphens(s string, typeset bool) string {
	if !strings.Contains(s, "\u00AD") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for {
		i := strings.Index(s, "\u00AD")
		if i < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		head, tail := s[:i], s[i+len("\u00AD"):]
		prefix := head[strings.LastIndexFunc(head, notLetter)+1:]
		stem := tail[:len(tail)-len(strings.TrimLeftFunc(tail, unicode.IsLetter))]
		sb.WriteString(head)
		if !typeset || prefix == "" || stem == "" || !v.hyphenated(prefix, stem) {
			sb.WriteByte('-')
		}
		s = tail
	}
}

// hyphenated reports whether prefix and stem, the letters either side of a
// hyphen at a line end, are one word a typesetter hyphenated: the document
// uses the word whole, and never as a compound with that hyphen.
func (v vocabulary) hyphenated(prefix, stem string) bool {
	if _, whole := v[strings.ToLower(prefix+stem)]; !whole {
		return false
	}
	_, compound := v[strings.ToLower(prefix+"-"+stem)]
	return !compound
}
