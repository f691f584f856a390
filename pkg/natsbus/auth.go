package natsbus

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
	"go.uber.org/zap"
)

// TLSConfig secures the connections to an external server.
type TLSConfig struct {
	// CA is a PEM file of the certificate authorities the server's certificate
	// is verified against; set, connections use TLS.
	CA string
	// Cert and Key are a PEM client certificate and its key, presented to a
	// server that verifies its clients (tls { verify: true }).
	Cert, Key string
}

func (t TLSConfig) enabled() bool { return t.CA != "" || t.Cert != "" }

// ErrNotLoopback is returned for an embedded server asked to listen beyond
// this machine without --listen-auth.
var ErrNotLoopback = errors.New("not a loopback address")

// isLoopback reports whether host (of a host:port) is reachable from this
// machine only: localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	host, _, _ = strings.Cut(host, "%") // a zone, fe80::1%lo
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkListen refuses a listen address beyond loopback unless the embedded
// server authenticates its clients.
func (c Config) checkListen() error {
	if c.Listen == "" {
		if c.ListenAuth != "" {
			return errors.New("natsbus: --listen-auth applies to an embedded server that listens (--listen)")
		}
		return nil
	}
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("natsbus: listen address %q: %w", c.Listen, err)
	}
	if c.ListenAuth == "" && !isLoopback(host) {
		return fmt.Errorf("natsbus: --listen %s: %w: a server reachable from the network needs --listen-auth FILE (users and permissions, e.g. the auth.conf of ranstream gen-creds), or listen on 127.0.0.1", c.Listen, ErrNotLoopback)
	}
	return nil
}

// checkClientAuth reports credential and TLS settings that cannot work together.
func (c Config) checkClientAuth() error {
	if c.URL == "" && (c.Creds != "" || c.User != "" || c.TLS.enabled()) {
		return errors.New("natsbus: --creds, --tls-* and NATS_USER authenticate to an external server (--nats); the embedded server needs none")
	}
	if c.Creds != "" && c.User != "" {
		return errors.New("natsbus: give --creds or NATS_USER, not both")
	}
	if c.Password != "" && c.User == "" {
		return errors.New("natsbus: NATS_PASSWORD without NATS_USER")
	}
	if (c.TLS.Cert == "") != (c.TLS.Key == "") {
		return errors.New("natsbus: --tls-cert and --tls-key go together")
	}
	return nil
}

// clientOptions are the authentication and TLS options of every connection to
// an external server.
func (c Config) clientOptions() ([]nats.Option, error) {
	var opts []nats.Option
	if c.Creds != "" {
		o, err := credsOption(c.Creds)
		if err != nil {
			return nil, err
		}
		opts = append(opts, o)
	}
	if c.User != "" {
		opts = append(opts, nats.UserInfo(c.User, c.Password))
	}
	if c.TLS.CA != "" {
		opts = append(opts, nats.RootCAs(c.TLS.CA))
	}
	if c.TLS.Cert != "" {
		opts = append(opts, nats.ClientCert(c.TLS.Cert, c.TLS.Key))
	}
	return opts, nil
}

// credsMarker starts the user JWT of a .creds file.
const credsMarker = "-----BEGIN NATS USER JWT-----"

// credsOption reads a credentials file: a .creds file (a user JWT and its
// seed, as nsc writes them) or a bare nkey user seed (as ranstream gen-creds
// writes them), told apart by their content. The seed is read again from the
// file whenever the server asks for a signature, never kept in memory.
func credsOption(path string) (nats.Option, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("natsbus: credentials: %w", err)
	}
	defer wipe(b)
	if bytes.Contains(b, []byte(credsMarker)) {
		if _, err := nkeys.ParseDecoratedJWT(b); err != nil {
			return nil, fmt.Errorf("natsbus: credentials %s: user JWT: %w", path, err)
		}
		kp, err := nkeys.ParseDecoratedNKey(b)
		if err != nil {
			return nil, fmt.Errorf("natsbus: credentials %s: a .creds file without its seed: %w", path, err)
		}
		kp.Wipe()
		return nats.UserCredentials(path), nil
	}
	kp, err := nkeys.ParseDecoratedNKey(b)
	if err != nil {
		return nil, fmt.Errorf("natsbus: credentials %s: neither a .creds file (user JWT and seed) nor an nkey seed: %w", path, err)
	}
	pub, err := kp.PublicKey()
	kp.Wipe()
	if err != nil || !nkeys.IsValidPublicUserKey(pub) {
		return nil, fmt.Errorf("natsbus: credentials %s: not an nkey user seed (SU...)", path)
	}
	o, err := nats.NkeyOptionFromSeed(path)
	if err != nil {
		return nil, fmt.Errorf("natsbus: credentials %s: %w", path, err)
	}
	return o, nil
}

// warnReadable warns when every user of the machine can read a credentials
// file (a group may: Kubernetes mounts secrets group-readable for fsGroup).
func warnReadable(path string, log *zap.Logger) {
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o007 != 0 {
		log.Warn("credentials file is readable by every user (chmod 600 it)",
			zap.String("file", path), zap.Stringer("mode", st.Mode().Perm()))
	}
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}

// listenAuth loads the embedded server's authorization from file (a
// nats-server configuration: authorization {} or accounts {}, and tls {}) into
// opts, and returns how the in-process connections of this process
// authenticate. With users or nkeys, an internal nkey user with every
// permission is added, in the account of the file's first user, whose seed
// lives only in this process's memory.
func listenAuth(file string) (*server.Options, nats.Option, error) {
	opts, err := server.ProcessConfigFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("natsbus: --listen-auth %s: %w", file, err)
	}
	if len(opts.TrustedOperators) > 0 || len(opts.TrustedKeys) > 0 {
		return nil, nil, fmt.Errorf("natsbus: --listen-auth %s: operator (JWT) mode needs a nats-server of its own; give users or nkeys", file)
	}
	// The file gives authorization and TLS; where and how the server runs is
	// ranstream's (an embedded server joins no cluster and serves no monitoring).
	opts.Cluster, opts.Routes = server.ClusterOpts{}, nil
	opts.Gateway, opts.LeafNode = server.GatewayOpts{}, server.LeafNodeOpts{}
	opts.Websocket, opts.MQTT = server.WebsocketOpts{}, server.MQTTOpts{}
	opts.HTTPPort, opts.HTTPSPort = 0, 0
	switch {
	case len(opts.Nkeys) > 0 || len(opts.Users) > 0:
		kp, err := nkeys.CreateUser()
		if err != nil {
			return nil, nil, fmt.Errorf("natsbus: internal credential: %w", err)
		}
		pub, err := kp.PublicKey()
		if err != nil {
			return nil, nil, fmt.Errorf("natsbus: internal credential: %w", err)
		}
		opts.Nkeys = append(opts.Nkeys, &server.NkeyUser{Nkey: pub, Account: firstAccount(opts)})
		return opts, nats.Nkey(pub, kp.Sign), nil
	case opts.Authorization != "":
		return opts, nats.Token(opts.Authorization), nil
	case opts.Username != "":
		return opts, nats.UserInfo(opts.Username, opts.Password), nil
	}
	return nil, nil, fmt.Errorf("natsbus: --listen-auth %s: no users, nkeys or token: the server would let anyone in", file)
}

// firstAccount is the account of the first user of opts (nil: the global one).
func firstAccount(opts *server.Options) *server.Account {
	for _, u := range opts.Nkeys {
		if u.Account != nil {
			return u.Account
		}
	}
	for _, u := range opts.Users {
		if u.Account != nil {
			return u.Account
		}
	}
	return nil
}
