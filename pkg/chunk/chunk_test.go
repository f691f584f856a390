package chunk

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

func mustNew(t testing.TB, cfg Config) *Chunker {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return c
}

func texts(pieces []Piece) []string {
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.Text
	}
	return out
}

func lines(ls ...string) string { return strings.Join(ls, "\n") }

// assertTexts compares the piece texts with want and shows both in full on failure.
func assertTexts(t *testing.T, got []Piece, want []string) {
	t.Helper()
	if g := texts(got); !reflect.DeepEqual(g, want) {
		t.Errorf("got %d pieces:\n%s\nwant %d pieces:\n%s", len(g), show(g), len(want), show(want))
	}
}

func show(ts []string) string {
	var sb strings.Builder
	for i, s := range ts {
		fmt.Fprintf(&sb, "--- piece %d (%d runes)\n%s\n", i, utf8.RuneCountInString(s), s)
	}
	return sb.String()
}

func TestNew_validatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		want    Config
		wantErr bool
	}{
		{name: "zero means defaults", cfg: Config{}, want: Config{Target: 4000, Max: 8000}},
		{name: "max defaults to twice target", cfg: Config{Target: 500}, want: Config{Target: 500, Max: 1000}},
		{name: "explicit sizes kept", cfg: Config{Target: 500, Max: 600}, want: Config{Target: 500, Max: 600}},
		{name: "max below default target", cfg: Config{Max: 100}, wantErr: true},
		{name: "max below target", cfg: Config{Target: 500, Max: 499}, wantErr: true},
		{name: "negative target", cfg: Config{Target: -1}, wantErr: true},
		{name: "negative max", cfg: Config{Max: -1}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidConfig) {
					t.Fatalf("New(%+v) error = %v, want ErrInvalidConfig", tt.cfg, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%+v): %v", tt.cfg, err)
			}
			if got := c.Config(); got != tt.want {
				t.Errorf("Config() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestChunker_empty(t *testing.T) {
	c := mustNew(t, Config{})
	for name, in := range map[string]string{
		"empty":             "",
		"spaces":            "   ",
		"blank lines":       "\n\n \t \r\n\n",
		"front matter only": "---\ntitle: x\n---\n\n\n",
		"bom only":          "\uFEFF\n",
	} {
		t.Run(name, func(t *testing.T) {
			if got := c.Split(in); len(got) != 0 {
				t.Errorf("Split(%q) = %d pieces, want none:\n%s", in, len(got), show(texts(got)))
			}
		})
	}
}

func TestChunker_dropsFrontMatter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "docling front matter",
			in:   "---\nfile_type: html\nzip_image_types:\n- .svg\n- .png\nquality_score: 9.0\n---\n\n# 1 Overview\n\nText.\n",
			want: []string{"# 1 Overview\n\nText."},
		},
		{
			name: "closed with dots, crlf",
			in:   "---\r\ntitle: \"TS 38.331\"\r\n...\r\nBody text.\r\n",
			want: []string{"Body text."},
		},
		{
			name: "empty front matter",
			in:   "---\n---\nBody text.",
			want: []string{"Body text."},
		},
		{
			name: "unclosed is kept",
			in:   "---\ntitle: x\n\nBody text.",
			want: []string{"---\ntitle: x\n\nBody text."},
		},
		{
			name: "thematic break between paragraphs is kept",
			in:   "---\n\nFirst part.\n\n---\n\nSecond part.",
			want: []string{"---\n\nFirst part.\n\n---\n\nSecond part."},
		},
		{
			name: "front matter later in the text is kept",
			in:   "Intro.\n\n---\ntitle: x\n---\n",
			want: []string{"Intro.\n\n---\ntitle: x\n---"},
		},
	}
	c := mustNew(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTexts(t, c.Split(tt.in), tt.want)
		})
	}
}

// pipeTable returns a pipe table with a 26-rune header and rows "| rNN | vNN |" of
// 13 runes.
func pipeTable(rows int) (header string, body []string) {
	header = "| Name | Value |\n|---|---|"
	for i := 1; i <= rows; i++ {
		body = append(body, fmt.Sprintf("| r%02d | v%02d |", i, i))
	}
	return header, body
}

