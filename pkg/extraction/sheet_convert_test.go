package extraction_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/sheet"
	"github.com/ranstream/ranstream/pkg/quality"
)

// TestSheet_convertedFilesEndToEnd converts invented sheets with the real
// converters (CSV with a title row and semicolons; an XLSX workbook made
// with excelize, a notes sheet beside a counter sheet), decides the family
// and extracts every row, as the pipeline does.
func TestSheet_convertedFilesEndToEnd(t *testing.T) {
	csvText := "Invented parameter export\n" +
		"MO Class;Parameter;Data Type;Default Value;Description\n" +
		"ZetaCell;fooLevel;int32;3;\"How loud | foo is;\nsecond line.\"\n" +
		"ZetaCell;barMode;enum;OFF;Bar.\n" +
		"OmegaCell;bazTimer;uint16;100;Baz.\n"
	var csvOut bytes.Buffer
	if _, err := sheet.ConvertCSV(context.Background(), strings.NewReader(csvText), &csvOut, formats.Limits{}, sheet.Options{Name: "params.csv"}); err != nil {
		t.Fatal(err)
	}

	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetSheetRow("Notes", "A1", &[]any{"Topic", "Remark"}))
	must(f.SetSheetRow("Notes", "A2", &[]any{"scope", "invented counters"}))
	_, err := f.NewSheet("Counters")
	must(err)
	must(f.SetSheetRow("Counters", "A1", &[]any{"moClass", "Counter Name", "Counter Type", "Unit"}))
	must(f.SetSheetRow("Counters", "A2", &[]any{"ZetaCell", "pmZetaAttempts", "PEG", "count"}))
	must(f.SetSheetRow("Counters", "A3", &[]any{"ZetaCell/OmegaCell", "pmZetaSucc", "PEG", ""}))
	must(f.SetSheetRow("Counters", "A4", &[]any{"OmegaCell", "pmOmegaDrops", "ACC", ""}))
	buf, err := f.WriteToBuffer()
	must(err)
	var xlsxOut bytes.Buffer
	if _, err := sheet.ConvertXLSX(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), &xlsxOut, formats.Limits{}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, format, text string
		want               []string
	}{
		{"csv", "csv", csvOut.String(), []string{"OmegaCell.bazTimer", "ZetaCell.barMode", "ZetaCell.fooLevel"}},
		{"xlsx", "xlsx", xlsxOut.String(), []string{"OmegaCell.pmOmegaDrops", "OmegaCell.pmZetaSucc", "ZetaCell.pmZetaAttempts", "ZetaCell.pmZetaSucc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fam := extraction.DetectFamily(extraction.DocInfo{Format: tt.format, Head: tt.text})
			if fam != extraction.FamilySheet {
				t.Fatalf("family = %q, want sheet; text:\n%s", fam, tt.text)
			}
			in := extraction.Input{Text: tt.text, Family: fam, Format: tt.format}
			r, err := extraction.Extract(extraction.ModeBasic, in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range r.Parameters {
				got = append(got, p.Name)
			}
			for _, c := range r.Counters {
				got = append(got, c.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("items = %q, want %q; text:\n%s", got, tt.want, tt.text)
			}
			if s := quality.Score(in, r); s.Value < 0.99 {
				t.Errorf("quality = %+v, want about 1 for every row read", s)
			}
			// Half the rows read: coverage counts records, so the score drops.
			half := r
			half.Parameters, half.Counters = r.Parameters[:len(r.Parameters)/2], r.Counters[:len(r.Counters)/2]
			if s := quality.Score(in, half); s.Coverage > 0.67 {
				t.Errorf("coverage of a result missing rows = %v, want it to count the records", s.Coverage)
			}
		})
	}
	if p := mustParam(t, csvOut.String(), "ZetaCell.fooLevel"); p.Description != "How loud | foo is; second line." || p.Default != "3" {
		t.Errorf("a cell with a pipe and a line break lost its text: %+v", p)
	}
}

func mustParam(t *testing.T, text, name string) extraction.Parameter {
	t.Helper()
	r, err := extraction.Extract(extraction.ModeBasic, extraction.Input{Text: text, Family: extraction.FamilySheet, Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Parameters {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no parameter %s in %+v", name, r.Parameters)
	return extraction.Parameter{}
}
