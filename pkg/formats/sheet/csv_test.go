package sheet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
)

func convertCSV(t *testing.T, src []byte, opt Options) (string, formats.Info) {
	t.Helper()
	var out bytes.Buffer
	info, err := ConvertCSV(context.Background(), bytes.NewReader(src), &out, formats.Limits{}, opt)
	if err != nil {
		t.Fatalf("ConvertCSV: %v", err)
	}
	return out.String(), info
}

// records returns the non-empty lines of out.
func records(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSV_sniffsDelimiter(t *testing.T) {
	tests := []struct {
		name, src, delim, want string
	}{
		{"comma", "MO,Parameter,Value\nEUtranCellFDD,qRxLevMin,-140\nEUtranCellFDD,qQualMin,-34\n",
			",", "MO: EUtranCellFDD | Parameter: qRxLevMin | Value: -140"},
		{"semicolon with decimal commas", "Cell;Power;Tilt\nA1;43,5;2,0\nA2;40,0;4,5\n",
			";", "Cell: A1 | Power: 43,5 | Tilt: 2,0"},
		{"tab", "Counter\tType\tDescription\npmRrcConnEstabSucc\tPEG\tSuccessful RRC connections, per cell\npmRrcConnEstabAtt\tPEG\tAttempts\n",
			"\t", "Counter: pmRrcConnEstabSucc | Type: PEG | Description: Successful RRC connections, per cell"},
		{"comma with semicolons in quoted fields", "scenario,formula,notes\nRMa,\"PL1; PL2; PL3\",\"NOTE 5; NOTE 6\"\nUMa,\"PL1; PL2\",NOTE 1\n",
			",", "scenario: RMa | formula: PL1; PL2; PL3 | notes: NOTE 5; NOTE 6"},
		{"semicolon with commas in text", "Feature;Description;State\nCXC4011253;Cell Soft Lock, for LTE;ACTIVATED\nCXC4012740;Eco Mode, NR, energy;DEACTIVATED\n",
			";", "Feature: CXC4011253 | Description: Cell Soft Lock, for LTE | State: ACTIVATED"},
		{"excel sep hint", "sep=;\nA,B;C\n1,2;3\n", ";", "A,B: 1,2 | C: 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convertCSV(t, []byte(tt.src), Options{})
			if got := info.Meta["delimiter"]; got != tt.delim {
				t.Errorf("delimiter %q, want %q", got, tt.delim)
			}
			if got := records(out); len(got) == 0 || got[0] != tt.want {
				t.Errorf("first record %q, want %q\n%s", got, tt.want, out)
			}
		})
	}
}

func TestCSV_skipsTitleRowsAboveHeader(t *testing.T) {
	tests := []struct {
		name, src  string
		headerRow  string
		wantTitles []string
		want       string
	}{
		{
			name: "title and date rows padded with delimiters",
			src: "Parameter Reference L23Q1,,,\nGenerated: 2023-03-01,,,\n,,,\n" +
				"MO Class Name,Parameter Name,Default Value,Unit\n" +
				"EUtranCellFDD,qRxLevMin,-140,dBm\nEUtranCellFDD,qQualMin,-34,dB\nNRCellDU,ssbPeriodicity,20,ms\n",
			headerRow:  "4",
			wantTitles: []string{"Parameter Reference L23Q1", "Generated: 2023-03-01"},
			want:       "MO Class Name: EUtranCellFDD | Parameter Name: qRxLevMin | Default Value: -140 | Unit: dBm",
		},
		{
			name: "key-value block above a wider table",
			src: "Node;RBS6201\nRelease;L23Q1\n" +
				"MO;Attribute;Value;Comment\nENodeBFunction=1;eNBId;1234;site A\nENodeBFunction=1;dscpLabel;46;voice\n",
			headerRow:  "3",
			wantTitles: []string{"Node | RBS6201", "Release | L23Q1"},
			want:       "MO: ENodeBFunction=1 | Attribute: eNBId | Value: 1234 | Comment: site A",
		},
		{
			name:      "header on the first row",
			src:       "A,B\nx,1\ny,2\n",
			headerRow: "1",
			want:      "A: x | B: 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convertCSV(t, []byte(tt.src), Options{Name: "params.csv"})
			if info.Meta["header_row"] != tt.headerRow {
				t.Errorf("header_row %s, want %s\n%s", info.Meta["header_row"], tt.headerRow, out)
			}
			got := records(out)
			if got[0] != "# params.csv" {
				t.Errorf("first line %q, want the heading", got[0])
			}
			got = got[1:]
			for i, title := range tt.wantTitles {
				if got[i] != title {
					t.Errorf("title row %d %q, want %q", i, got[i], title)
				}
			}
			if rec := got[len(tt.wantTitles)]; rec != tt.want {
				t.Errorf("first record %q, want %q\n%s", rec, tt.want, out)
			}
		})
	}
}

