package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
)

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// testStyles defines the styles the tests use: built-in headings with their
// outline levels, the 3GPP H6 and PL styles, and a custom style that
// inherits a heading's outline level.
const testStyles = `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading5"><w:name w:val="heading 5"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="4"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="H6"><w:name w:val="H6"/><w:basedOn w:val="Heading5"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="AnnexTitle"><w:name w:val="Annex Title"/><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="B1"><w:name w:val="B1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="PL"><w:name w:val="PL"/></w:style>
<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="Heading 1 Char"/></w:style>`

const testNumbering = `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`

// docxFile describes a package to build.
type docxFile struct {
	body      string
	styles    string // w:style elements; testStyles when empty
	numbering string // numbering content; testNumbering when empty
	noStyles  bool
	// parts replaces or adds raw parts by name.
	parts map[string]string
}

func (d docxFile) build() []byte {
	styles := d.styles
	if styles == "" {
		styles = testStyles
	}
	numbering := d.numbering
	if numbering == "" {
		numbering = testNumbering
	}
	parts := map[string]string{
		"[Content_Types].xml":          `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":                  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`,
		"word/document.xml":            fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="%s" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>%s<w:sectPr><w:pgSz w:w="11907" w:h="16840"/></w:sectPr></w:body></w:document>`, wNS, d.body),
		"word/numbering.xml":           fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="%s">%s</w:numbering>`, wNS, numbering),
	}
	if !d.noStyles {
		parts["word/styles.xml"] = fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="%s">%s</w:styles>`, wNS, styles)
	}
	for k, v := range d.parts {
		if v == "" {
			delete(parts, k)
		} else {
			parts[k] = v
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml", "word/numbering.xml"} {
		if v, ok := parts[name]; ok {
			w, _ := zw.Create(name)
			w.Write([]byte(v))
			delete(parts, name)
		}
	}
	for name, v := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(v))
	}
	zw.Close()
	return buf.Bytes()
}

// p is a paragraph of plain runs in a style ("" for none).
func p(style string, runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		fmt.Fprintf(&b, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, style)
	}
	for _, r := range runs {
		b.WriteString(r)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// r is a run of text; tabs become w:tab.
func r(text string) string {
	parts := strings.Split(text, "\t")
	var b strings.Builder
	b.WriteString("<w:r>")
	for i, s := range parts {
		if i > 0 {
			b.WriteString("<w:tab/>")
		}
		if s != "" {
			fmt.Fprintf(&b, `<w:t xml:space="preserve">%s</w:t>`, s)
		}
	}
	b.WriteString("</w:r>")
	return b.String()
}

// tc is a table cell holding paragraphs; props are raw w:tcPr children.
func tc(props string, paras ...string) string {
	return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + strings.Join(paras, "") + "</w:tc>"
}

func tbl(rows ...string) string {
	return `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` + strings.Join(rows, "") + "</w:tbl>"
}

func tr(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }
