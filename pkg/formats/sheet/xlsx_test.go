package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
)

// workbook builds an .xlsx with excelize; build fills it.
func workbook(t *testing.T, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func convertXLSX(t *testing.T, b []byte) (string, formats.Info, error) {
	t.Helper()
	var out bytes.Buffer
	info, err := ConvertXLSX(context.Background(), bytes.NewReader(b), int64(len(b)), &out, formats.Limits{})
	return out.String(), info, err
}

// referenceWorkbook has two sheets like an operator's parameter workbook: a
// merged title above the header, a MO class merged down its rows, formulas
// with cached values, and an empty third sheet.
func referenceWorkbook(t *testing.T) []byte {
	return workbook(t, func(f *excelize.File) {
		must(t, f.SetSheetName("Sheet1", "Parameters"))
		set := func(sheet, cell string, v any) { must(t, f.SetCellValue(sheet, cell, v)) }
		set("Parameters", "A1", "LTE parameter reference L23Q1")
		must(t, f.MergeCell("Parameters", "A1", "D1"))
		for i, h := range []string{"MO Class Name", "Parameter Name", "Default Value", "Unit"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 3)
			set("Parameters", cell, h)
		}
		set("Parameters", "A4", "EUtranCellFDD")
		must(t, f.MergeCell("Parameters", "A4", "A5"))
		set("Parameters", "B4", "qRxLevMin")
		set("Parameters", "C4", -140)
		set("Parameters", "D4", "dBm")
		set("Parameters", "B5", "qQualMin")
		set("Parameters", "C5", -34)
		set("Parameters", "D5", "dB")
		set("Parameters", "A6", "NRCellDU")
		set("Parameters", "B6", "ssbPeriodicity")
		set("Parameters", "C6", 20)
		set("Parameters", "D6", "ms")

		_, err := f.NewSheet("Counters")
		must(t, err)
		set("Counters", "A1", "Counter")
		set("Counters", "B1", "Samples")
		set("Counters", "C1", "Doubled")
		set("Counters", "A2", "pmRrcConnEstabSucc")
		set("Counters", "B2", 21)
		// A formula with the value Excel would have cached.
		set("Counters", "C2", 42)
		must(t, f.SetCellFormula("Counters", "C2", "B2*2"))
		set("Counters", "A3", "pmRrcConnEstabAtt")
		set("Counters", "B3", 5)
		set("Counters", "C3", 10)
		must(t, f.SetCellFormula("Counters", "C3", "B3*2"))

		_, err = f.NewSheet("Empty")
		must(t, err)
		must(t, f.SetDocProps(&excelize.DocProperties{Title: "RAN reference"}))
	})
}

func TestXLSX_everySheet(t *testing.T) {
	out, info, err := convertXLSX(t, referenceWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"# Parameters",
		"LTE parameter reference L23Q1",
		"MO Class Name: EUtranCellFDD | Parameter Name: qRxLevMin | Default Value: -140 | Unit: dBm",
		"MO Class Name: EUtranCellFDD | Parameter Name: qQualMin | Default Value: -34 | Unit: dB",
		"MO Class Name: NRCellDU | Parameter Name: ssbPeriodicity | Default Value: 20 | Unit: ms",
		"# Counters",
		"Counter: pmRrcConnEstabSucc | Samples: 21 | Doubled: 42",
		"Counter: pmRrcConnEstabAtt | Samples: 5 | Doubled: 10",
	}, "\n\n") + "\n\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	for k, v := range map[string]string{
		"sheets": "3", "records": "5",
		"sheet1.name": "Parameters", "sheet1.header_row": "3", "sheet1.title_rows": "1", "sheet1.records": "3",
		"sheet2.name": "Counters", "sheet2.header_row": "1", "sheet2.records": "2",
		"sheet3.name": "Empty", "sheet3.records": "0",
	} {
		if info.Meta[k] != v {
			t.Errorf("Meta[%s] = %q, want %q", k, info.Meta[k], v)
		}
	}
	if info.Title != "RAN reference" {
		t.Errorf("title %q", info.Title)
	}
}

func TestXLSX_mergedHeaderNamesEveryColumn(t *testing.T) {
	b := workbook(t, func(f *excelize.File) {
		rows := [][]any{
			{"Cell", "Power", nil, "Tilt"},
			{"A1", 43, 40, 2},
			{"A2", 46, 44, 4},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			must(t, f.SetSheetRow("Sheet1", cell, &r))
		}
		must(t, f.MergeCell("Sheet1", "B1", "C1"))
	})
	out, _, err := convertXLSX(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Cell: A1 | Power: 43 | Power (2): 40 | Tilt: 2"; !strings.Contains(out, want+"\n") {
		t.Errorf("no %q in\n%s", want, out)
	}
}

