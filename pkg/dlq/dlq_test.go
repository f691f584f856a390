package dlq_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/dlq"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/pkg/stage"
	"github.com/ranstream/ranstream/streams"
)

const doc = "# Uplink Boost\n\n| Feature Name | Uplink Boost |\n|---|---|\n| Feature Identity | FAJ 121 5000 |\n\n" +
	"## Parameters\n\nThe attribute EUtranCellFDD.ulBoost tunes the cell. The counter EUtranCellFDD.pmUlBoost counts it.\n"

// A document dead-lettered by a broken detect stage is listed with its stage,
// reason and source; once detect is fixed, its redrive makes the document
// complete; the dead letter is then purged, and a filter that matches nothing
// removes nothing.
func TestRedrive_completesDocumentAfterFix(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := zaptest.NewLogger(t)
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = t.TempDir()
	cfg.Topology.AckWait = 3 * time.Second
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	cfg.Stages = []string{names.StageExtract, names.StageChunk, names.StageLLMExtract, names.StageQualityRoute}
	p, err := pipeline.Start(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	cons, err := set.Consumer(names.StageDetect)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := p.Bus().Conn("broken-sub")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := p.Bus().Conn("broken-pub")
	if err != nil {
		t.Fatal(err)
	}
	broken, err := stage.New(stage.Config{Name: names.StageDetect, Stream: cons.Stream, Consumer: cons.Config.Durable,
		Workers: 1, MaxDeliver: cons.Config.MaxDeliver, AckWait: cfg.Topology.AckWait}, sub, pub,
		func(context.Context, event.Received) ([]event.Event, error) {
			return nil, fault.Permanentf("detector broken")
		}, log)
	if err != nil {
		t.Fatal(err)
	}
	bctx, bcancel := context.WithCancel(ctx)
	bdone := make(chan struct{})
	go func() { defer close(bdone); _ = broken.Run(bctx) }()
	<-broken.Running()

	path := filepath.Join(t.TempDir(), "uplink-boost.md")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	id, err := p.Ingest(ctx, path, "uplink-boost.md")
	if err != nil {
		t.Fatal(err)
	}

	tool := dlq.New(p.JetStream())
	var letters []dlq.Letter
	for deadline := time.Now().Add(30 * time.Second); len(letters) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no dead letter from the broken detect stage")
		}
		time.Sleep(50 * time.Millisecond)
		if letters, err = tool.List(ctx, dlq.Filter{Stage: names.StageDetect}); err != nil {
			t.Fatal(err)
		}
	}
	bcancel()
	<-bdone
	l := letters[0]
	if len(letters) != 1 || l.Source != "uplink-boost.md" || l.DocID != id || l.Reason != "detector broken" || l.StreamSeq == 0 {
		t.Fatalf("dead letters = %+v", letters)
	}
	re, _ := dlq.ParseReason("DETECTOR")
	if got, _ := tool.List(ctx, dlq.Filter{Reason: re, Since: time.Minute}); len(got) != 1 {
		t.Errorf("--reason DETECTOR --since 1m lists %d, want 1", len(got))
	}
	re, _ = dlq.ParseReason("timeout")
	if got, _ := tool.List(ctx, dlq.Filter{Reason: re}); len(got) != 0 {
		t.Errorf("--reason timeout lists %d, want 0", len(got))
	}
	if got, _ := tool.List(ctx, dlq.Filter{Stage: names.StageChunk}); len(got) != 0 {
		t.Errorf("--stage chunk lists %d, want 0", len(got))
	}
	if n, err := tool.Count(ctx); err != nil || n[names.StageDetect] != 1 {
		t.Errorf("count = %v %v", n, err)
	}
	shown, raw, err := tool.Get(ctx, l.Seq)
	if err != nil || shown.DocID != id || len(raw) == 0 {
		t.Errorf("get %d = %+v %v", l.Seq, shown, err)
	}
	if _, _, err := tool.Get(ctx, l.Seq+100); !errors.Is(err, dlq.ErrNotFound) {
		t.Errorf("get of a missing sequence: %v", err)
	}

	// The fix: the real detect stage.
	if err := p.StartStage(ctx, names.StageDetect); err != nil {
		t.Fatal(err)
	}
	if _, err := tool.Redrive(ctx, l); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		rec, found, err := p.Results().Doc(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if found && rec.Complete() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("document not complete after the redrive: %+v found=%v", rec, found)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n, err := tool.Purge(ctx, letters); err != nil || n != 1 {
		t.Fatalf("purge = %d %v", n, err)
	}
	if got, _ := tool.List(ctx, dlq.Filter{}); len(got) != 0 {
		t.Errorf("after purge: %+v", got)
	}
}

// A dead letter written before dead letters recorded the stream sequence is
// redriven from a search of its subject for its message id.
func TestRedrive_findsOriginalByMessageID(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = t.TempDir()
	cfg.Stages = nil
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	p, err := pipeline.Start(ctx, cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	in := event.Received{V: event.Version, Doc: event.Doc{ID: "sha256:ab", Source: "a.md", Blob: "ab"}}
	if err := p.Publish(ctx, in); err != nil {
		t.Fatal(err)
	}
	old := event.DeadLetter{V: event.Version, Stage: names.StageDetect, Reason: "old", Chunk: -1, DocID: "sha256:ab",
		FailedSubject: in.Subject(), OrigMsgID: in.MsgID()}
	if err := p.Publish(ctx, old); err != nil {
		t.Fatal(err)
	}
	tool := dlq.New(p.JetStream())
	letters, err := tool.List(ctx, dlq.Filter{})
	if err != nil || len(letters) != 1 {
		t.Fatalf("list = %v %v", letters, err)
	}
	ack, err := tool.Redrive(ctx, letters[0])
	if err != nil {
		t.Fatal(err)
	}
	if ack.Stream != "DOCS" || ack.Duplicate {
		t.Errorf("redrive stored as %+v, want a new message in DOCS", ack)
	}
	again, err := tool.Redrive(ctx, letters[0])
	if err != nil || !again.Duplicate {
		t.Errorf("second redrive of one dead letter = %+v %v, want a duplicate", again, err)
	}
}
