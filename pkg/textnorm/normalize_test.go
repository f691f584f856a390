package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// NFC
		{"nfc composes e + combining acute", "Re\u0301sume\u0301", "Résumé"},
		{"nfc composes hangul jamo", "\u1112\u1161\u11ab", "한"},
		{"nfc after removing a zero-width char between base and mark", "e\u200b\u0301", "é"},
		// line endings
		{"crlf to lf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr to lf", "a\rb", "a\nb"},
		{"cr cr lf is one blank line", "a\r\r\nb", "a\n\nb"},
		{"form feed is a line break, not glue", "end of page.\fNext page", "end of page.\nNext page"},
		{"vertical tab is a line break", "a\vb", "a\nb"},
		{"nel and line separator", "a\u0085b\u2028c", "a\nb\nc"},
		{"paragraph separator is an empty line", "a\u2029b", "a\n\nb"},
		// spaces
		{"nbsp to space", "FAJ\u00a0121\u00a03051", "FAJ 121 3051"},
		{"narrow nbsp, thin, em and ideographic spaces", "10\u202fdB\u2009x\u2003y\u3000z", "10 dB x y z"},
		{"runs of spaces inside a line are kept", "a   b", "a   b"},
		{"indentation is kept", "    code\n\tx = 1", "    code\n\tx = 1"},
		// invisible characters
		{"zero width space removed", "Para\u200bmeter", "Parameter"},
		{"bom removed", "\ufeffTitle", "Title"},
		{"word joiner removed", "a\u2060b", "ab"},
		{"soft hyphen removed", "Para\u00admeter", "Parameter"},
		{"bidi marks removed", "\u200eabc\u200f \u202adef\u202c \u2066x\u2069", "abc def x"},
		{"zwnj kept in persian", "می\u200cخواهم", "می\u200cخواهم"},
		{"zwj kept in emoji sequence", "👩\u200d💻", "👩\u200d💻"},
		{"zwj between latin letters removed", "pm\u200dCount", "pmCount"},
		// control characters
		{"c0 controls removed", "a\x00b\x07c\x1bd\x7fe\x1ff", "abcdef"},
		{"c1 controls removed", "a\u0081b\u009fc", "abc"},
		{"word non-breaking hyphen 0x1e becomes hyphen", "suffix \"\x1erX\" in E\x1eUTRA", "suffix \"-rX\" in E-UTRA"},
		{"unicode non-breaking hyphen becomes hyphen", "E\u2011UTRA", "E-UTRA"},
		{"tab kept", "name\tvalue", "name\tvalue"},
		{"newline kept", "a\nb", "a\nb"},
		// lines
		{"trailing spaces and tabs stripped", "a  \t\nb \n", "a\nb\n"},
		{"trailing nbsp stripped", "a\u00a0\nb", "a\nb"},
		{"three blank lines become one", "a\n\n\n\nb", "a\n\nb"},
		{"one blank line kept", "a\n\nb", "a\n\nb"},
		{"whitespace-only lines are blank", "a\n \n\t\n\u00a0\nb", "a\n\nb"},
		{"leading blank lines dropped", "\n\n  \nstart", "start"},
		{"trailing blank lines become one newline", "end\n\n\n", "end\n"},
		{"no newline added", "end", "end"},
		{"empty", "", ""},
		{"only whitespace", " \n\t\r\n\u00a0", ""},
		// tables
		{"tabs in pipe-table rows become spaces", "| a\t| b\t|\n|---|---|", "| a | b |\n|---|---|"},
		{"indented table row", "  |\tx |", "  | x |"},
		{"tabs outside tables kept", "MO\tattribute\tvalue", "MO\tattribute\tvalue"},
		{"a lone pipe is no table", "|\ta", "|\ta"},
		// words are not touched
		{"cyrillic, cjk, arabic, greek untouched", "Привет 世界 مرحبا Ελληνικά", "Привет 世界 مرحبا Ελληνικά"},
		{"ligatures and full-width are not folded", "ﬁle ＡＢＣ ①", "ﬁle ＡＢＣ ①"},
		{"invalid utf-8 becomes replacement", "a\xffb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("not idempotent: Normalize(%q) = %q", got, again)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8 out: %q", got)
			}
		})
	}
}

func TestNormalize_asciiTextIsUnchanged(t *testing.T) {
	in := "# Title\n\nText with  two spaces.\n\n| a | b |\n|---|---|\n"
	if got := Normalize(in); got != in {
		t.Errorf("Normalize changed clean text: %q", got)
	}
}

func TestNormalize_wordSaveAsExport(t *testing.T) {
	// The shape of 38331-f10_word-saveas.txt: BOM, CRLF, 0x1E non-breaking hyphens.
	in := "\ufeff3GPP TS 38.331 V15.1.0 (2018-03)\r\n\r\n\r\n\r\nsuffix of the form \"\x1erX\" is used  \r\n"
	want := "3GPP TS 38.331 V15.1.0 (2018-03)\n\nsuffix of the form \"-rX\" is used\n"
	if got := Normalize(in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func BenchmarkNormalize(b *testing.B) {
	block := "## 4.2 Parameters\r\n\r\n| Name\t| Value |\r\n|---|---|\r\n| EUtranCellFDD.pdcchTargetBler | 24 |   \r\n\r\n\r\n\r\n" +
		"The feature\u00a0FAJ\u00a0121\u00a03051 improves PDCCH link adaptation \u2014 see E\x1eUTRA.\r\n" +
		"Параметр задаёт порог. 設定値は 24 です。\u200b\r\n"
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString(block)
	}
	in := sb.String()
	ascii := strings.Repeat("plain ASCII line of a feature description, FAJ 121 3051.\n", (1<<20)/58)
	for _, c := range []struct{ name, in string }{{"mixed", in}, {"clean-ascii", ascii}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for b.Loop() {
				Normalize(c.in)
			}
		})
	}
}
