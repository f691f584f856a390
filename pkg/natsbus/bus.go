// Package natsbus decides the broker and hands out connections: no URL means an
// embedded nats-server with JetStream whose store lives under the data directory
// (in-process connections, plus a loopback listener when asked so the nats CLI can
// look inside); a URL means an external server or cluster. Stages only ever see a
// *nats.Conn and a jetstream.JetStream.
package natsbus

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// Config selects and configures the broker.
type Config struct {
	// URL of an external NATS server or cluster (comma-separated). Empty starts an
	// embedded server.
	URL string
	// DataDir holds the embedded server's JetStream store (DataDir/jetstream).
	DataDir string
	// Listen, for the embedded server, is a host:port to accept clients on (the
	// nats CLI, other processes); empty accepts in-process connections only.
	// Port -1 or 0 picks a free port. An address beyond loopback (127.0.0.0/8,
	// ::1, localhost) needs ListenAuth.
	Listen string
	// ListenAuth is a nats-server configuration file (authorization {} or
	// accounts {} with users, nkeys or a token, and optionally tls {}) that the
	// listening embedded server authenticates clients with, such as the
	// auth.conf of `ranstream gen-creds`. This process's own in-process
	// connections then use an internal credential made at start.
	ListenAuth string
	// Creds authenticates the connections to an external server: a .creds file
	// (user JWT and seed) or an nkey seed file, told apart by content.
	Creds string
	// User and Password authenticate to an external server instead of Creds.
	User, Password string
	// TLS secures the connections to an external server.
	TLS TLSConfig
	// Name identifies this process's connections in server monitoring.
	Name string
	// ReadyTimeout bounds the wait for the embedded server. Default 10s.
	ReadyTimeout time.Duration
	// MaxPayload of the embedded server, in bytes. Default 8 MiB.
	MaxPayload int32
}

func (c *Config) setDefaults() {
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = 10 * time.Second
	}
	if c.MaxPayload == 0 {
		c.MaxPayload = 8 << 20
	}
	if c.Name == "" {
		c.Name = "ranstream"
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.URL == "" && c.DataDir == "" {
		return errors.New("natsbus: embedded server needs a data directory")
	}
	if c.URL != "" && (c.Listen != "" || c.ListenAuth != "") {
		return errors.New("natsbus: --listen applies to the embedded server only, not with a URL")
	}
	if err := c.checkListen(); err != nil {
		return err
	}
	return c.checkClientAuth()
}

// Bus is a connected broker: the embedded server when there is one, and a factory
// of connections to it.
type Bus struct {
	cfg    Config
	server *server.Server
	log    *zap.Logger
	// auth are the options every connection authenticates and encrypts with:
	// the client credentials and TLS for an external server, the internal
	// credential for an embedded one that authenticates.
	auth []nats.Option

	mu    sync.Mutex
	conns []*nats.Conn
	// lock holds the embedded server's store against a second process.
	lock *os.File
}

// New starts the embedded server or checks the external one is reachable. The
// owner closes the bus once everything using it has stopped, so that in-flight
// work can still ack while a process shuts down.
func New(cfg Config, log *zap.Logger) (*Bus, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	b := &Bus{cfg: cfg, log: log}
	if cfg.URL == "" {
		if err := b.startEmbedded(); err != nil {
			return nil, err
		}
	} else {
		auth, err := cfg.clientOptions()
		if err != nil {
			return nil, err
		}
		b.auth = auth
		if cfg.Creds != "" {
			warnReadable(cfg.Creds, log)
		}
	}
	nc, err := b.Conn("probe")
	if err != nil {
		b.Close()
		return nil, err
	}
	nc.Close()
	return b, nil
}