func TestXLSX_corrupt(t *testing.T) {
	good := referenceWorkbook(t)
	flipped := bytes.Clone(good)
	// Damage the compressed data of the first part, past its local header.
	for i := 40; i < 60; i++ {
		flipped[i] ^= 0xFF
	}
	tests := []struct {
		name  string
		b     []byte
		cause error
	}{
		{"truncated", good[:len(good)/2], formats.ErrCorrupt},
		{"damaged deflate stream", flipped, formats.ErrCorrupt},
		{"random bytes", bytes.Repeat([]byte("not a workbook "), 100), formats.ErrNotFormat},
		{"zip without a workbook", zipOf(t, map[string]string{"word/document.xml": "<w:document/>"}), formats.ErrNotFormat},
		{"empty", nil, formats.ErrNotFormat},
		{"lock file", append([]byte{0x0E}, []byte("Microsoft Office User  ")...), formats.ErrNotFormat},
		{"legacy xls", oleWithoutEncryption(), formats.ErrNotFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := convertXLSX(t, tt.b)
			if !errors.Is(err, tt.cause) || !fault.IsPermanent(err) {
				t.Errorf("err %v, want a permanent %v", err, tt.cause)
			}
		})
	}
}

func TestXLSX_encrypted(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetCellValue("Sheet1", "A1", "secret"))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf, excelize.Options{Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	_, _, err := convertXLSX(t, buf.Bytes())
	if !errors.Is(err, formats.ErrEncrypted) || !fault.IsPermanent(err) {
		t.Errorf("err %v, want a permanent ErrEncrypted", err)
	}
}

// TestXLSX_zipBomb checks both halves of the defence against parts that
// unpack to far more than they weigh: a size declared over the limit is
// refused before anything is unpacked, and a part that unpacks to more than
// it declares is caught while inflating.
func TestXLSX_zipBomb(t *testing.T) {
	good := referenceWorkbook(t)
	t.Run("declared size over the limit", func(t *testing.T) {
		_, _, err := convertXLSX(t, setDeclaredSize(t, good, "xl/worksheets/sheet1.xml", 3<<30))
		if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrTooLarge", err)
		}
	})
	t.Run("compression ratio of a bomb", func(t *testing.T) {
		_, _, err := convertXLSX(t, setDeclaredSize(t, good, "xl/worksheets/sheet1.xml", 300<<20))
		if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrTooLarge", err)
		}
	})
	t.Run("unpacks to more than declared", func(t *testing.T) {
		_, _, err := convertXLSX(t, setDeclaredSize(t, good, "xl/worksheets/sheet1.xml", 100))
		if !errors.Is(err, formats.ErrCorrupt) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrCorrupt", err)
		}
	})
}

func TestXLSX_readErrorStaysTransient(t *testing.T) {
	b := referenceWorkbook(t)
	r := failingReaderAt{bytes.NewReader(b), int64(len(b)) / 2}
	_, err := ConvertXLSX(context.Background(), r, int64(len(b)), io.Discard, formats.Limits{})
	if err == nil || fault.IsPermanent(err) {
		t.Errorf("err %v, want a transient error", err)
	}
}

// failingReaderAt fails every read past from.
type failingReaderAt struct {
	r    io.ReaderAt
	from int64
}

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.from {
		return 0, errors.New("blob store: connection reset")
	}
	return f.r.ReadAt(p, off)
}

func TestXLSX_outputLimit(t *testing.T) {
	b := referenceWorkbook(t)
	_, err := ConvertXLSX(context.Background(), bytes.NewReader(b), int64(len(b)), io.Discard, formats.Limits{MaxOutput: 100})
	if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
		t.Errorf("err %v, want a permanent ErrTooLarge", err)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		must(t, err)
		_, err = io.WriteString(w, body)
		must(t, err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// setDeclaredSize rewrites the uncompressed size that the zip's central
// directory (and the local header) declare for name.
func setDeclaredSize(t *testing.T, b []byte, name string, size uint64) []byte {
	t.Helper()
	b = bytes.Clone(b)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(t, err)
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if size > 0xFFFFFFFF {
			// Rebuild the package with a zip64 entry declaring the size.
			return rebuildDeclaring(t, zr, name, size)
		}
		// Central directory entry: signature, then the fixed fields.
		sig := []byte{'P', 'K', 1, 2}
		for off := bytes.Index(b, sig); off >= 0; {
			nameLen := int(binary.LittleEndian.Uint16(b[off+28:]))
			if string(b[off+46:off+46+nameLen]) == name {
				binary.LittleEndian.PutUint32(b[off+24:], uint32(size))
				local := int(binary.LittleEndian.Uint32(b[off+42:]))
				binary.LittleEndian.PutUint32(b[local+22:], uint32(size))
				return b
			}
			next := bytes.Index(b[off+4:], sig)
			if next < 0 {
				break
			}
			off += 4 + next
		}
	}
	t.Fatalf("no %s in the package", name)
	return nil
}

// rebuildDeclaring copies zr, writing name raw with a declared size.
func rebuildDeclaring(t *testing.T, zr *zip.Reader, name string, size uint64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == name {
			h.UncompressedSize64 = size
			h.CRC32 = crc32.ChecksumIEEE(nil)
		}
		w, err := zw.CreateRaw(&h)
		must(t, err)
		rc, err := f.OpenRaw()
		must(t, err)
		_, err = io.Copy(w, rc)
		must(t, err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// oleWithoutEncryption is the head of a compound file that is not an
// encrypted package: what a legacy .xls starts with.
func oleWithoutEncryption() []byte {
	b := make([]byte, 4096)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	return b
}
