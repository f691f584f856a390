package chunk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
)

// mapBlobs is a blob store over a map, counting how often each blob is read.
type mapBlobs struct {
	m     map[string][]byte
	reads map[string]int
}

func (b *mapBlobs) Get(_ context.Context, name string) ([]byte, error) {
	b.reads[name]++
	data, ok := b.m[name]
	if !ok {
		return nil, fmt.Errorf("no blob %s", name)
	}
	return data, nil
}

func (b *mapBlobs) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	data, err := b.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func TestStage_streamsLargeTextsLikeSmallOnes(t *testing.T) {
	text := "# Zeta Boost\n\n| Feature Identity | FAJ 121 9901 |\n|---|---|\n| Value Package | Zeta |\n\n" +
		genDoc(rand.New(rand.NewPCG(3, 3)), 300_000, true)
	blobs := &mapBlobs{m: map[string][]byte{"text-z": []byte(text)}, reads: map[string]int{}}
	s, err := NewStage(Config{Target: 500}, "basic", blobs)
	if err != nil {
		t.Fatal(err)
	}
	in := event.Extracted{V: event.Version, Doc: event.Doc{ID: "sha256:ab", Source: "z.md"}, Format: "markdown",
		TextBlob: "text-z", TextLen: len(text), Title: "Zeta"}
	whole, err := s.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	s.StreamAbove(1000)
	streamed, err := s.Handle(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if blobs.reads["text-z"] != 3 {
		t.Errorf("text read %d times, want 3 (whole once, streamed twice)", blobs.reads["text-z"])
	}
	if len(whole) < 100 {
		t.Fatalf("only %d events for %d bytes of text", len(whole), len(text))
	}
	if c := whole[0].(event.Chunked); c.Total != len(whole)-1 || c.Title != "Zeta" {
		t.Errorf("first event %+v, want docs.chunked with total %d", c, len(whole)-1)
	}
	if !strings.Contains(whole[1].(event.Chunk).Context, "FAJ 121 9901") {
		t.Errorf("identity context %q lacks the feature", whole[1].(event.Chunk).Context)
	}
	if len(streamed) != len(whole) {
		t.Fatalf("streamed %d events, whole %d", len(streamed), len(whole))
	}
	for i := range whole {
		if !reflect.DeepEqual(streamed[i], whole[i]) {
			t.Fatalf("event %d differs:\nstreamed %+v\nwhole    %+v", i, streamed[i], whole[i])
		}
	}
}

func TestStage_failures(t *testing.T) {
	blobs := &mapBlobs{m: map[string][]byte{"blank": []byte(" \n\n \t\n")}, reads: map[string]int{}}
	s, err := NewStage(Config{}, "basic", blobs)
	if err != nil {
		t.Fatal(err)
	}
	for _, above := range []int{0, 1} {
		s.StreamAbove(above)
		_, err := s.Handle(context.Background(), event.Extracted{Doc: event.Doc{Source: "b.txt"}, TextBlob: "blank", TextLen: 6})
		if !fault.IsPermanent(err) || !strings.Contains(err.Error(), "no text") {
			t.Errorf("blank text (stream above %d): %v, want a permanent 'no text' error", above, err)
		}
		_, err = s.Handle(context.Background(), event.Extracted{Doc: event.Doc{Source: "m.txt"}, TextBlob: "missing", TextLen: 6})
		if err == nil || fault.IsPermanent(err) || !strings.Contains(err.Error(), "m.txt") {
			t.Errorf("missing blob (stream above %d): %v, want a transient error naming the document", above, err)
		}
	}
	// An emit failure (the bus) stops the stream and comes back.
	blobs.m["t"] = []byte(strings.Repeat("Some words here.\n\n", 5000))
	s.StreamAbove(1)
	gone := errors.New("publish: connection closed")
	n := 0
	err = s.Stream(context.Background(), event.Extracted{Doc: event.Doc{Source: "t.md"}, TextBlob: "t", TextLen: 90000},
		func(event.Event) error {
			if n++; n == 5 {
				return gone
			}
			return nil
		})
	if !errors.Is(err, gone) || n != 5 {
		t.Errorf("emit failure: %v after %d events, want %v after 5", err, n, gone)
	}
}