func TestChunker_keepsTablesWhole(t *testing.T) {
	header, rows := pipeTable(12)
	table := header + "\n" + strings.Join(rows, "\n") // 194 runes
	intro := strings.Repeat("Intro words. ", 6)[:77] + "."
	grid := lines(
		"+--------+--------------------+",
		"| Abbr   | Meaning            |",
		"+========+====================+",
		"| Cond   | Conditionally      |",
		"|        | present.           |",
		"+--------+--------------------+",
		"| Need S | Specified.         |",
		"+--------+--------------------+",
	)
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []string
	}{
		{
			name: "table larger than target but within max is one chunk of its own",
			cfg:  Config{Target: 120, Max: 300},
			in:   intro + "\n\n" + table + "\n\nAfter the table.",
			want: []string{intro, table, "After the table."},
		},
		{
			name: "small table is packed with its text",
			cfg:  Config{Target: 400},
			in:   intro + "\n" + table + "\nAfter the table.",
			want: []string{intro + "\n\n" + table + "\n\nAfter the table."},
		},
		{
			name: "grid table stays whole",
			cfg:  Config{Target: 100, Max: 300},
			in:   "Table 6.1.2-1: Meaning of abbreviations used to specify the need for fields to be present.\n\n" + grid,
			want: []string{"Table 6.1.2-1: Meaning of abbreviations used to specify the need for fields to be present.", grid},
		},
		{
			name: "padding of pipe tables is dropped, grid tables keep theirs",
			cfg:  Config{},
			in: "| Feature Name     | NR Coverage-Triggered NR Session Continuity  |\n" +
				"|------------------|:--------------------------------------------:|\n" +
				"| Feature Identity | FAJ 121                   4983               |\n\n" + grid,
			want: []string{"| Feature Name | NR Coverage-Triggered NR Session Continuity |\n" +
				"|---|:---:|\n" +
				"| Feature Identity | FAJ 121 4983 |\n\n" + grid},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTexts(t, mustNew(t, tt.cfg).Split(tt.in), tt.want)
		})
	}
}

func TestChunker_repeatsTableHeaderOnSplit(t *testing.T) {
	header, rows := pipeTable(12)
	grid := []string{
		"+------+-------------+",
		"| Abbr | Meaning     |",
		"+======+=============+",
	}
	gridHeader := strings.Join(grid, "\n")
	var gridRows []string
	for i := 1; i <= 6; i++ {
		gridRows = append(gridRows, lines(
			fmt.Sprintf("| C%d   | Cell %d line |", i, i),
			"|      | two.        |",
			"+------+-------------+",
		))
	}
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []Piece
	}{
		{
			// Header and separator are 27 runes with their newlines; a row is 13
			// runes and a newline, so 5 rows (69 runes) fill the 100-rune target.
			name: "pipe table",
			cfg:  Config{Target: 100, Max: 150},
			in:   header + "\n" + strings.Join(rows, "\n"),
			want: []Piece{
				{Index: 0, Text: header + "\n" + strings.Join(rows[0:5], "\n")},
				{Index: 1, Text: header + "\n" + strings.Join(rows[5:10], "\n")},
				{Index: 2, Text: header + "\n" + strings.Join(rows[10:12], "\n")},
			},
		},
		{
			name: "pipe table under its heading keeps the heading path",
			cfg:  Config{Target: 100, Max: 150},
			in:   "# 4 Parameters\n\n" + header + "\n" + strings.Join(rows, "\n") + "\n\nEnd.",
			want: []Piece{
				{Index: 0, Headings: []string{"4 Parameters"}, Text: "# 4 Parameters\n\n" + header + "\n" + strings.Join(rows[0:4], "\n")},
				{Index: 1, Headings: []string{"4 Parameters"}, Text: header + "\n" + strings.Join(rows[4:9], "\n")},
				{Index: 2, Headings: []string{"4 Parameters"}, Text: header + "\n" + strings.Join(rows[9:12], "\n") + "\n\nEnd."},
			},
		},
		{
			// Header 68 runes, rows 68: one row per piece at Target 140.
			name: "grid table repeats everything down to the +===+ line",
			cfg:  Config{Target: 140, Max: 200},
			in:   gridHeader + "\n" + strings.Join(gridRows, "\n"),
			want: []Piece{
				{Index: 0, Text: gridHeader + "\n" + gridRows[0]},
				{Index: 1, Text: gridHeader + "\n" + gridRows[1]},
				{Index: 2, Text: gridHeader + "\n" + gridRows[2]},
				{Index: 3, Text: gridHeader + "\n" + gridRows[3]},
				{Index: 4, Text: gridHeader + "\n" + gridRows[4]},
				{Index: 5, Text: gridHeader + "\n" + gridRows[5]},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustNew(t, tt.cfg).Split(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%#v\n%s\nwant:\n%#v\n%s", got, show(texts(got)), tt.want, show(texts(tt.want)))
			}
		})
	}
}

