package output

import "strings"

// placeholderTags are the names a template leaves between angle brackets
// (<value>, <MO>), lower case; <x>, <xx>... are read apart.
var placeholderTags = [...]string{"value", "mo", "attribute", "name", "placeholder", "todo"}

// hasPlaceholder reports template leftovers that must never reach a training
// set: <value>, <MO>, <attribute>, <name>, <placeholder>, <todo>, <x...>
// (any case), the words TODO, TBD and PLACEHOLDER (any case, as whole ASCII
// words), {{ and }}. It is the regular expression
// (?i)<(value|mo|attribute|name|placeholder|todo|x+)>|\bTODO\b|\bTBD\b|\bPLACEHOLDER\b|\{\{|\}\}
// read by hand: that expression cost a tenth of a run's CPU.
func hasPlaceholder(s string) bool {
	if strings.Contains(s, "{{") || strings.Contains(s, "}}") {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '<' {
			if tagAt(s[i+1:]) {
				return true
			}
			i++
			continue
		}
		if !wordByte(c) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && wordByte(s[j]) {
			j++
		}
		if w := s[i:j]; strings.EqualFold(w, "TODO") || strings.EqualFold(w, "TBD") || strings.EqualFold(w, "PLACEHOLDER") {
			return true
		}
		i = j
	}
	return false
}

// tagAt reports whether s starts with a placeholder name and '>'.
func tagAt(s string) bool {
	if s != "" && s[0]|0x20 == 'x' {
		j := 1
		for j < len(s) && s[j]|0x20 == 'x' {
			j++
		}
		return j < len(s) && s[j] == '>'
	}
	for _, t := range placeholderTags {
		if len(s) > len(t) && s[len(t)] == '>' && asciiEqualFold(s[:len(t)], t) {
			return true
		}
	}
	return false
}

// asciiEqualFold compares s with the lower-case ASCII word t, folding only
// ASCII letters (t holds no k or s, whose Unicode folds are not ASCII).
func asciiEqualFold(s, t string) bool {
	for i := 0; i < len(t); i++ {
		if s[i]|0x20 != t[i] {
			return false
		}
	}
	return true
}
