package access_test

import (
	tlspkg "crypto/tls"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/natsbus/access"
)

// A stage added to the pipeline without saying what it does on the bus would
// run with nobody's permissions: every consumer stage has a user.
func TestUsers_oneServicePerStage(t *testing.T) {
	users, err := access.Users(mustLoad(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range users {
		got = append(got, u.Name)
	}
	if want := append(slices.Clone(names.Stages()), access.Operator, access.Admin); !slices.Equal(got, want) {
		t.Errorf("users %v, want %v", got, want)
	}
}

// A bucket a stage uses but the topology lacks fails when the users are made,
// not as a refusal at run time.
func TestUsers_refuseATopologyWithoutTheirBuckets(t *testing.T) {
	set := mustLoad(t)
	set.KV = slices.DeleteFunc(set.KV, func(b jetstream.KeyValueConfig) bool { return b.Bucket == "results" })
	if _, err := access.Users(set); err == nil || !strings.Contains(err.Error(), "results") {
		t.Errorf("got %v", err)
	}
}

// Each service publishes its own dead letters and pulls and acks its own
// consumer, nobody else's; only the admin may change streams.
func TestUsers_eachServiceOwnsItsConsumerAndDeadLetters(t *testing.T) {
	set := mustLoad(t)
	users, err := access.Users(set)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		pub := u.Permissions.Publish
		if u.Name == access.Admin {
			if !u.Permissions.All {
				t.Errorf("admin cannot apply the topology: %+v", u.Permissions)
			}
			continue
		}
		if u.Permissions.All {
			t.Errorf("%s may do anything", u.Name)
		}
		for _, s := range pub {
			if strings.Contains(s, "STREAM.CREATE") || strings.Contains(s, "STREAM.UPDATE") || strings.Contains(s, "STREAM.DELETE") || s == ">" {
				t.Errorf("%s may publish %s", u.Name, s)
			}
		}
		if u.Name == access.Operator {
			continue
		}
		if !slices.Contains(pub, "dlq."+u.Name) {
			t.Errorf("%s cannot dead-letter", u.Name)
		}
		for _, c := range set.Consumers {
			next := "$JS.API.CONSUMER.MSG.NEXT." + c.Stream + "." + c.Config.Durable
			ack := "$JS.ACK." + c.Stream + "." + c.Config.Durable + ".>"
			own := c.Config.Durable == u.Name
			if slices.Contains(pub, next) != own || slices.Contains(pub, ack) != own {
				t.Errorf("%s on consumer %s: pull %v ack %v", u.Name, c.Config.Durable, slices.Contains(pub, next), slices.Contains(pub, ack))
			}
		}
		for _, s := range pub {
			if strings.HasPrefix(s, "dlq.") && s != "dlq."+u.Name {
				t.Errorf("%s may publish %s", u.Name, s)
			}
		}
	}
}

// Generating again keeps every key (services keep working after an upgrade
// rewrites the permissions), seeds are private, and deleting a seed rotates
// that user's key only.
func TestGenerate_keepsKeysAndRotatesADeletedSeed(t *testing.T) {
	set := mustLoad(t)
	dir := filepath.Join(t.TempDir(), "secrets")
	first, err := access.Generate(set, access.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Created) != len(first.Users) || first.TLS {
		t.Fatalf("first run: created %v, TLS %v", first.Created, first.TLS)
	}
	for _, u := range first.Users {
		st, err := os.Stat(filepath.Join(dir, access.SeedFile(u.Name)))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s seed mode %v", u.Name, st.Mode().Perm())
		}
	}
	if err := os.Remove(filepath.Join(dir, access.SeedFile(names.StageChunk))); err != nil {
		t.Fatal(err)
	}
	second, err := access.Generate(set, access.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Created, []string{access.SeedFile(names.StageChunk)}) {
		t.Errorf("second run created %v", second.Created)
	}
	for name, key := range first.Keys {
		if changed := second.Keys[name] != key; changed != (name == names.StageChunk) {
			t.Errorf("%s key changed: %v", name, changed)
		}
	}
	conf, err := os.ReadFile(filepath.Join(dir, access.AuthFile))
	if err != nil {
		t.Fatal(err)
	}
	for name, key := range second.Keys {
		if !strings.Contains(string(conf), key) {
			t.Errorf("auth.conf lacks %s's key", name)
		}
	}
}

// The node configurations of deploy/nats take the generated includes, with
// TLS off and on; with TLS on, clients must present a certificate.
func TestNodeConfigs_includeTheGeneratedAuthAndTLS(t *testing.T) {
	set := mustLoad(t)
	for _, tls := range []bool{false, true} {
		nodes := filepath.Join(t.TempDir(), "nats")
		if _, err := access.Generate(set, access.Options{Dir: filepath.Join(nodes, "secrets"), TLS: tls}); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"node-a.conf", "node-b.conf", "node-c.conf"} {
			b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "nats", n))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(nodes, n)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			opts, err := server.ProcessConfigFile(path)
			if err != nil {
				t.Fatalf("%s (TLS %v): %v", n, tls, err)
			}
			if len(opts.Nkeys) != len(access.Services)+2 || opts.NoAuthUser != "" {
				t.Errorf("%s: %d nkey users, no_auth_user %q", n, len(opts.Nkeys), opts.NoAuthUser)
			}
			// Clients and routes both present a certificate the CA signed.
			verifies := func(c *tlspkg.Config) bool { return c != nil && c.ClientAuth == tlspkg.RequireAndVerifyClientCert }
			if (opts.TLSConfig != nil) != tls || (opts.Cluster.TLSConfig != nil) != tls || tls && (!verifies(opts.TLSConfig) || !verifies(opts.Cluster.TLSConfig)) {
				t.Errorf("%s: TLS %v: clients %v (verify %v), routes %v (verify %v)", n, tls,
					opts.TLSConfig != nil, verifies(opts.TLSConfig), opts.Cluster.TLSConfig != nil, verifies(opts.Cluster.TLSConfig))
			}
		}
	}
}

func TestTLS_clientsNeedTheCAAndACertificate(t *testing.T) {
	c := startSecure(t, true)
	cfg := c.natsConfig(names.StageDetect)
	b, err := natsbus.New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("with CA and certificate: %v", err)
	}
	b.Close()
	noCert := cfg
	noCert.TLS.Cert, noCert.TLS.Key = "", ""
	if b, err := natsbus.New(noCert, zaptest.NewLogger(t)); err == nil {
		b.Close()
		t.Error("connected without a client certificate")
	}
	seed, err := nats.NkeyOptionFromSeed(cfg.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if nc, err := nats.Connect(c.url, seed); err == nil {
		nc.Close()
		t.Error("connected without TLS")
	}
}
