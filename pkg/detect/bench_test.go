package detect

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func BenchmarkDetect(b *testing.B) {
	markdown := head(strings.Repeat("## 4.2 Parameters\n\n| Name | Value |\n|---|---|\n| EUtranCellFDD.pdcchTargetBler | 24 |\n\nThe feature — FAJ 121 3051 — improves PDCCH link adaptation.\n\n", 600))
	latin, err := charmap.Windows1252.NewEncoder().String(strings.Repeat("Stipan Arkadiewitsch was tegenover zich zelf “oprecht” – hij kon niet liegen, één keer per dag. ", 700))
	if err != nil {
		b.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.Repeat("1\n00:00:06,500 --> 00:00:09,000\nAbout 2 months ago\n\n", 1200))
	if err != nil {
		b.Fatal(err)
	}
	var docx bytes.Buffer
	docx.WriteString(magicZip)
	docx.Write(make([]byte, 22))
	docx.Write([]byte{19, 0, 0, 0})
	docx.WriteString("[Content_Types].xml")
	docx.Write(bytes.Repeat([]byte{0xAB}, HeadSize-docx.Len()))
	cases := []struct {
		name, file string
		head       []byte
	}{
		{"markdown-utf8", "feature.md", markdown},
		{"markdown-sniffed", "README", markdown},
		{"text-windows-1252", "novel.txt", head(latin)},
		{"text-utf16-bom", "subs.srt", head(utf16)},
		{"html-noext", "page", append([]byte("<!DOCTYPE html>\n<html>"), markdown[:HeadSize-22]...)},
		{"docx", "cr.docx", docx.Bytes()},
	}
	for _, c := range cases {
		if len(c.head) != HeadSize || Detect(c.file, c.head).Format == FormatUnknown {
			b.Fatalf("%s: fixture of %d bytes detected as %+v", c.name, len(c.head), Detect(c.file, c.head))
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.head)))
			b.ReportAllocs()
			for b.Loop() {
				Detect(c.file, c.head)
			}
		})
	}
}

// head returns the first HeadSize bytes of s.
func head(s string) []byte {
	b := []byte(s)
	return b[:min(len(b), HeadSize)]
}