func TestChunker_neverCutsARow(t *testing.T) {
	header, rows := pipeTable(4)
	long := "| r-long | " + strings.Repeat("a very long cell value ", 20) + "|" // 472 runes
	table := header + "\n" + rows[0] + "\n" + rows[1] + "\n" + long + "\n" + rows[2] + "\n" + rows[3]
	got := mustNew(t, Config{Target: 80, Max: 100}).Split("Some text.\n\n" + table + "\n\nMore text.")
	assertTexts(t, got, []string{
		"Some text.\n\n" + header + "\n" + rows[0] + "\n" + rows[1],
		header + "\n" + long,
		header + "\n" + rows[2] + "\n" + rows[3] + "\n\nMore text.",
	})
}

func TestChunker_splitsAtSentences(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []string
	}{
		{
			name: "abbreviations, clause numbers and decimals do not end sentences",
			cfg:  Config{Target: 60, Max: 120},
			in: "The UE applies the new cycle, e.g. the DRX cycle of Fig. 3 and No. 5 in\n" +
				"clause 5.3.5 of Rel. 15 with 3.5 dB. It then reports. Is that all? Yes! Then\n" +
				"it stops, i.e. It waits.",
			want: []string{
				"The UE applies the new cycle, e.g. the DRX cycle of Fig. 3 and No. 5 in\n" +
					"clause 5.3.5 of Rel. 15 with 3.5 dB.",
				"It then reports. Is that all? Yes!",
				"Then\nit stops, i.e. It waits.",
			},
		},
		{
			name: "lower case after a period is no sentence end",
			cfg:  Config{Target: 20, Max: 50},
			in:   "Set the value to 10 ms. then restart the node. After that, check it.",
			want: []string{"Set the value to 10 ms. then restart the node.", "After that, check it."},
		},
		{
			name: "sentence ends inside emphasis and brackets",
			cfg:  Config{Target: 20, Max: 30},
			in:   "The feature is *optional.* (It is not licensed.) \"Use it.\" Done.",
			want: []string{"The feature is *optional.*", "(It is not licensed.)", "\"Use it.\" Done."},
		},
		{
			name: "a sentence longer than max is cut between words",
			cfg:  Config{Target: 20, Max: 30},
			in:   "pmRrcConnEstabSucc pmRrcConnEstabAtt pmRrcConnEstabFailLic pmErabEstabSuccInit pmErabEstabAttInit",
			want: []string{"pmRrcConnEstabSucc", "pmRrcConnEstabAtt", "pmRrcConnEstabFailLic", "pmErabEstabSuccInit", "pmErabEstabAttInit"},
		},
		{
			name: "a word longer than max is cut at max",
			cfg:  Config{Target: 10, Max: 10},
			in:   "Hash: 0123456789abcdefghij0123456789abcdefghij.",
			want: []string{"Hash:", "0123456789", "abcdefghij", "0123456789", "abcdefghij", "."},
		},
		{
			name: "multi-byte text is measured in runes",
			cfg:  Config{Target: 14, Max: 14}, // "Überträgt Ära." is 14 runes, 17 bytes
			in:   "Überträgt Ära. Äöü ßçé.",
			want: []string{"Überträgt Ära.", "Äöü ßçé."},
		},
		{
			name: "a paragraph within max is not cut",
			cfg:  Config{Target: 30, Max: 80},
			in:   "This sentence is long enough. This one too makes it longer.",
			want: []string{"This sentence is long enough. This one too makes it longer."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTexts(t, mustNew(t, tt.cfg).Split(tt.in), tt.want)
		})
	}
}