func TestCSV_noHeaderWhenFirstRowIsData(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"numbers", "1,2,3\n4,5,6\n7,8,9\n", "1 | 2 | 3"},
		{"values that recur below", "Indoor RAP No Connection,equipmentAlarm,MINOR\nSW Error,equipmentAlarm,MINOR\nFan Failure,equipmentAlarm,MAJOR\n",
			"Indoor RAP No Connection | equipmentAlarm | MINOR"},
		{"a single row", "only,one,row\n", "only | one | row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convertCSV(t, []byte(tt.src), Options{})
			if info.Meta["header_row"] != "0" {
				t.Errorf("header_row %s, want 0", info.Meta["header_row"])
			}
			if got := records(out)[0]; got != tt.want {
				t.Errorf("first record %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCSV_multilineQuotedFields(t *testing.T) {
	src := "Parameter Name,Parameter Description,Default Value\n" +
		"siteLocation,\"A freetext attribute\ndescribing the location.\r\n\r\nDeprecated.\",\"\"\"None\"\"\"\n" +
		"userLabel,Label,x\n"
	out, info := convertCSV(t, []byte(src), Options{})
	want := []string{
		`Parameter Name: siteLocation | Parameter Description: A freetext attribute describing the location. Deprecated. | Default Value: "None"`,
		"Parameter Name: userLabel | Parameter Description: Label | Default Value: x",
	}
	if got := records(out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if info.Meta["records"] != "2" {
		t.Errorf("records %s, want 2", info.Meta["records"])
	}
}

func TestCSV_anyEncoding(t *testing.T) {
	const text = "Feature;Beschreibung;Wert\nCXC4011253;Zelle größer als 5 km – “Soft Lock”;€ 5\nCXC4012740;Énergie;°C\n"
	const want = "Feature: CXC4011253 | Beschreibung: Zelle größer als 5 km – “Soft Lock” | Wert: € 5"
	const jtext = "機能,説明\nCXC4011253,セルソフトロック\nCXC4012740,省電力\n"
	const jwant = "機能: CXC4011253 | 説明: セルソフトロック"
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	tests := []struct {
		name     string
		src      []byte
		opt      Options
		want     string
		encoding string
	}{
		{"UTF-8", []byte(text), Options{}, want, "UTF-8"},
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), text...), Options{}, want, "UTF-8"},
		{"UTF-16LE with BOM", append([]byte("\xFF\xFE"), encode(t, utf16le, text)...), Options{}, want, "UTF-16LE"},
		{"UTF-16BE with BOM", append([]byte("\xFE\xFF"), encode(t, utf16be, text)...), Options{}, want, "UTF-16BE"},
		{"UTF-16LE without BOM, detected", encode(t, utf16le, text), Options{}, want, "UTF-16LE"},
		{"windows-1252 given", encode(t, charmap.Windows1252, text), Options{Encoding: "windows-1252"}, want, "windows-1252"},
		{"windows-1252 detected", encode(t, charmap.Windows1252, text+strings.Repeat("CXC4012741;Größe über 5 km, “Zelle”;€ 7\n", 20)), Options{}, want, ""},
		{"Shift_JIS given", encode(t, japanese.ShiftJIS, jtext), Options{Encoding: "Shift_JIS"}, jwant, "Shift_JIS"},
		{"BOM wins over the given name", append([]byte("\xFF\xFE"), encode(t, utf16le, text)...), Options{Encoding: "windows-1252"}, want, "UTF-16LE"},
		{"stray windows-1252 byte in UTF-8", []byte("A,B\nx,caf\xe9\ny,z\n"), Options{Encoding: "UTF-8"}, "A: x | B: café", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convertCSV(t, tt.src, tt.opt)
			if got := records(out)[0]; got != tt.want {
				t.Errorf("first record %q, want %q", got, tt.want)
			}
			if tt.encoding != "" && info.Meta["encoding"] != tt.encoding {
				t.Errorf("encoding %q, want %q", info.Meta["encoding"], tt.encoding)
			}
		})
	}
}

