package stage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/stage"
	"github.com/ranstream/ranstream/streams"
)

// counter records how often each document was handled, and when.
type counter struct {
	mu    sync.Mutex
	calls map[string][]time.Time
}

func (c *counter) add(source string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string][]time.Time{}
	}
	c.calls[source] = append(c.calls[source], time.Now())
	return len(c.calls[source])
}

func (c *counter) count(source string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls[source])
}

func detectConsumer(t *testing.T, set streams.Set) streams.Consumer {
	t.Helper()
	cons, err := set.Consumer("detect")
	if err != nil {
		t.Fatal(err)
	}
	return cons
}

func startStage(t *testing.T, cfg stage.Config, sub, pub *nats.Conn, h stage.Handler[event.Received]) (stop func()) {
	t.Helper()
	st, err := stage.New(cfg, sub, pub, h, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := st.Run(ctx); err != nil {
			t.Errorf("stage run: %v", err)
		}
	}()
	<-st.Running()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func publish(t *testing.T, nc *nats.Conn, ins ...event.Received) {
	t.Helper()
	client, err := stage.NewPublisher(nc)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if err := client.Publish(context.Background(), in, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// A handling that takes several ack waits keeps its message: in-progress acks
// renew the ack wait, so the message is neither redelivered to the idle
// second worker nor handled twice.
func TestStage_longHandlingKeepsItsMessage(t *testing.T) {
	ns := natstest.Server(t)
	nc, js := natstest.Connect(t, ns)
	const wait = time.Second
	cons := detectConsumer(t, natstest.Topology(t, js, wait))
	var c counter
	h := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		c.add(in.Doc.Source)
		if in.Doc.Source == "slow.md" {
			select {
			case <-time.After(4 * wait):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return []event.Event{detected(in)}, nil
	}
	sub, pub := conns(t, ns)
	startStage(t, stage.Config{Name: "detect", Stream: cons.Stream, Consumer: cons.Config.Durable, Workers: 2,
		MaxDeliver: cons.Config.MaxDeliver, AckWait: wait}, sub, pub, h)
	slow := received("s")
	slow.Doc.Source = "slow.md"
	publish(t, nc, slow)
	natstest.Messages[event.Detected](t, js, "DOCS", names.SubjectDetected, 1, 30*time.Second)
	if n := c.count("slow.md"); n != 1 {
		t.Errorf("slow.md handled %d times over 4 ack waits, want 1", n)
	}
}

// A worker that dies in the middle of a message (its connection gone, no
// nak, as with kill -9) has the message redelivered to another instance once
// the ack wait passes, not after minutes.
func TestStage_crashedWorkersMessageReturnsWithinAckWait(t *testing.T) {
	ns := natstest.Server(t)
	nc, js := natstest.Connect(t, ns)
	const wait = 2 * time.Second
	cons := detectConsumer(t, natstest.Topology(t, js, wait))
	cfg := stage.Config{Name: "detect", Stream: cons.Stream, Consumer: cons.Config.Durable, Workers: 1,
		MaxDeliver: cons.Config.MaxDeliver, AckWait: wait, StopGrace: 100 * time.Millisecond}

	inside := make(chan struct{})
	var once sync.Once
	stuck := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		once.Do(func() { close(inside) })
		<-ctx.Done()
		return nil, ctx.Err()
	}
	subA, pubA := conns(t, ns)
	startStage(t, cfg, subA, pubA, stuck)
	publish(t, nc, received("k"))
	select {
	case <-inside:
	case <-time.After(30 * time.Second):
		t.Fatal("the first instance never received the message")
	}
	// The crash: the first instance's connections drop without a word.
	subA.Close()
	pubA.Close()
	crashed := time.Now()

	var c counter
	good := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		c.add(in.Doc.Source)
		return []event.Event{detected(in)}, nil
	}
	subB, pubB := conns(t, ns)
	startStage(t, cfg, subB, pubB, good)
	natstest.Messages[event.Detected](t, js, "DOCS", names.SubjectDetected, 1, 30*time.Second)
	// The bound is the ack wait plus one pull: well below the old 10 minutes.
	if took := time.Since(crashed); took > wait+cfg.AckWait+5*time.Second {
		t.Errorf("redelivered %s after the crash, want within about one ack wait (%s)", took, wait)
	}
	if n := c.count("k.md"); n != 1 {
		t.Errorf("handled %d times by the second instance, want 1", n)
	}
}

// Stopping a stage releases the messages in work at once (nak), so another
// instance takes them now although the ack wait is long, and a stop never
// dead-letters a message.
func TestStage_stopReleasesMessagesAtOnce(t *testing.T) {
	ns := natstest.Server(t)
	nc, js := natstest.Connect(t, ns)
	const wait = time.Minute
	cons := detectConsumer(t, natstest.Topology(t, js, wait))
	cfg := stage.Config{Name: "detect", Stream: cons.Stream, Consumer: cons.Config.Durable, Workers: 2,
		MaxDeliver: 1, AckWait: wait, StopGrace: 200 * time.Millisecond}

	var entered sync.WaitGroup
	entered.Add(2)
	blocking := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		entered.Done()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	subA, pubA := conns(t, ns)
	stopA := startStage(t, cfg, subA, pubA, blocking)
	publish(t, nc, received("x"), received("y"))
	waited := make(chan struct{})
	go func() { entered.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		t.Fatal("the first instance did not take both messages")
	}
	stopA()
	stopped := time.Now()

	var c counter
	good := func(ctx context.Context, in event.Received) ([]event.Event, error) {
		c.add(in.Doc.Source)
		return []event.Event{detected(in)}, nil
	}
	subB, pubB := conns(t, ns)
	cfg.MaxDeliver = cons.Config.MaxDeliver
	startStage(t, cfg, subB, pubB, good)
	natstest.Messages[event.Detected](t, js, "DOCS", names.SubjectDetected, 2, 30*time.Second)
	if took := time.Since(stopped); took > 10*time.Second {
		t.Errorf("messages came back %s after the stop, want at once (ack wait %s)", took, wait)
	}
	if n := natstest.Count(t, js, "DLQ", "dlq.>"); n != 0 {
		t.Errorf("%d dead letters after a stop, want none", n)
	}
}
