package html

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
)

func convert(t *testing.T, src string, opt Options) (string, formats.Info) {
	t.Helper()
	var out bytes.Buffer
	info, err := Convert(context.Background(), strings.NewReader(src), int64(len(src)), &out, formats.Limits{}, opt)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return out.String(), info
}

func page(body string) string {
	return "<!DOCTYPE html><html><head><title>Page</title></head><body><h1>Feature</h1>" + body + "</body></html>"
}

func TestHTML_dropsBoilerplate(t *testing.T) {
	tests := []struct{ name, body string }{
		{"script and style", `<script>var BOILER = 1;</script><style>.BOILER{color:red}</style><noscript>BOILER</noscript>`},
		{"navigation", `<nav><a href="/">BOILER home</a></nav><div role="navigation">BOILER menu</div>`},
		{"page header and footer", `<header><img alt="logo">BOILER banner</header><footer>BOILER copyright</footer>`},
		{"sidebar", `<aside>BOILER related links</aside>`},
		{"search form", `<form action="/search"><label>BOILER Search</label><input name="q"><button>BOILER Go</button></form>`},
		{"hidden attribute", `<div hidden>BOILER</div><span aria-hidden="true">BOILER</span>`},
		{"inline hidden style", `<div style="display: none">BOILER</div><p style="visibility:hidden">BOILER</p><span style='mso-hide:all'>BOILER</span>`},
		{"hidden by the style sheet", `<style>#drop { display:none; border:1px } .tip{display:none} @media print { .screen {display:none} }</style><div id="drop">BOILER drop zone</div><p class="tip">BOILER tip</p><p class="screen">Screen text</p>`},
		{"iframe and svg", `<iframe src="x">BOILER</iframe><svg><text>BOILER</text></svg>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := convert(t, page(tt.body+"<p>Content stays.</p>"), Options{})
			if strings.Contains(out, "BOILER") {
				t.Errorf("boilerplate kept:\n%s", out)
			}
			if !strings.Contains(out, "Content stays.") {
				t.Errorf("content lost:\n%s", out)
			}
		})
	}
	t.Run("keeps what looks like boilerplate but is content", func(t *testing.T) {
		out, _ := convert(t, page(`<article><header><h2>Dependencies</h2></header><p>Requires FAJ 121 3051.</p></article>`+
			`<form method="post"><table><tr><th>Name</th><th>Size</th></tr><tr><td>a.zip</td><td>12</td></tr></table></form>`+
			`<style>@media print { .screen {display:none} }</style><p class="screen">Screen text</p>`), Options{})
		for _, want := range []string{"## Dependencies", "Requires FAJ 121 3051.", "| a.zip | 12 |", "Screen text"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
		}
	})
}

func TestHTML_structure(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"headings by level",
			`<h2>Parameters</h2><p>Text.</p><h3>  Details
			 here </h3>`,
			"# Feature\n\n## Parameters\n\nText.\n\n### Details here\n\n"},
		{"paragraphs collapse whitespace and keep line breaks",
			`<p>One   two
			three<br>four&nbsp;&nbsp;five</p><div>six <b>seven</b></div>`,
			"# Feature\n\nOne two three\nfour five\n\nsix seven\n\n"},
		{"nested lists",
			`<ul><li>LTE<ul><li>FDD</li><li>TDD</li></ul></li><li>NR</li></ul><ol start="3"><li>Lock</li><li>Unlock</li></ol>`,
			"# Feature\n\n- LTE\n  - FDD\n  - TDD\n- NR\n\n3. Lock\n4. Unlock\n\n"},
		{"definition list",
			`<dl><dt>qRxLevMin</dt><dd>Minimum RX level.</dd></dl>`,
			"# Feature\n\n- qRxLevMin\n  Minimum RX level.\n\n"},
		{"links keep their text and lose their URLs",
			`<p>See <a href="https://example.com/x">Cell Soft Lock</a>.</p>`,
			"# Feature\n\nSee Cell Soft Lock.\n\n"},
		{"pre and code are kept",
			`<p>Run <code>cmedit get *</code>:</p><pre>cmedit set ENodeBFunction=1 \
    eNBId=1</pre>`,
			"# Feature\n\nRun cmedit get *:\n\n```\ncmedit set ENodeBFunction=1 \\\n    eNBId=1\n```\n\n"},
		{"text that reads as markdown is escaped",
			`<p># not a heading</p><p>| not a table</p>`,
			"# Feature\n\n\\# not a heading\n\n\\| not a table\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := convert(t, page(tt.body), Options{})
			if out != tt.want {
				t.Errorf("got\n%q\nwant\n%q", out, tt.want)
			}
		})
	}
}

