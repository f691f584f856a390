package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Merged ranges are read from the worksheet XML by a scan of our own: excelize
// only hands them out after loading the whole worksheet into memory, which is
// what its row iterator exists to avoid. The <mergeCells> list follows
// <sheetData>, so the scan runs before the rows are read.
const (
	// maxMerges bounds the merged ranges kept per sheet.
	maxMerges = 1 << 16
	// maxMergeFill bounds how many columns one merged range fills.
	maxMergeFill = 512
)

// mergeRange is a merged range, 1-based and inclusive, and the value of its
// top-left cell once that row has been read.
type mergeRange struct {
	c1, r1, c2, r2 int
	val            string
}

// sheetParts maps sheet names to their worksheet parts in zr, through
// xl/workbook.xml and its relationships. A sheet it cannot place is left out:
// its rows are still read, its merged cells are not filled.
func sheetParts(zr *zip.Reader) map[string]*zip.File {
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(files["xl/workbook.xml"], &wb) != nil || decodePart(files["xl/_rels/workbook.xml.rels"], &rels) != nil {
		return nil
	}
	targets := make(map[string]string, len(rels.Rels))
	for _, r := range rels.Rels {
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = strings.ToLower(path.Clean(t))
	}
	parts := make(map[string]*zip.File, len(wb.Sheets))
	for _, s := range wb.Sheets {
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				if f := files[targets[a.Value]]; f != nil {
					parts[s.Name] = f
				}
			}
		}
	}
	return parts
}

// decodePart decodes a small XML part (workbook, relationships).
func decodePart(f *zip.File, v any) error {
	if f == nil {
		return errors.New("missing part")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(v)
}

// scanMerges reads the merged ranges of a worksheet part, sorted by first
// row. It reads the part tag by tag without parsing it as a whole.
func scanMerges(f *zip.File) ([]mergeRange, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var merges []mergeRange
	for {
		seg, err := br.ReadSlice('>')
		if i := bytes.Index(seg, []byte("mergeCell ")); i >= 0 && len(merges) < maxMerges {
			if m, ok := parseMergeTag(seg[i:]); ok {
				merges = append(merges, m)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			slices.SortStableFunc(merges, func(a, b mergeRange) int { return a.r1 - b.r1 })
			return merges, nil
		case err != nil:
			return merges, err
		}
	}
}

// parseMergeTag reads ref="A1:C3" from a <mergeCell> tag.
func parseMergeTag(tag []byte) (mergeRange, bool) {
	i := bytes.Index(tag, []byte(`ref="`))
	if i < 0 {
		return mergeRange{}, false
	}
	ref := tag[i+5:]
	j := bytes.IndexByte(ref, '"')
	if j < 0 {
		return mergeRange{}, false
	}
	from, to, ok := strings.Cut(string(ref[:j]), ":")
	if !ok {
		return mergeRange{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	if c2 < c1 {
		c1, c2 = c2, c1
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	return mergeRange{c1: c1, r1: r1, c2: min(c2, c1+maxMergeFill-1), r2: r2}, true
}

// merger fills merged ranges row by row, as the rows stream by: every cell of
// a range takes the value of its top-left cell, and the cells right of the
// first column are marked as continuations.
type merger struct {
	all    []mergeRange // sorted by r1
	next   int
	active []*mergeRange
	cont   []bool
}

// apply fills row num (1-based) and returns its cells and continuation marks.
func (m *merger) apply(num int, cells []string) ([]string, []bool) {
	if len(m.all) == 0 {
		return cells, nil
	}
	for m.next < len(m.all) && m.all[m.next].r1 <= num {
		mr := &m.all[m.next]
		if mr.r1 == num && mr.c1 <= len(cells) {
			mr.val = cells[mr.c1-1]
		}
		m.active = append(m.active, mr)
		m.next++
	}
	m.active = slices.DeleteFunc(m.active, func(mr *mergeRange) bool { return mr.r2 < num })
	m.cont = m.cont[:0]
	if len(m.active) == 0 {
		return cells, nil
	}
	for _, mr := range m.active {
		if mr.val == "" {
			continue
		}
		for len(cells) < mr.c2 {
			cells = append(cells, "")
		}
		for len(m.cont) < len(cells) {
			m.cont = append(m.cont, false)
		}
		for c := mr.c1; c <= mr.c2; c++ {
			if c == mr.c1 && num == mr.r1 {
				continue
			}
			if cells[c-1] == "" {
				cells[c-1] = mr.val
				m.cont[c-1] = c > mr.c1
			}
		}
	}
	return cells, m.cont
}
