package route_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/ranstream/ranstream/pkg/chunk"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/internal/corpustest"
	"github.com/ranstream/ranstream/pkg/llmextract"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/route"
)

// textBlobs serves one document's text to the chunk stage.
type textBlobs map[string][]byte

func (b textBlobs) Get(_ context.Context, name string) ([]byte, error) { return b[name], nil }
func (b textBlobs) Open(_ context.Context, name string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(b[name])), nil
}

// corpusChunks are the chunks of corpus/elex as the chunk stage emits them
// (start mode basic, family and context set); loaded once.
var corpusChunks = sync.OnceValues(func() ([]event.Chunk, error) {
	dir := corpustest.Path("elex")
	if fi, err := os.Stat(dir); dir == "" || err != nil || !fi.IsDir() {
		return nil, os.ErrNotExist
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	var out []event.Chunk
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		st, err := chunk.NewStage(chunk.Config{}, extraction.ModeBasic, textBlobs{"t": b})
		if err != nil {
			return nil, err
		}
		evs, err := st.Handle(context.Background(), event.Extracted{V: event.Version,
			Doc: event.Doc{ID: "sha256:" + filepath.Base(f), Source: filepath.Base(f)}, Format: "markdown",
			TextBlob: "t", TextLen: len(b)})
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if c, ok := e.(event.Chunk); ok {
				out = append(out, c)
			}
		}
	}
	return out, nil
})

type discard struct{}

func (discard) Accept(context.Context, results.ChunkRecord) error { return nil }

// ladder extracts and scores c until the router accepts it, as the
// llm-extract and quality-route stages do, and returns the rounds it took.
func ladder(tb testing.TB, lx *llmextract.Extractor, rt *route.Router, c event.Chunk) int {
	ctx := context.Background()
	for rounds := 1; ; rounds++ {
		out, err := lx.Handle(ctx, c)
		if err != nil {
			tb.Fatal(err)
		}
		next, err := rt.Handle(ctx, out[0].(event.Extraction))
		if err != nil {
			tb.Fatal(err)
		}
		if len(next) == 0 {
			return rounds
		}
		c = next[0].(event.Chunk)
	}
}

// BenchmarkLadder measures the work of routing (extraction and score,
// climbing the ladder) over the chunks of corpus/elex: chunks per second and
// the extraction and score rounds per chunk, every chunk starting at basic
// (climb) or at the mode Router.StartFor classifies it into (classified).
func BenchmarkLadder(b *testing.B) {
	chunks, err := corpusChunks()
	if err != nil || len(chunks) == 0 {
		b.Skip("no corpus/elex above the package")
	}
	rt, err := route.New(route.Config{}, discard{})
	if err != nil {
		b.Fatal(err)
	}
	lx := llmextract.New(nil)
	for _, classified := range []bool{false, true} {
		b.Run(map[bool]string{false: "climb", true: "classified"}[classified], func(b *testing.B) {
			n, rounds := 0, 0
			for b.Loop() {
				c := chunks[n%len(chunks)]
				if classified {
					c.Mode = rt.StartFor(input(c))
				}
				rounds += ladder(b, lx, rt, c)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "chunks/s")
			b.ReportMetric(float64(rounds)/float64(n), "rounds/chunk")
		})
	}
}

func input(c event.Chunk) extraction.Input {
	return extraction.Input{Text: c.Text, Headings: c.Headings, Context: c.Context, Family: c.Family, Format: c.Format}
}

type last struct{ rec results.ChunkRecord }

func (l *last) Accept(_ context.Context, r results.ChunkRecord) error {
	l.rec = r
	return nil
}

// TestStartFor_keepsEveryResultOfTheCorpus: every chunk of corpus/elex ends
// in the same mode with the same result and quality whether it starts at
// basic or where Router.StartFor puts it; only the modes it tried differ.
func TestStartFor_keepsEveryResultOfTheCorpus(t *testing.T) {
	chunks, err := corpusChunks()
	if err != nil || len(chunks) == 0 {
		t.Skip("no corpus/elex above the package")
	}
	acc := &last{}
	rt, err := route.New(route.Config{}, acc)
	if err != nil {
		t.Fatal(err)
	}
	lx := llmextract.New(nil)
	started, held := map[extraction.Mode]int{}, map[extraction.Mode]int{}
	roundsClimb, roundsStart := 0, 0
	for _, c := range chunks {
		roundsClimb += ladder(t, lx, rt, c)
		want := acc.rec
		c.Mode = rt.StartFor(input(c))
		roundsStart += ladder(t, lx, rt, c)
		got := acc.rec
		started[c.Mode]++
		if got.Mode == c.Mode {
			held[c.Mode]++
		}
		if got.Mode != want.Mode || got.Quality != want.Quality || !reflect.DeepEqual(got.Result, want.Result) || got.Note != want.Note {
			t.Errorf("%s chunk %d started at %s: mode %s quality %v, climbing from basic gives %s %v (tried %v)",
				c.Doc.Source, c.Index, c.Mode, got.Mode, got.Quality, want.Mode, want.Quality, want.ModesTried)
		}
	}
	t.Logf("%d chunks: start modes %v, held there %v; rounds %d climbing from basic, %d from the classified start",
		len(chunks), started, held, roundsClimb, roundsStart)
	if started[extraction.ModeFeatureGrouped] == 0 {
		t.Error("no chunk of corpus/elex classified feature_grouped")
	}
}