func TestHTML_tablesToMarkdown(t *testing.T) {
	tests := []struct{ name, table, want string }{
		{"header cells and whitespace",
			`<table><tr><th>Parameter</th><th>Description</th></tr>
			<tr><td>qRxLevMin</td><td>Minimum
			  required <b>RX</b> level<br>in the cell</td></tr></table>`,
			"| Parameter | Description |\n| --- | --- |\n| qRxLevMin | Minimum required RX level in the cell |"},
		{"first row is the header without th",
			`<table><tr><td>MO</td><td>Attribute</td></tr><tr><td>EUtranCellFDD</td><td>qQualMin</td></tr></table>`,
			"| MO | Attribute |\n| --- | --- |\n| EUtranCellFDD | qQualMin |"},
		{"thead rows",
			`<table><thead><tr><td>AI</td><td>TD#</td></tr></thead><tbody><tr><td>2</td><td>S2-2001774</td></tr></tbody></table>`,
			"| AI | TD# |\n| --- | --- |\n| 2 | S2-2001774 |"},
		{"colspan repeats in the header, blank in the body",
			`<table><tr><th>Name</th><th colspan="2">Range</th></tr>
			<tr><td>a</td><td>0</td><td>15</td></tr><tr><td colspan="2">wide</td><td>x</td></tr></table>`,
			"| Name | Range | Range |\n| --- | --- | --- |\n| a | 0 | 15 |\n| wide |  | x |"},
		{"rowspan repeats down",
			`<table><tr><th>MO</th><th>Attribute</th></tr>
			<tr><td rowspan="2">EUtranCellFDD</td><td>qRxLevMin</td></tr><tr><td>qQualMin</td></tr></table>`,
			"| MO | Attribute |\n| --- | --- |\n| EUtranCellFDD | qRxLevMin |\n| EUtranCellFDD | qQualMin |"},
		{"two header rows are joined",
			`<table><tr><th rowspan="2">Cell</th><th colspan="2">Power</th></tr><tr><th>Max</th><th>Min</th></tr>
			<tr><td>A1</td><td>46</td><td>10</td></tr></table>`,
			"| Cell | Power Max | Power Min |\n| --- | --- | --- |\n| A1 | 46 | 10 |"},
		{"pipes escaped, empty rows and columns dropped",
			`<table><tr><th></th><th>Range</th></tr><tr><td><img src=i.png></td><td>0|1</td></tr><tr><td> </td><td>&nbsp;</td></tr></table>`,
			"| Range |\n| --- |\n| 0\\|1 |"},
		{"a one-column layout table is read as blocks",
			`<table><tr><td><p>IPR call reminder:</p><ul><li>declare IPR</li></ul></td></tr></table>`,
			"IPR call reminder:\n\n- declare IPR"},
		{"a table holding tables is read as blocks",
			`<table><tr><td><h2>Side</h2></td><td><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></td></tr></table>`,
			"## Side\n\n| A | B |\n| --- | --- |\n| 1 | 2 |"},
		{"hostile spans stay bounded",
			`<table><tr><th colspan="100000">A</th></tr><tr><td rowspan="99999999">x</td></tr></table>`,
			"| A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A | A |\n| --- " + strings.Repeat("| --- ", 99) + "|\n| x " + strings.Repeat("|  ", 99) + "|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := convert(t, "<body>"+tt.table+"</body>", Options{})
			if got := strings.TrimSpace(out); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestHTML_charsetFromMeta(t *testing.T) {
	// "Café “quoted” – 5 €" in windows-1252.
	const cp1252 = "Caf\xe9 \x93quoted\x94 \x96 5 \x80"
	const want = "Café “quoted” – 5 €"
	tests := []struct {
		name, src, given, charset, source string
	}{
		{"meta charset", `<html><head><meta charset="windows-1252"><title>t</title></head><body><p>` + cp1252 + `</p></body></html>`,
			"", "windows-1252", sourceMeta},
		{"http-equiv content type", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>` + cp1252 + `</p></body></html>`,
			"", "windows-1252", sourceMeta},
		{"ISO-8859-1 label reads as windows-1252", `<meta content="text/html; charset=iso-8859-1" http-equiv=content-type><p>` + cp1252 + `</p>`,
			"", "windows-1252", sourceMeta},
		{"meta beyond the first KiB (Word export)", `<html><!--` + strings.Repeat("x", 3000) + `--><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252"></head><p>` + cp1252 + `</p>`,
			"", "windows-1252", sourceMeta},
		{"meta wins over the given encoding", `<meta charset="windows-1252"><p>` + cp1252 + `</p>`,
			"ISO-8859-2", "windows-1252", sourceMeta},
		{"BOM wins over meta", "\xEF\xBB\xBF<meta charset=\"windows-1252\"><p>" + want + "</p>",
			"", "UTF-8", sourceBOM},
		{"meta UTF-8 on windows-1252 bytes is overruled", `<meta charset="utf-8"><p>` + strings.Repeat(cp1252+" ", 30) + `</p>`,
			"", "windows-1252", sourceDetected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convert(t, tt.src, Options{Encoding: tt.given})
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
			if info.Meta["charset"] != tt.charset || info.Meta["charset_source"] != tt.source {
				t.Errorf("charset %q from %q, want %q from %q", info.Meta["charset"], info.Meta["charset_source"], tt.charset, tt.source)
			}
		})
	}
}

func TestHTML_windows1252Detected(t *testing.T) {
	// A Word export without any charset declaration.
	body := "<p>The delegate\x92s proposal \x93S2-2001774\x94 was noted \x96 see clause 5.2.</p>" +
		"<p>Caf\xe9 na\xefve r\xe9sum\xe9 \x85 \xa9 3GPP</p>"
	src := "<html><head><title>Tdocs</title></head><body>" + strings.Repeat(body, 5) + "</body></html>"
	for _, given := range []string{"", "windows-1252"} {
		t.Run("given "+given, func(t *testing.T) {
			out, info := convert(t, src, Options{Encoding: given})
			for _, want := range []string{"delegate’s proposal “S2-2001774” was noted – see", "Café naïve résumé … © 3GPP"} {
				if !strings.Contains(out, want) {
					t.Errorf("no %q in\n%s", want, out)
				}
			}
			if info.Meta["charset"] != "windows-1252" {
				t.Errorf("charset %q", info.Meta["charset"])
			}
		})
	}
	t.Run("UTF-8 detected", func(t *testing.T) {
		out, info := convert(t, "<p>Größe – “ok”</p>", Options{})
		if !strings.Contains(out, "Größe – “ok”") || info.Meta["charset"] != "UTF-8" {
			t.Errorf("charset %q:\n%s", info.Meta["charset"], out)
		}
	})
}

func TestHTML_directoryListing(t *testing.T) {
	iis := `<html><head><title>www.3gpp.org - /ftp/Specs/latest/Rel-16/23_series/</title></head><body>` +
		`<h1>www.3gpp.org - /ftp/Specs/latest/Rel-16/23_series/</h1><hr><pre><a href="/ftp/Specs/latest/Rel-16/">[To Parent Directory]</a><br><br>` +
		` 3/26/2019  4:49 PM       853676 <a href="/ftp/Specs/latest/Rel-16/23_series/23041-g00.zip">23041-g00.zip</a><br>` +
		` 3/25/2019  3:03 PM      5811189 <a href="/ftp/Specs/latest/Rel-16/23_series/23060-g00.zip">23060-g00.zip</a><br>` +
		`12/1/2019 11:05 AM        &lt;dir&gt; <a href="/ftp/Specs/latest/Rel-16/23_series/Archive/">Archive</a><br></pre><hr></body></html>`
	apache := `<html><head><title>Index of /specs</title></head><body><h1>Index of /specs</h1><pre>` +
		`<a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>      <a href="?C=S;O=A">Size</a><hr>` +
		`<a href="/">Parent Directory</a>                             -` + "\n" +
		`<a href="38331-i40.zip">38331-i40.zip</a>           2024-01-05 10:12  3.9M` + "\n" +
		`<a href="old/">old/</a>                    05-Jan-2024 10:12    -` + "\n" +
		`</pre></body></html>`
	code := `<body><pre>if x:
    y = 1/2/2019
</pre></body>`
	tests := []struct {
		name, src, want string
		entries         string
	}{
		{"IIS", iis, "# www.3gpp.org - /ftp/Specs/latest/Rel-16/23_series/\n\n| Name | Date | Size |\n| --- | --- | --- |\n" +
			"| 23041-g00.zip | 2019-03-26 16:49 | 853676 |\n| 23060-g00.zip | 2019-03-25 15:03 | 5811189 |\n| Archive | 2019-12-01 11:05 | directory |\n\n", "3"},
		{"Apache", apache, "# Index of /specs\n\n| Name | Date | Size |\n| --- | --- | --- |\n" +
			"| 38331-i40.zip | 2024-01-05 10:12 | 3.9M |\n| old/ | 2024-01-05 10:12 | directory |\n\n", "2"},
		{"code is not a listing", code, "```\nif x:\n    y = 1/2/2019\n```\n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, info := convert(t, tt.src, Options{})
			if out != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
			if info.Meta["listing_entries"] != tt.entries {
				t.Errorf("listing_entries %q, want %q", info.Meta["listing_entries"], tt.entries)
			}
		})
	}
}

func TestHTML_title(t *testing.T) {
	out, info := convert(t, `<title> Cell
	Soft Lock </title><p>Text.</p>`, Options{})
	if info.Title != "Cell Soft Lock" || out != "# Cell Soft Lock\n\nText.\n\n" {
		t.Errorf("title %q, out %q", info.Title, out)
	}
	// With an h1 of its own, the page is not given a second one.
	out, _ = convert(t, page("<p>Text.</p>"), Options{})
	if out != "# Feature\n\nText.\n\n" {
		t.Errorf("out %q", out)
	}
}

func TestHTML_hostileInput(t *testing.T) {
	t.Run("deep nesting", func(t *testing.T) {
		// Deeper than the parser goes: read as plain text, with a warning.
		src := "<style>p{}</style>" + strings.Repeat("<div><span>", 20000) + "deep text<p>more" + strings.Repeat("</span></div>", 20000)
		out, info := convert(t, src, Options{})
		if out != "deep text\n\nmore\n\n" || len(info.Warnings) != 1 {
			t.Errorf("out %q, warnings %q", out, info.Warnings)
		}
		src = strings.Repeat("<div><span>", 200) + "<p>within the parser's depth</p>" + strings.Repeat("</span></div>", 200)
		out, info = convert(t, src, Options{})
		if out != "within the parser's depth\n\n" || len(info.Warnings) != 0 {
			t.Errorf("out %q, warnings %q", out, info.Warnings)
		}
	})
	t.Run("output limit", func(t *testing.T) {
		src := page(strings.Repeat("<p>a paragraph of text</p>", 1000))
		_, err := Convert(context.Background(), strings.NewReader(src), int64(len(src)), io.Discard, formats.Limits{MaxOutput: 500}, Options{})
		if !errors.Is(err, formats.ErrTooLarge) || !fault.IsPermanent(err) {
			t.Errorf("err %v, want a permanent ErrTooLarge", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		src := page(strings.Repeat("<p>text</p>", 10000))
		_, err := Convert(ctx, strings.NewReader(src), int64(len(src)), io.Discard, formats.Limits{}, Options{})
		if !errors.Is(err, context.Canceled) || fault.IsPermanent(err) {
			t.Errorf("err %v, want context.Canceled, not permanent", err)
		}
	})
	t.Run("read error stays transient", func(t *testing.T) {
		_, err := Convert(context.Background(), failingReaderAt{}, 100, io.Discard, formats.Limits{}, Options{})
		if err == nil || fault.IsPermanent(err) {
			t.Errorf("err %v, want a transient error", err)
		}
	})
	t.Run("not HTML at all", func(t *testing.T) {
		out, _ := convert(t, "\x00\x01binary\xff\xfe garbage", Options{})
		if strings.Contains(out, "\x00") {
			t.Errorf("NUL in output %q", out)
		}
	})
}

type failingReaderAt struct{}

func (failingReaderAt) ReadAt([]byte, int64) (int, error) {
	return 0, errors.New("blob store: connection reset")
}