func TestChunker_tracksHeadingPath(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []Piece
	}{
		{
			name: "each section its own chunk",
			cfg:  Config{Target: 40},
			in: lines("# 1 Overview", "", "Intro text of the overview.", "",
				"## 1.1 Scope", "Scope text is here.", "",
				"### 1.1.1 Detail ###", "", "Detail text is here.", "",
				"## 1.2 Next", "", "Next text is here.", "",
				"# 2 Other", "", "Other text is here."),
			want: []Piece{
				{Index: 0, Headings: []string{"1 Overview"}, Text: "# 1 Overview\n\nIntro text of the overview."},
				{Index: 1, Headings: []string{"1 Overview", "1.1 Scope"}, Text: "## 1.1 Scope\n\nScope text is here."},
				{Index: 2, Headings: []string{"1 Overview", "1.1 Scope", "1.1.1 Detail"}, Text: "### 1.1.1 Detail ###\n\nDetail text is here."},
				{Index: 3, Headings: []string{"1 Overview", "1.2 Next"}, Text: "## 1.2 Next\n\nNext text is here."},
				{Index: 4, Headings: []string{"2 Other"}, Text: "# 2 Other\n\nOther text is here."},
			},
		},
		{
			name: "a chunk that starts inside a section has the section's path",
			cfg:  Config{Target: 30, Max: 40},
			in:   "# A\n\n## B\n\nFirst sentence is here. Second sentence is here.\n\n#### Skipped level\n\nText.",
			want: []Piece{
				{Index: 0, Headings: []string{"A"}, Text: "# A\n\n## B\n\nFirst sentence is here."},
				{Index: 1, Headings: []string{"A", "B"}, Text: "Second sentence is here."},
				{Index: 2, Headings: []string{"A", "B", "Skipped level"}, Text: "#### Skipped level\n\nText."},
			},
		},
		{
			name: "an empty heading closes the sections at its level",
			cfg:  Config{Target: 20},
			in:   "# A\n\nText under a.\n\n# \n\nTitle page text.\n\n## B\n\nText under b.",
			want: []Piece{
				{Index: 0, Headings: []string{"A"}, Text: "# A\n\nText under a."},
				{Index: 1, Text: "#\n\nTitle page text."},
				{Index: 2, Headings: []string{"B"}, Text: "## B\n\nText under b."},
			},
		},
		{
			name: "text before the first heading has no path",
			cfg:  Config{Target: 20},
			in:   "Preamble text here.\n\n# A\n\nText.",
			want: []Piece{
				{Index: 0, Text: "Preamble text here."},
				{Index: 1, Headings: []string{"A"}, Text: "# A\n\nText."},
			},
		},
		{
			name: "not headings: no blank after the marks, seven marks, indented code",
			cfg:  Config{},
			in:   "#hashtag\n\n####### seven\n\n    # indented",
			want: []Piece{{Index: 0, Text: "#hashtag\n\n####### seven\n\n    # indented"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustNew(t, tt.cfg).Split(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%#v\n%s\nwant:\n%#v\n%s", got, show(texts(got)), tt.want, show(texts(tt.want)))
			}
		})
	}
}

