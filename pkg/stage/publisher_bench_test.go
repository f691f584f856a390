package stage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/stage"
)

// BenchmarkPublish publishes the chunks of a document (1 KB of text each) to
// an in-process JetStream server, one confirmed publish after another or as
// a batch with 256 in flight: what the chunk stage does per document.
func BenchmarkPublish(b *testing.B) {
	ns := natstest.Server(b)
	nc, js := natstest.Connect(b, ns)
	natstest.Topology(b, js, 0)
	pub, err := stage.NewPublisher(nc)
	if err != nil {
		b.Fatal(err)
	}
	text := string(make([]byte, 1024))
	chunk := func(run, i int) event.Chunk {
		return event.Chunk{V: event.Version, Doc: event.Doc{ID: fmt.Sprintf("sha256:%064d", run)}, Index: i, Total: 1000,
			Text: text, Mode: "basic"}
	}
	ctx := context.Background()
	run := 0
	b.Run("one-by-one", func(b *testing.B) {
		for b.Loop() {
			run++
			for i := range 1000 {
				if err := pub.Publish(ctx, chunk(run, i), ""); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			run++
			batch := pub.Batch(ctx, "")
			for i := range 1000 {
				if err := batch.Add(chunk(run, i)); err != nil {
					b.Fatal(err)
				}
			}
			if err := batch.Wait(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "msgs/s")
	})
}
