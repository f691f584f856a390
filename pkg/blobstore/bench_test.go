package blobstore_test

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkGet reads a blob the size of an ELEX document (40 KB, two
// chunks) and the head of it, as detect, extract and chunk do once per
// document, against an in-process JetStream server (its CPU counts).
func BenchmarkGet(b *testing.B) {
	_, s := open(b)
	ctx := context.Background()
	text := strings.Repeat("a line of feature document text\n", 1250)
	if err := s.Put(ctx, "doc", strings.NewReader(text)); err != nil {
		b.Fatal(err)
	}
	b.Run("Get", func(b *testing.B) {
		for b.Loop() {
			got, err := s.Get(ctx, "doc")
			if err != nil || len(got) != len(text) {
				b.Fatalf("got %d bytes, %v", len(got), err)
			}
		}
	})
	b.Run("Head", func(b *testing.B) {
		for b.Loop() {
			got, err := s.Head(ctx, "doc", 4096)
			if err != nil || len(got) != 4096 {
				b.Fatalf("got %d bytes, %v", len(got), err)
			}
		}
	})
}
