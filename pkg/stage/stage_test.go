package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/stage"
)

const ackWait = 2 * time.Second

func doc(n string) event.Doc {
	return event.Doc{ID: "sha256:" + strings.Repeat(n, 64)[:64], Source: n + ".md", Blob: "doc-" + n}
}

func received(n string) event.Received { return event.Received{V: event.Version, Doc: doc(n)} }

// detected is what the test handler publishes for each input.
func detected(in event.Received) event.Event {
	return event.Detected{V: event.Version, Doc: in.Doc, Format: "markdown", Encoding: "UTF-8"}
}

// conns returns a stage's two connections: subscribing (drained by the stage
// when it stops) and publishing (closed with the test).
func conns(t *testing.T, ns interface{ ClientURL() string }) (sub, pub *nats.Conn) {
	t.Helper()
	sub, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	pub, err = nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	return sub, pub
}

// run runs st until the test ends.
func run(t *testing.T, st *stage.Stage) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("stage run: %v", err)
		}
	})
	<-st.Running()
}

func TestStage(t *testing.T) {
	ns := natstest.Server(t)
	nc, js := natstest.Connect(t, ns)
	set := natstest.Topology(t, js, ackWait)
	cons, err := set.Consumer("detect")
	if err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)

	var mu sync.Mutex
	calls := map[string]int{}
	var panicked atomic.Bool
	h := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		mu.Lock()
		calls[in.Doc.Source]++
		n := calls[in.Doc.Source]
		mu.Unlock()
		switch in.Doc.Source {
		case "permanent.md":
			return nil, fault.Permanentf("corrupt document")
		case "flaky.md":
			if n < 2 {
				return nil, errors.New("object store briefly unavailable")
			}
		case "broken.md":
			return nil, errors.New("backend down")
		case "panic.md":
			panicked.Store(true)
			var m map[string]int
			m["boom"]++
		}
		return []event.Event{detected(in)}, nil
	}
	sub, pubConn := conns(t, ns)
	obs := &recorder{}
	st, err := stage.New(stage.Config{
		Name: "detect", Stream: cons.Stream, Consumer: cons.Config.Durable, Workers: 2,
		MaxDeliver: cons.Config.MaxDeliver, AckWait: ackWait, Retries: 1, RetryInterval: 10 * time.Millisecond,
		NakDelay: 50 * time.Millisecond, Observer: obs,
	}, sub, pubConn, h, log)
	if err != nil {
		t.Fatal(err)
	}
	run(t, st)

	client, err := stage.NewPublisher(nc)
	if err != nil {
		t.Fatal(err)
	}
	// A message that is not JSON at all, then one of a newer schema version.
	if _, err := js.PublishMsg(context.Background(), &nats.Msg{Subject: names.SubjectReceived, Data: []byte("{not json"),
		Header: nats.Header{nats.MsgIdHdr: []string{"garbage-1"}}}); err != nil {
		t.Fatal(err)
	}
	future, _ := json.Marshal(event.Received{V: event.Version + 1, Doc: doc("f")})
	if _, err := js.PublishMsg(context.Background(), &nats.Msg{Subject: names.SubjectReceived, Data: future,
		Header: nats.Header{nats.MsgIdHdr: []string{"future-1"}}}); err != nil {
		t.Fatal(err)
	}
	for name, hex := range map[string]string{"permanent": "a", "flaky": "b", "broken": "c", "panic": "d", "good": "e"} {
		in := received(hex)
		in.Doc.Source = name + ".md"
		if err := client.Publish(context.Background(), in, ""); err != nil {
			t.Fatal(err)
		}
	}
	// The same document again: deduplicated by its message id at publish.
	again := received("e")
	again.Doc.Source = "good.md"
	if err := client.Publish(context.Background(), again, ""); err != nil {
		t.Fatal(err)
	}

	// Five dead letters: garbage, future, permanent, panic, and broken once its
	// deliveries are spent (5 deliveries with short nak delays).
	dls := natstest.Messages[event.DeadLetter](t, js, "DLQ", "dlq.detect", 5, 60*time.Second)
	reasons := map[string]event.DeadLetter{}
	for _, dl := range dls {
		key := dl.Source
		if !strings.HasPrefix(dl.OrigMsgID, "received:") {
			key = dl.OrigMsgID
		}
		reasons[key] = dl
	}
	for key, want := range map[string]string{
		"garbage-1":    "decode",
		"future-1":     "newer than this build",
		"permanent.md": "corrupt document",
		"panic.md":     "panic",
		"broken.md":    "retries exhausted",
	} {
		dl, ok := reasons[key]
		if !ok {
			t.Errorf("no dead letter for %s; got %+v", key, dls)
			continue
		}
		if !strings.Contains(dl.Reason, want) {
			t.Errorf("dead letter for %s: reason %q, want it to mention %q", key, dl.Reason, want)
		}
		if dl.Stage != "detect" {
			t.Errorf("dead letter for %s: stage %q", key, dl.Stage)
		}
	}
	if dl := reasons["broken.md"]; dl.Deliveries != uint64(cons.Config.MaxDeliver) {
		t.Errorf("broken.md dead-lettered after %d deliveries, want %d", dl.Deliveries, cons.Config.MaxDeliver)
	}
	if dl := reasons["permanent.md"]; dl.DocID == "" || dl.Chunk != -1 {
		t.Errorf("permanent.md dead letter lacks its document: %+v", dl)
	}
	// Every dead letter names where its input is, for a redrive.
	for key, dl := range reasons {
		if dl.Stream != "DOCS" || dl.StreamSeq == 0 || dl.FailedSubject != names.SubjectReceived {
			t.Errorf("dead letter for %s does not locate its input: stream %q seq %d subject %q", key, dl.Stream, dl.StreamSeq, dl.FailedSubject)
		}
	}

	// flaky and good came through; good once although published twice.
	outs := natstest.Messages[event.Detected](t, js, "DOCS", names.SubjectDetected, 2, 10*time.Second)
	got := map[string]int{}
	for _, o := range outs {
		got[o.Doc.Source]++
	}
	if got["flaky.md"] != 1 || got["good.md"] != 1 || len(outs) != 2 {
		t.Errorf("detected outputs %v, want flaky.md and good.md once each", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls["permanent.md"] != 1 {
		t.Errorf("permanent error handled %d times, want 1 (no retry)", calls["permanent.md"])
	}
	if calls["good.md"] != 1 {
		t.Errorf("good.md handled %d times, want 1 (duplicate publish)", calls["good.md"])
	}
	if !panicked.Load() || calls["panic.md"] != 1 {
		t.Errorf("panic handled %d times, want 1", calls["panic.md"])
	}
	// broken: 1 retry in-process per delivery.
	if want := cons.Config.MaxDeliver * 2; calls["broken.md"] != want {
		t.Errorf("broken.md handled %d times, want %d (deliveries x (1 + retries))", calls["broken.md"], want)
	}

	// The observer saw the same: 7 distinct inputs, broken's and flaky's
	// redeliveries, 5 dead letters, 2 outputs, handlings of decodable inputs.
	// It is told of a dead letter or an output once it is stored, and of a
	// handling once it returns, so it may lag a moment behind what the test
	// read from the streams.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		obs.mu.Lock()
		caughtUp := obs.dead >= 5 && obs.outputs >= 2 && obs.failed >= calls["broken.md"]
		obs.mu.Unlock()
		if caughtUp {
			break
		}
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.dead != 5 {
		t.Errorf("observer: %d dead letters, want 5", obs.dead)
	}
	if want := cons.Config.MaxDeliver - 1; obs.redelivered < want {
		t.Errorf("observer: %d redeliveries, want at least %d (broken.md)", obs.redelivered, want)
	}
	if obs.in != 7+obs.redelivered {
		t.Errorf("observer: %d deliveries, want 7 inputs + %d redeliveries", obs.in, obs.redelivered)
	}
	if obs.outputs != 2 || obs.failed < calls["broken.md"] {
		t.Errorf("observer: %d outputs (want 2), %d failed handlings (want at least %d)", obs.outputs, obs.failed, calls["broken.md"])
	}
}

// recorder is a stage.Observer that counts.
type recorder struct {
	mu                                              sync.Mutex
	in, redelivered, handled, failed, outputs, dead int
}

func (r *recorder) Received(stage string, redelivered bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.in++
	if redelivered {
		r.redelivered++
	}
}

func (r *recorder) Handled(stage string, _ time.Duration, outputs int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handled++
	r.outputs += outputs
	if err != nil {
		r.failed++
	}
}

func (r *recorder) DeadLettered(string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dead++
}

// A streaming handler's outputs are published as it emits them; when it fails
// halfway and is retried, the outputs already stored are not stored twice.
func TestStage_streaming(t *testing.T) {
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	set := natstest.Topology(t, js, ackWait)
	cons, err := set.Consumer("chunk")
	if err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)
	const total = 2000
	var calls atomic.Int32
	h := func(ctx context.Context, in event.Extracted, emit stage.Emit) error {
		first := calls.Add(1) == 1
		for i := range total {
			if first && i == total*3/4 {
				return errors.New("text blob read interrupted")
			}
			if err := emit(event.Chunk{V: event.Version, Doc: in.Doc, Format: in.Format, Index: i, Total: total,
				Text: "chunk text", Mode: "basic"}); err != nil {
				return err
			}
		}
		return nil
	}
	sub, pubConn := conns(t, ns)
	st, err := stage.NewStreaming(stage.Config{
		Name: "chunk", Stream: cons.Stream, Consumer: cons.Config.Durable, Workers: 1,
		MaxDeliver: cons.Config.MaxDeliver, AckWait: ackWait, Retries: 1, RetryInterval: 10 * time.Millisecond,
	}, sub, pubConn, h, log)
	if err != nil {
		t.Fatal(err)
	}
	run(t, st)
	client, err := stage.NewPublisher(pubConn)
	if err != nil {
		t.Fatal(err)
	}
	in := event.Extracted{V: event.Version, Doc: doc("a"), Format: "csv", TextBlob: "text-a"}
	if err := client.Publish(context.Background(), in, "corr-1"); err != nil {
		t.Fatal(err)
	}
	chunks := natstest.Messages[event.Chunk](t, js, "CHUNKS", "chunks.>", total, 20*time.Second)
	seen := map[int]bool{}
	for _, c := range chunks {
		seen[c.Index] = true
	}
	if len(chunks) != total || len(seen) != total {
		t.Fatalf("got %d chunk messages (%d distinct), want %d", len(chunks), len(seen), total)
	}
	// Nothing beyond the total arrives, although the first try stored 1500.
	time.Sleep(300 * time.Millisecond)
	info, err := js.Stream(context.Background(), "CHUNKS")
	if err != nil {
		t.Fatal(err)
	}
	if n := info.CachedInfo().State.Msgs; n != total {
		t.Errorf("CHUNKS holds %d messages, want %d", n, total)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("handler ran %d times, want 2 (one failure, one retry)", n)
	}
}
