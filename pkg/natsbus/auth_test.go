package natsbus_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/natsbus"
)

func TestConfig_ValidateListen(t *testing.T) {
	for _, tc := range []struct {
		listen, auth string
		refused      bool
	}{
		{listen: "127.0.0.1:4222"},
		{listen: "127.3.2.1:0"},
		{listen: "[::1]:4222"},
		{listen: "localhost:4222"},
		{listen: "LocalHost:-1"},
		{listen: "0.0.0.0:4222", refused: true},
		{listen: ":4222", refused: true},
		{listen: "[::]:4222", refused: true},
		{listen: "192.168.1.10:4222", refused: true},
		{listen: "nats.example.org:4222", refused: true},
		{listen: "0.0.0.0:4222", auth: "auth.conf"},
		{listen: "192.168.1.10:4222", auth: "auth.conf"},
	} {
		err := natsbus.Config{DataDir: "data", Listen: tc.listen, ListenAuth: tc.auth}.Validate()
		if tc.refused != errors.Is(err, natsbus.ErrNotLoopback) {
			t.Errorf("listen %q auth %q: %v", tc.listen, tc.auth, err)
		}
		if tc.refused && !strings.Contains(err.Error(), "--listen-auth") {
			t.Errorf("listen %q: the error does not say what to do: %v", tc.listen, err)
		}
	}
}

