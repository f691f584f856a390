package streams_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/streams"
)

func startServer(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(ns.Shutdown)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// The stream files must be what `nats stream add --config` takes: the server's
// own StreamConfig, with no field it does not know.
func TestStreamFiles_areServerStreamConfigs(t *testing.T) {
	files, err := filepath.Glob("*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stream files: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cfg server.StreamConfig
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			t.Errorf("%s: not a server stream config: %v", f, err)
		}
		if cfg.Name+".json" != f {
			t.Errorf("%s: stream name %q does not match the file", f, cfg.Name)
		}
	}
	consumers, _ := filepath.Glob("consumers/*.json")
	for _, f := range consumers {
		b, _ := os.ReadFile(f)
		var cfg server.ConsumerConfig
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			t.Errorf("%s: not a server consumer config: %v", f, err)
		}
		if cfg.MaxDeliver <= 0 {
			t.Errorf("%s: unbounded redelivery (max_deliver %d) would loop a poison message forever", f, cfg.MaxDeliver)
		}
	}
}

func TestApply_isIdempotentAndKeepsState(t *testing.T) {
	js := startServer(t)
	ctx := context.Background()
	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Streams) < 5 || len(set.Consumers) < 5 || len(set.KV) != 2 || len(set.Objects) != 2 {
		t.Fatalf("topology incomplete: %d streams, %d consumers, %d KV, %d object stores",
			len(set.Streams), len(set.Consumers), len(set.KV), len(set.Objects))
	}
	if err := streams.Check(ctx, js, set); err == nil {
		t.Fatal("Check passed before Apply")
	}
	if err := streams.Apply(ctx, js, set, streams.Options{MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "docs.received", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	// A second apply (a restart) keeps the stream's messages and the consumer's state.
	if err := streams.Apply(ctx, js, set, streams.Options{MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := streams.Check(ctx, js, set); err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(ctx, "DOCS")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := s.Info(ctx)
	if info.State.Msgs != 1 || info.Config.MaxAge != time.Hour {
		t.Errorf("DOCS after re-apply: %d msgs, max age %s", info.State.Msgs, info.Config.MaxAge)
	}
	c, err := js.Consumer(ctx, "DOCS", "detect")
	if err != nil {
		t.Fatal(err)
	}
	ci, _ := c.Info(ctx)
	if ci.NumPending != 1 || ci.Config.AckPolicy != jetstream.AckExplicitPolicy {
		t.Errorf("detect consumer: pending %d, ack policy %v", ci.NumPending, ci.Config.AckPolicy)
	}
}