func TestChunker_packsSections(t *testing.T) {
	para := func(n int) string { return strings.Repeat("word ", n/5)[:n-1] + "." }
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []string
	}{
		{
			name: "small sections are packed together",
			cfg:  Config{Target: 400},
			in:   "# A\n\n" + para(50) + "\n\n# B\n\n" + para(30) + "\n\n## C\n\n" + para(30),
			want: []string{"# A\n\n" + para(50) + "\n\n# B\n\n" + para(30) + "\n\n## C\n\n" + para(30)},
		},
		{
			name: "a top heading starts a new chunk after a quarter of target",
			cfg:  Config{Target: 400},
			in:   "# A\n\n" + para(120) + "\n\n# B\n\n" + para(30),
			want: []string{"# A\n\n" + para(120), "# B\n\n" + para(30)},
		},
		{
			name: "a deep heading starts a new chunk only after half of target",
			cfg:  Config{Target: 400},
			in:   "### A\n\n" + para(120) + "\n\n### B\n\n" + para(100) + "\n\n### C\n\n" + para(30),
			want: []string{"### A\n\n" + para(120) + "\n\n### B\n\n" + para(100), "### C\n\n" + para(30)},
		},
		{
			name: "a chunk never ends with a heading",
			cfg:  Config{Target: 100},
			in:   "### A\n\n" + para(60) + "\n\n### B\n\n" + para(60),
			want: []string{"### A\n\n" + para(60), "### B\n\n" + para(60)},
		},
		{
			name: "a heading stays with a block larger than target",
			cfg:  Config{Target: 100, Max: 200},
			in:   para(90) + "\n\n#### A\n\n" + para(150),
			want: []string{para(90), "#### A\n\n" + para(150)},
		},
		{
			name: "headings without text are emitted, not dropped",
			cfg:  Config{Target: 100},
			in:   "# A\n\n## B",
			want: []string{"# A\n\n## B"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTexts(t, mustNew(t, tt.cfg).Split(tt.in), tt.want)
		})
	}
}

func TestChunker_keepsListsAndFences(t *testing.T) {
	fence := "```asn1\nMIB ::= SEQUENCE {\n  systemFrameNumber BIT STRING (SIZE (6)),\n}\n```"
	tests := []struct {
		name string
		cfg  Config
		in   string
		want []string
	}{
		{
			name: "tight list stays tight, blank lines are normalized",
			cfg:  Config{},
			in:   "Steps:\n- Lock the cell.\n- Set the value.\n   \n\n\n1. Unlock.\n2) Check.\n   continued line  \n\nEnd.",
			want: []string{"Steps:\n\n- Lock the cell.\n- Set the value.\n\n1. Unlock.\n2) Check.\n   continued line\n\nEnd."},
		},
		{
			name: "list items are blocks",
			cfg:  Config{Target: 30, Max: 40},
			in:   "- First item is here.\n- Second item is here.\n- Third item is here.",
			want: []string{"- First item is here.", "- Second item is here.", "- Third item is here."},
		},
		{
			name: "fence is kept whole with its blank lines",
			cfg:  Config{Target: 60},
			in:   "Before.\n\n```\n# not a heading\n\n| not a table |\n```\nAfter.",
			want: []string{"Before.\n\n```\n# not a heading\n\n| not a table |\n```\n\nAfter."},
		},
		{
			name: "fence longer than max is cut between lines and reopened",
			cfg:  Config{Target: 40, Max: 50},
			in:   fence,
			want: []string{
				"```asn1\nMIB ::= SEQUENCE {\n```",
				"```asn1\n  systemFrameNumber BIT STRING (SIZE (6)),\n```",
				"```asn1\n}\n```",
			},
		},
		{
			name: "unclosed fence is closed",
			cfg:  Config{},
			in:   "~~~~\ncode\n\n",
			want: []string{"~~~~\ncode\n~~~~"},
		},
		{
			name: "image lines are kept",
			cfg:  Config{Target: 50},
			in:   "Figure 1 Operation\n\n![Image](../images/a.png)\n\nText.",
			want: []string{"Figure 1 Operation\n\n![Image](../images/a.png)", "Text."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertTexts(t, mustNew(t, tt.cfg).Split(tt.in), tt.want)
		})
	}
}

// withoutFrontMatter is the test's own view of the content the chunker must keep.
func withoutFrontMatter(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return s
	}
	end := strings.Index(s[3:], "\n---\n")
	if end < 0 {
		return s
	}
	return s[3+end+5:]
}

// content returns the non-whitespace characters of s, leaving out pipe table
// separator rows, which the chunker shortens to "|---|".
func content(s string) []rune {
	var out []rune
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "|") && strings.Trim(t, "|-: \t") == "" {
			continue
		}
		out = append(out, nonSpace(line)...)
	}
	return out
}