func (b *Bus) startEmbedded() error {
	opts := &server.Options{}
	if b.cfg.ListenAuth != "" {
		o, internal, err := listenAuth(b.cfg.ListenAuth)
		if err != nil {
			return err
		}
		opts, b.auth = o, []nats.Option{internal}
	}
	lock, err := lockStore(b.cfg.DataDir)
	if err != nil {
		return err
	}
	opts.ServerName = b.cfg.Name
	opts.JetStream = true
	opts.StoreDir = filepath.Join(b.cfg.DataDir, "jetstream")
	opts.MaxPayload = b.cfg.MaxPayload
	opts.DontListen = b.cfg.Listen == ""
	opts.NoSigs, opts.NoLog = true, true
	if b.cfg.Listen != "" {
		host, port, err := net.SplitHostPort(b.cfg.Listen)
		if err != nil {
			return fmt.Errorf("natsbus: listen address %q: %w", b.cfg.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return fmt.Errorf("natsbus: listen port %q: %w", port, err)
		}
		if p == 0 {
			p = -1
		}
		opts.Host, opts.Port = host, p
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		lock.Close()
		return fmt.Errorf("natsbus: embedded server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(b.cfg.ReadyTimeout) {
		ns.Shutdown()
		lock.Close()
		return fmt.Errorf("natsbus: embedded server not ready after %s", b.cfg.ReadyTimeout)
	}
	b.server, b.lock = ns, lock
	fields := []zap.Field{zap.String("store", opts.StoreDir)}
	if !opts.DontListen {
		fields = append(fields, zap.String("url", ns.ClientURL()), zap.Bool("auth", b.cfg.ListenAuth != ""))
	}
	b.log.Info("embedded NATS server started", fields...)
	return nil
}

// Embedded reports whether this bus runs its own server.
func (b *Bus) Embedded() bool { return b.server != nil }

// ClientURL is where other processes reach the embedded server when it listens,
// or the external URL.
func (b *Bus) ClientURL() string {
	if b.server != nil {
		if b.cfg.Listen == "" {
			return ""
		}
		return b.server.ClientURL()
	}
	return b.cfg.URL
}

// Conn opens a new connection named after its user. Each stage takes its own, so
// closing one stage (watermill drains the subscriber's connection) leaves the
// others running. The bus closes what it handed out when it closes.
func (b *Bus) Conn(user string) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(b.cfg.Name + "/" + user),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.log.Warn("NATS disconnected", zap.String("conn", user), zap.Error(err))
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.log.Info("NATS reconnected", zap.String("conn", user), zap.String("url", nc.ConnectedUrl()))
		}),
		// Asynchronous errors, permission violations among them: a publish or
		// subscription the server refuses is otherwise only a timeout.
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			fields := []zap.Field{zap.String("conn", user), zap.Error(err)}
			if sub != nil {
				fields = append(fields, zap.String("subject", sub.Subject))
			}
			b.log.Warn("NATS error", fields...)
		}),
	}
	opts = append(opts, b.auth...)
	url := b.cfg.URL
	if b.server != nil {
		opts = append(opts, nats.InProcessServer(b.server))
		url = ""
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("natsbus: connect %s for %s: %w", displayURL(url), user, err)
	}
	b.mu.Lock()
	b.conns = append(b.conns, nc)
	b.mu.Unlock()
	return nc, nil
}

// JetStream opens a connection for user and its JetStream context.
func (b *Bus) JetStream(user string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := b.Conn(user)
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("natsbus: jetstream for %s: %w", user, err)
	}
	return nc, js, nil
}

// Close closes every connection handed out and stops the embedded server,
// flushing its store. Safe to call more than once.
func (b *Bus) Close() {
	b.mu.Lock()
	conns := b.conns
	b.conns = nil
	b.mu.Unlock()
	for _, nc := range conns {
		nc.Close()
	}
	if b.server != nil {
		b.server.Shutdown()
		b.server.WaitForShutdown()
	}
	if b.lock != nil {
		b.lock.Close()
		b.lock = nil
	}
}

func displayURL(u string) string {
	if u == "" {
		return "embedded server"
	}
	return u
}
