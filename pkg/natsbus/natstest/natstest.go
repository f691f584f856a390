// Package natstest starts real JetStream servers and the ranstream topology for
// tests: in-process, on a free port, with a store in the test's temp dir.
package natstest

import (
	"context"
	"testing"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/streams"
)

// Server starts a JetStream server listening on a free loopback port, shut down
// when the test ends.
func Server(t testing.TB) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
		MaxPayload: 8 << 20,
	})
	if err != nil {
		t.Fatalf("nats server: %v", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	return ns
}

// Connect opens a connection to ns, closed when the test ends.
func Connect(t testing.TB, ns *server.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return nc, js
}

// Topology applies the streams/ definitions with a short ack wait so that
// redelivery happens within a test.
func Topology(t testing.TB, js jetstream.JetStream, ackWait time.Duration) streams.Set {
	t.Helper()
	set, err := streams.Load()
	if err != nil {
		t.Fatalf("load streams: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := streams.Apply(ctx, js, set, streams.Options{AckWait: ackWait}); err != nil {
		t.Fatalf("apply streams: %v", err)
	}
	return set
}

// Messages reads every message of stream on subject filter that arrives until
// want are there or the deadline passes, decoded into T.
func Messages[T any](t testing.TB, js jetstream.JetStream, stream, filter string, want int, within time.Duration) []T {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		t.Fatalf("consumer on %s: %v", stream, err)
	}
	var out []T
	for len(out) < want {
		batch, err := cons.Fetch(want-len(out), jetstream.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			continue
		}
		for m := range batch.Messages() {
			var v T
			if err := json.Unmarshal(m.Data(), &v); err != nil {
				t.Fatalf("decode %s: %v", m.Subject(), err)
			}
			out = append(out, v)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// Count returns how many messages stream holds on subject filter.
func Count(t testing.TB, js jetstream.JetStream, stream, filter string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(filter))
	if err != nil {
		t.Fatalf("stream %s info: %v", stream, err)
	}
	var n uint64
	for _, c := range info.State.Subjects {
		n += c
	}
	return int(n)
}