func nonSpace(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// lost returns the first input character, with some context, that is missing from
// the pieces, in order; "" when nothing is lost. Pieces may add characters (a
// repeated table header), never drop or reorder them.
func lost(in string, pieces []Piece) string {
	want := content(withoutFrontMatter(in))
	var got []rune
	for _, p := range pieces {
		got = append(got, content(p.Text)...)
	}
	j := 0
	for i, r := range want {
		for j < len(got) && got[j] != r {
			j++
		}
		if j == len(got) {
			return fmt.Sprintf("%q at non-space rune %d of %d, before %q", r, i, len(want), string(want[i:min(i+40, len(want))]))
		}
		j++
	}
	return ""
}

// uncuttable reports whether a piece above Max is one unit the chunker may not cut,
// after any headings: a single line, a table header with one row, or a code fence
// with one line.
func uncuttable(text string) bool {
	ls := strings.Split(text, "\n")
	for len(ls) > 0 && (strings.HasPrefix(ls[0], "#") || ls[0] == "") {
		ls = ls[1:]
	}
	if len(ls) <= 1 {
		return true
	}
	first := strings.TrimSpace(ls[0])
	switch {
	case strings.HasPrefix(first, "```") || strings.HasPrefix(first, "~~~"):
		return len(ls) == 3
	case strings.HasPrefix(first, "+"): // grid table: header to "+===+", then one row
		rows := ls[1:]
		for i, l := range ls {
			if strings.HasPrefix(l, "+=") {
				rows = ls[i+1:]
			}
		}
		borders := 0
		for _, l := range rows {
			if strings.HasPrefix(l, "+") {
				borders++
			}
		}
		return borders <= 1
	case strings.HasPrefix(first, "|"):
		return len(ls) == 2 || (len(ls) == 3 && strings.Trim(ls[1], "|-: ") == "")
	}
	return false
}

// checkPieces asserts what must hold for any input.
func checkPieces(t *testing.T, cfg Config, in string, pieces []Piece) {
	t.Helper()
	cfg.setDefaults()
	if what := lost(in, pieces); what != "" {
		t.Errorf("lost %s", what)
	}
	for i, p := range pieces {
		if p.Index != i {
			t.Errorf("piece %d has Index %d", i, p.Index)
		}
		if strings.TrimSpace(p.Text) == "" {
			t.Errorf("piece %d is empty", i)
		}
		if strings.TrimRight(p.Text, " \t\r\n") != p.Text {
			t.Errorf("piece %d ends with whitespace", i)
		}
		if n := p.Len(); n > cfg.Max && !uncuttable(p.Text) {
			t.Errorf("piece %d has %d runes, above Max %d, and could be cut:\n%s", i, n, cfg.Max, p.Text)
		}
		for _, h := range p.Headings {
			if h == "" || strings.HasPrefix(h, "#") {
				t.Errorf("piece %d has heading %q in its path %q", i, h, p.Headings)
			}
		}
	}
}

// genDoc writes a random document of about size bytes in the shape of the extract
// stage's output: headings, wrapped paragraphs, lists, pipe and grid tables, code
// fences, images, with ragged blank lines and the odd monster paragraph, row or word.
func genDoc(rng *rand.Rand, size int, frontMatter bool) string {
	vocab := []string{
		"the", "UE", "shall", "apply", "configuration", "gNodeB", "e.g.", "i.e.", "Fig.", "No.",
		"clause", "5.3.5", "3.5", "dB", "EUtranCellFDD.qRxLevMin", "pmRrcConnEstabSucc", "FAJ 121 4411",
		"Überträgt", "Ära", "日本語", "naïve", "—", "RRCReconfiguration", "(see", "Table", "1)", "value",
		"is", "set", "to", "when", "and", "or", "timer", "T310", "expires", "cell", "NR", "LTE",
	}
	sentence := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = vocab[rng.IntN(len(vocab))]
		}
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		return strings.Join(w, " ") + []string{".", ".", ".", "!", "?"}[rng.IntN(5)]
	}
	paragraph := func(sentences int) string {
		var sb strings.Builder
		col := 0
		for i := 0; i < sentences; i++ {
			s := sentence(3 + rng.IntN(20))
			if i > 0 {
				if col > 60 && rng.IntN(2) == 0 {
					sb.WriteByte('\n')
					col = 0
				} else {
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(s)
			col += len(s)
		}
		return sb.String()
	}
	var sb strings.Builder
	if frontMatter {
		sb.WriteString("---\nconverted_at: '2025-08-13T06:58:22Z'\nzip_image_types:\n- .svg\n---\n")
	}
	nl := "\n"
	if rng.IntN(4) == 0 {
		nl = "\r\n"
	}
	for sb.Len() < size {
		sb.WriteString(strings.Repeat(nl, 1+rng.IntN(3)))
		switch k := rng.IntN(20); {
		case k < 3:
			level := 1 + rng.IntN(4)
			title := paragraph(1)
			if rng.IntN(10) == 0 {
				title = ""
			}
			sb.WriteString(strings.Repeat("#", level) + " " + title)
		case k < 9:
			sb.WriteString(strings.ReplaceAll(paragraph(1+rng.IntN(8)), "\n", nl))
		case k == 9:
			sb.WriteString(strings.ReplaceAll(paragraph(20+rng.IntN(60)), "\n", nl))
		case k == 10:
			words := make([]string, 100+rng.IntN(300)) // a sentence that never ends
			for i := range words {
				words[i] = vocab[rng.IntN(len(vocab))]
			}
			sb.WriteString(strings.Join(words, " "))
		case k == 11:
			sb.WriteString("Hex: " + strings.Repeat("0123456789abcdef", 10+rng.IntN(600)))
		case k < 14:
			for i, n := 0, 1+rng.IntN(8); i < n; i++ {
				marker := []string{"- ", "* ", fmt.Sprintf("%d. ", i+1)}[rng.IntN(3)]
				sb.WriteString(marker + paragraph(1+rng.IntN(3)) + nl)
			}
		case k < 17:
			sb.WriteString("| Parameter | Type | Description |" + nl + "|---|:---:|---|" + nl)
			for i, n := 0, 1+rng.IntN(80); i < n; i++ {
				desc := paragraph(1)
				if rng.IntN(30) == 0 {
					desc = paragraph(40)
				}
				fmt.Fprintf(&sb, "| p%d | Integer | %s |%s", i, strings.ReplaceAll(desc, "\n", " "), nl)
			}
		case k == 17:
			sb.WriteString("+----+-----------+" + nl + "| Id | Meaning   |" + nl + "+====+===========+" + nl)
			for i, n := 0, 1+rng.IntN(30); i < n; i++ {
				fmt.Fprintf(&sb, "| %d  | %s |%s|    | %s |%s+----+-----------+%s", i, sentence(3), nl, sentence(2), nl, nl)
			}
		case k == 18:
			sb.WriteString("```asn1" + nl)
			for i, n := 0, 1+rng.IntN(120); i < n; i++ {
				fmt.Fprintf(&sb, "  field%d INTEGER (0..%d),%s", i, rng.IntN(1000), nl)
			}
			sb.WriteString("```")
		default:
			fmt.Fprintf(&sb, "![Image](../images/fig%d.png)", rng.IntN(100))
		}
		if rng.IntN(5) == 0 {
			sb.WriteString("  ")
		}
	}
	return sb.String()
}

func TestChunker_losesNothing(t *testing.T) {
	configs := []Config{{Target: 50}, {Target: 200, Max: 300}, {Target: 1000}, {}}
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		in := genDoc(rng, 2000+rng.IntN(60000), seed%2 == 0)
		for _, cfg := range configs {
			t.Run(fmt.Sprintf("seed=%d/target=%d", seed, cfg.Target), func(t *testing.T) {
				pieces := mustNew(t, cfg).Split(in)
				if len(pieces) == 0 {
					t.Fatal("no pieces")
				}
				checkPieces(t, cfg, in, pieces)
				for i, p := range pieces {
					if strings.Contains(p.Text, "\n\n\n") {
						t.Errorf("piece %d has more than one blank line in a row", i)
					}
				}
			})
		}
	}
	t.Run("the check itself notices a loss", func(t *testing.T) {
		pieces := []Piece{{Text: "Alpha beta."}, {Text: "Delta."}}
		if lost("Alpha beta.\n\nGamma.\n\nDelta.", pieces) == "" {
			t.Error("lost() missed the dropped paragraph")
		}
		if uncuttable("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |") {
			t.Error("uncuttable() accepted a table with two rows")
		}
	})
	t.Run("no tables, no fences: the text is exactly the input", func(t *testing.T) {
		in := "# A\n\nOne. Two three four five.\n\n- x\n- y\n\n" + strings.Repeat("Sentence number x. ", 200)
		pieces := mustNew(t, Config{Target: 100}).Split(in)
		var got []rune
		for _, p := range pieces {
			got = append(got, nonSpace(p.Text)...)
		}
		if string(got) != string(nonSpace(in)) {
			t.Errorf("pieces differ from the input:\n got %q\nwant %q", string(got), string(nonSpace(in)))
		}
	})
}