func TestConfig_ValidateAuth(t *testing.T) {
	for name, cfg := range map[string]natsbus.Config{
		"listen-auth without listen":      {DataDir: "d", ListenAuth: "auth.conf"},
		"listen-auth with a URL":          {URL: "nats://x:4222", ListenAuth: "auth.conf"},
		"creds for the embedded server":   {DataDir: "d", Creds: "x.nk"},
		"TLS for the embedded server":     {DataDir: "d", TLS: natsbus.TLSConfig{CA: "ca.pem"}},
		"creds and user":                  {URL: "nats://x:4222", Creds: "x.nk", User: "u"},
		"password without user":           {URL: "nats://x:4222", Password: "p"},
		"client certificate without key":  {URL: "nats://x:4222", TLS: natsbus.TLSConfig{Cert: "c.pem"}},
		"client key without certificate":  {URL: "nats://x:4222", TLS: natsbus.TLSConfig{Key: "k.pem"}},
		"user for the embedded server":    {DataDir: "d", User: "u", Password: "p"},
		"listen with a URL (unchanged)":   {URL: "nats://x:4222", Listen: "127.0.0.1:4222"},
		"embedded without data (unchang)": {},
	} {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, cfg := range map[string]natsbus.Config{
		"creds":         {URL: "nats://x:4222", Creds: "x.nk"},
		"user":          {URL: "nats://x:4222", User: "u", Password: "p"},
		"TLS":           {URL: "tls://x:4222", TLS: natsbus.TLSConfig{CA: "ca.pem", Cert: "c.pem", Key: "k.pem"}},
		"loopback auth": {DataDir: "d", Listen: "127.0.0.1:0", ListenAuth: "auth.conf"},
	} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// startServer starts a server with opts on a free loopback port.
func startServer(t *testing.T, opts *server.Options) *server.Server {
	t.Helper()
	opts.Host, opts.Port, opts.NoSigs, opts.NoLog = "127.0.0.1", -1, true, true
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBus_nkeySeedFile(t *testing.T) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	ns := startServer(t, &server.Options{Nkeys: []*server.NkeyUser{{Nkey: pub}}})
	log := zaptest.NewLogger(t)

	if _, err := natsbus.New(natsbus.Config{URL: ns.ClientURL()}, log); err == nil {
		t.Fatal("connected without credentials")
	}
	// A bare seed, and the same seed with comments around it, both work.
	for name, content := range map[string]string{
		"bare":      string(seed) + "\n",
		"decorated": "# detect\n-----BEGIN USER NKEY SEED-----\n" + string(seed) + "\n------END USER NKEY SEED------\n",
	} {
		b, err := natsbus.New(natsbus.Config{URL: ns.ClientURL(), Creds: writeFile(t, "u.nk", []byte(content))}, log)
		if err != nil {
			t.Fatalf("%s seed: %v", name, err)
		}
		nc, err := b.Conn("probe")
		if err != nil {
			t.Fatalf("%s seed: %v", name, err)
		}
		if err := nc.Publish("x", nil); err != nil {
			t.Fatal(err)
		}
		b.Close()
	}
}

func TestBus_warnsOfASeedEveryoneCanRead(t *testing.T) {
	kp, _ := nkeys.CreateUser()
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	ns := startServer(t, &server.Options{Nkeys: []*server.NkeyUser{{Nkey: pub}}})
	for mode, warn := range map[os.FileMode]bool{0o600: false, 0o640: false, 0o644: true} {
		path := writeFile(t, "u.nk", seed)
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		core, logs := observer.New(zapcore.WarnLevel)
		b, err := natsbus.New(natsbus.Config{URL: ns.ClientURL(), Creds: path}, zap.New(core))
		if err != nil {
			t.Fatal(err)
		}
		b.Close()
		if got := logs.FilterMessageSnippet("readable").Len() > 0; got != warn {
			t.Errorf("mode %v: warned %v", mode, got)
		}
	}
}

func TestBus_userCredsFile(t *testing.T) {
	okp, _ := nkeys.CreateOperator()
	opub, _ := okp.PublicKey()
	oc := jwt.NewOperatorClaims(opub)
	ojwt, err := oc.Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	oclaims, err := jwt.DecodeOperatorClaims(ojwt)
	if err != nil {
		t.Fatal(err)
	}
	akp, _ := nkeys.CreateAccount()
	apub, _ := akp.PublicKey()
	ajwt, err := jwt.NewAccountClaims(apub).Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	ukp, _ := nkeys.CreateUser()
	upub, _ := ukp.PublicKey()
	useed, _ := ukp.Seed()
	uc := jwt.NewUserClaims(upub)
	uc.IssuerAccount = apub
	ujwt, err := uc.Encode(akp)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := jwt.FormatUserConfig(ujwt, useed)
	if err != nil {
		t.Fatal(err)
	}
	resolver := &server.MemAccResolver{}
	if err := resolver.Store(apub, ajwt); err != nil {
		t.Fatal(err)
	}
	ns := startServer(t, &server.Options{TrustedOperators: []*jwt.OperatorClaims{oclaims}, AccountResolver: resolver})

	b, err := natsbus.New(natsbus.Config{URL: ns.ClientURL(), Creds: writeFile(t, "u.creds", creds)}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf(".creds file: %v", err)
	}
	b.Close()
	if _, err := natsbus.New(natsbus.Config{URL: ns.ClientURL()}, zaptest.NewLogger(t)); err == nil {
		t.Fatal("connected without credentials")
	}
}

func TestBus_credsFileThatIsNeither(t *testing.T) {
	for name, content := range map[string]string{
		"empty":        "",
		"text":         "hello\n",
		"account seed": mustSeed(t, nkeys.CreateAccount),
		"JWT no seed":  "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.x\n------END NATS USER JWT------\n",
	} {
		_, err := natsbus.New(natsbus.Config{URL: "nats://127.0.0.1:1", Creds: writeFile(t, "x", []byte(content))}, zaptest.NewLogger(t))
		if err == nil || !strings.Contains(err.Error(), "credentials") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func mustSeed(t *testing.T, create func() (nkeys.KeyPair, error)) string {
	kp, err := create()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := kp.Seed()
	return string(seed)
}

func TestBus_userPassword(t *testing.T) {
	ns := startServer(t, &server.Options{Users: []*server.User{{Username: "u", Password: "p"}}})
	b, err := natsbus.New(natsbus.Config{URL: ns.ClientURL(), User: "u", Password: "p"}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := natsbus.New(natsbus.Config{URL: ns.ClientURL(), User: "u", Password: "wrong"}, zaptest.NewLogger(t)); err == nil {
		t.Fatal("connected with a wrong password")
	}
}

func TestBus_embeddedRefusesTheNetworkWithoutAuth(t *testing.T) {
	_, err := natsbus.New(natsbus.Config{DataDir: t.TempDir(), Listen: "0.0.0.0:0"}, zaptest.NewLogger(t))
	if !errors.Is(err, natsbus.ErrNotLoopback) {
		t.Fatalf("got %v", err)
	}
}

// An embedded server with --listen-auth: the process's own in-process
// connections work (internal credential, JetStream in the file's account),
// other processes need a user of the file, anonymous ones are refused.
func TestBus_embeddedListenAuth(t *testing.T) {
	kp, _ := nkeys.CreateUser()
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	for name, auth := range map[string]string{
		"accounts": `accounts { APP { jetstream: enabled, users: [ {nkey: ` + pub + `, permissions: {publish: "t.>", subscribe: "_INBOX.>"}} ] } }`,
		"users":    `authorization { users: [ {nkey: ` + pub + `, permissions: {publish: "t.>", subscribe: "_INBOX.>"}} ] }`,
	} {
		t.Run(name, func(t *testing.T) {
			b, err := natsbus.New(natsbus.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0",
				ListenAuth: writeFile(t, "auth.conf", []byte(auth))}, zaptest.NewLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			roundTrip(t, b)
			if nc, err := nats.Connect(b.ClientURL()); err == nil {
				nc.Close()
				t.Fatal("anonymous client connected")
			}
			opt, err := nats.NkeyOptionFromSeed(writeFile(t, "u.nk", seed))
			if err != nil {
				t.Fatal(err)
			}
			nc, err := nats.Connect(b.ClientURL(), opt)
			if err != nil {
				t.Fatalf("user of the file: %v", err)
			}
			defer nc.Close()
			// The user and the in-process connections share one account: what
			// the user publishes lands in the stream the process created.
			if err := nc.Publish("t.y", []byte("from outside")); err != nil {
				t.Fatal(err)
			}
			if err := nc.Flush(); err != nil {
				t.Fatal(err)
			}
			_, js, err := b.JetStream("check")
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				s, err := js.Stream(ctx, "T")
				if err != nil {
					return false
				}
				info, err := s.Info(ctx)
				return err == nil && info.State.Msgs == 2
			})
		})
	}
}

func TestBus_embeddedListenToken(t *testing.T) {
	b, err := natsbus.New(natsbus.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		ListenAuth: writeFile(t, "auth.conf", []byte(`authorization { token: "s3cret-t0ken" }`))}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	roundTrip(t, b)
	if nc, err := nats.Connect(b.ClientURL()); err == nil {
		nc.Close()
		t.Fatal("anonymous client connected")
	}
	nc, err := nats.Connect(b.ClientURL(), nats.Token("s3cret-t0ken"))
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
}

func TestBus_embeddedListenAuthWithoutUsers(t *testing.T) {
	_, err := natsbus.New(natsbus.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		ListenAuth: writeFile(t, "auth.conf", []byte("max_payload: 1MB\n"))}, zaptest.NewLogger(t))
	if err == nil || !strings.Contains(err.Error(), "no users") {
		t.Fatalf("got %v", err)
	}
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
