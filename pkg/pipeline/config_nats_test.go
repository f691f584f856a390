package pipeline_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// Every binary reads the NATS credentials and TLS from the environment and
// from flags; a flag wins over the environment.
func TestConfig_natsCredentialsFromEnvAndFlags(t *testing.T) {
	env := map[string]string{
		"NATS_URL": "nats://a:4222", "NATS_CREDS": "/env/detect.nk",
		"NATS_TLS_CA": "/env/ca.pem", "NATS_TLS_CERT": "/env/client.pem", "NATS_TLS_KEY": "/env/client-key.pem",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg := pipeline.Defaults()
	if err := cfg.ApplyEnv(lookup); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"--creds", "/flag/detect.nk"}); err != nil {
		t.Fatal(err)
	}
	want := natsbus.Config{URL: "nats://a:4222", DataDir: "data", Creds: "/flag/detect.nk",
		TLS: natsbus.TLSConfig{CA: "/env/ca.pem", Cert: "/env/client.pem", Key: "/env/client-key.pem"}}
	if cfg.NATS != want {
		t.Errorf("got %+v\nwant %+v", cfg.NATS, want)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}

	env = map[string]string{"NATS_URL": "nats://a:4222", "NATS_USER": "ops", "NATS_PASSWORD": "pw"}
	cfg = pipeline.Defaults()
	if err := cfg.ApplyEnv(lookup); err != nil {
		t.Fatal(err)
	}
	if cfg.NATS.User != "ops" || cfg.NATS.Password != "pw" {
		t.Errorf("user and password from the environment: %+v", cfg.NATS)
	}
}

func TestConfig_listenBeyondLoopbackNeedsAuth(t *testing.T) {
	for args, ok := range map[string]bool{
		"--listen=0.0.0.0:4222":                         false,
		"--listen=127.0.0.1:4222":                       true,
		"--listen=0.0.0.0:4222 --listen-auth=auth.conf": true,
	} {
		cfg := pipeline.Defaults()
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg.RegisterFlags(fs)
		if err := fs.Parse(strings.Fields(args)); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); (err == nil) != ok {
			t.Errorf("%s: %v", args, err)
		}
	}
}