// corpusFiles returns the files matching pattern, or skips the test when the shared
// corpus is not there.
func corpusFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		t.Skipf("no corpus files at %s", pattern)
	}
	return files
}

func TestChunker_elexCorpus(t *testing.T) {
	files := corpusFiles(t, filepath.Join(corpustest.Root(), "elex", "*.md"))
	for _, cfg := range []Config{{}, {Target: 500}} {
		c := mustNew(t, cfg)
		pieces, over := 0, 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in := string(data)
			got := c.Split(in)
			t.Run(fmt.Sprintf("target=%d/%s", c.Config().Target, filepath.Base(f)), func(t *testing.T) {
				checkPieces(t, cfg, in, got)
				if strings.Contains(got[0].Text, "converted_at:") {
					t.Errorf("front matter in the first piece:\n%s", got[0].Text)
				}
			})
			pieces += len(got)
			for _, p := range got {
				if p.Len() > c.Config().Max {
					over++
				}
			}
		}
		t.Logf("target %d: %d files, %d pieces, %d above Max (uncuttable rows)", c.Config().Target, len(files), pieces, over)
	}
}

func TestChunker_3gppCorpus(t *testing.T) {
	files := corpusFiles(t, filepath.Join(corpustest.Root(), "3gpp", "markdown", "*.md"))
	c := mustNew(t, Config{})
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in := string(data)
			checkPieces(t, Config{}, in, c.Split(in))
		})
	}
}