func TestCSV_columnNames(t *testing.T) {
	src := "Name,,Value,Value,Unit,\nqRxLevMin,x,-140,-70,dBm,extra\nqQualMin,y,-34,-17,dB,more\n"
	out, _ := convertCSV(t, []byte(src), Options{})
	want := "Name: qRxLevMin | Name (2): x | Value: -140 | Value (2): -70 | Unit: dBm | Column 6: extra"
	if got := records(out)[0]; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestCSV_keepsRecordsOneLineAndUnambiguous(t *testing.T) {
	src := "Key,Range\n#define,0|1|2\n```,> quote\n"
	out, _ := convertCSV(t, []byte(src), Options{})
	want := []string{`Key: #define | Range: 0\|1\|2`, "Key: ``` | Range: > quote"}
	if got := records(out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A record that would start with '#' is escaped so it cannot read as a heading.
	out, _ = convertCSV(t, []byte("# Cells,Band\n1,n78\n2,n41\n"), Options{})
	if got := records(out)[0]; got != `\# Cells: 1 | Band: n78` {
		t.Errorf("got %q", got)
	}
}

func TestCSV_dropsRepeatedHeaderAndEmptyRows(t *testing.T) {
	src := "MO,Attr\nA,x\n,\nMO,Attr\nB,y\n"
	out, info := convertCSV(t, []byte(src), Options{})
	want := []string{"MO: A | Attr: x", "MO: B | Attr: y"}
	if got := records(out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	if info.Meta["records"] != "2" {
		t.Errorf("records %s, want 2", info.Meta["records"])
	}
}

func TestCSV_limits(t *testing.T) {
	t.Run("output limit", func(t *testing.T) {
		src := "A,B\n" + strings.Repeat("value,other\n", 1000)
		_, err := ConvertCSV(context.Background(), strings.NewReader(src), io.Discard, formats.Limits{MaxStreamedOutput: 1000}, Options{})
		if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrTooLarge", err)
		}
	})
	t.Run("unbalanced quote", func(t *testing.T) {
		// A quote that never closes would swallow the rest of the file into
		// one field.
		r := io.MultiReader(strings.NewReader("A,B\nx,\"open\n"), &repeatReader{line: []byte("more text, no quote\n"), n: (maxRecord + 1<<20) / 20})
		_, err := ConvertCSV(context.Background(), r, io.Discard, formats.Limits{}, Options{})
		if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrTooLarge", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ConvertCSV(ctx, newGenCSV(4<<20), io.Discard, formats.Limits{}, Options{})
		if !errors.Is(err, context.Canceled) || fault.IsPermanent(err) {
			t.Errorf("err %v, want context.Canceled, not permanent", err)
		}
	})
	t.Run("read error stays transient", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("A,B\n1,2\n"), errReader{})
		_, err := ConvertCSV(context.Background(), r, io.Discard, formats.Limits{}, Options{})
		if err == nil || fault.IsPermanent(err) {
			t.Errorf("err %v, want a transient error", err)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		out, info := convertCSV(t, nil, Options{})
		if out != "" || info.Meta["records"] != "0" {
			t.Errorf("out %q, records %s", out, info.Meta["records"])
		}
	})
}

// repeatReader reads line n times.
type repeatReader struct {
	line []byte
	n    int
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.line[r.off:])
		k += c
		if r.off += c; r.off == len(r.line) {
			r.off = 0
			r.n--
		}
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
