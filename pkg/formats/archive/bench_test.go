package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
)

// BenchmarkWalk walks a documentation library of 64 deflated members of 256 KiB
// spec-like text each, reading every member to its end; bytes are uncompressed.
func BenchmarkWalk(b *testing.B) {
	var entries []entry
	var total int64
	for i := range 64 {
		body := text(256 << 10)
		entries = append(entries, entry{name: fmt.Sprintf("Rel-18/38_series/38%03d-i00.docx", i), body: body})
		total += int64(len(body))
	}
	z := zipOf(b, entries...)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Walk(context.Background(), bytes.NewReader(z), int64(len(z)), 0, Config{}, func(_ Member, rd io.Reader) error {
			_, err := io.Copy(io.Discard, rd)
			return err
		})
		if err != nil || rep.Members != len(entries) {
			b.Fatalf("%+v, %v", rep, err)
		}
	}
}