func BenchmarkChunker_Split(b *testing.B) {
	in := genDoc(rand.New(rand.NewPCG(7, 7)), 1<<20, true)
	c := mustNew(b, Config{})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		c.Split(in)
	}
}

func BenchmarkChunker_Split38331(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpustest.Root(), "3gpp", "markdown", "38331-ft0.md"))
	if err != nil {
		b.Skip("TS 38.331 markdown not in the shared corpus")
	}
	in := strings.Repeat(string(data), 4) // about 6 MB, the size of a recent 38.331
	c := mustNew(b, Config{})
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		c.Split(in)
	}
}

func TestChunker_neverCutsSheetRecord(t *testing.T) {
	c, err := New(Config{Target: 200, Max: 400})
	if err != nil {
		t.Fatal(err)
	}
	long := "MO Class Name: FooCell | Parameter Name: barLevel | Description: " +
		strings.Repeat("A very long description. ", 60) + "| Default Value: 7"
	text := "# sheet\n\nMO Class Name: FooCell | Parameter Name: bazMode\n\n" + long + "\n\nMO Class Name: FooCell | Parameter Name: quxTimer\n"
	for name, pieces := range map[string][]Piece{"split": c.Split(text), "stream": streamAll(t, c, strings.NewReader(text), 0)} {
		found := false
		for _, p := range pieces {
			if strings.Contains(p.Text, "barLevel") {
				found = strings.Contains(p.Text, long)
			}
			if strings.Contains(p.Text, "Default Value: 7") && !strings.Contains(p.Text, "barLevel") {
				t.Errorf("%s: the record's tail went to a chunk without its names: %q", name, p.Text)
			}
		}
		if !found {
			t.Errorf("%s: the long record was not kept whole", name)
		}
	}
	// A long paragraph that is no record is still cut at sentences.
	prose := strings.Repeat("A very long sentence of prose. ", 60)
	if n := len(c.Split(prose)); n < 2 {
		t.Errorf("prose of %d chars gave %d chunk(s), want it cut", len(prose), n)
	}
}
