package natsbus_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
)

func roundTrip(t *testing.T, b *natsbus.Bus) {
	t.Helper()
	_, js, err := b.JetStream("test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "t.x", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	s, _ := js.Stream(ctx, "T")
	info, err := s.Info(ctx)
	if err != nil || info.State.Msgs != 1 {
		t.Fatalf("stream: %v %+v", err, info)
	}
}

func TestBus_embeddedInProcess(t *testing.T) {
	dir := t.TempDir()
	b, err := natsbus.New(natsbus.Config{DataDir: dir}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Embedded() || b.ClientURL() != "" {
		t.Errorf("embedded without listener: embedded=%v url=%q", b.Embedded(), b.ClientURL())
	}
	roundTrip(t, b)
}

func TestBus_embeddedListensForTheCLI(t *testing.T) {
	b, err := natsbus.New(natsbus.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0"}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	url := b.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("client url %q", url)
	}
	// Another process (the nats CLI) connects over TCP.
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	roundTrip(t, b)
}

func TestBus_externalURL(t *testing.T) {
	ns := natstest.Server(t)
	b, err := natsbus.New(natsbus.Config{URL: ns.ClientURL()}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Embedded() || b.ClientURL() != ns.ClientURL() {
		t.Errorf("external: embedded=%v url=%q", b.Embedded(), b.ClientURL())
	}
	roundTrip(t, b)
}

func TestBus_unreachableURLFails(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	if _, err := natsbus.New(natsbus.Config{URL: "nats://" + addr}, zaptest.NewLogger(t)); err == nil {
		t.Fatal("connected to nothing")
	}
}

func TestConfig_Validate(t *testing.T) {
	for name, cfg := range map[string]natsbus.Config{
		"embedded without data dir": {},
		"listen with external URL":  {URL: "nats://x:4222", Listen: "127.0.0.1:4222"},
	} {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A second embedded server on the store of a running one is refused, naming
// --nats, instead of corrupting it; once the first closes, the store opens.
func TestBus_embeddedStoreIsLocked(t *testing.T) {
	dir := t.TempDir()
	first, err := natsbus.New(natsbus.Config{DataDir: dir}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = natsbus.New(natsbus.Config{DataDir: dir}, zaptest.NewLogger(t))
	if !errors.Is(err, natsbus.ErrStoreInUse) || !strings.Contains(err.Error(), "--nats") {
		t.Fatalf("second server on the store: %v, want ErrStoreInUse naming --nats", err)
	}
	first.Close()
	again, err := natsbus.New(natsbus.Config{DataDir: dir}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("store after the first closed: %v", err)
	}
	again.Close()
}
