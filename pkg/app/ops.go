package app

import (
	"errors"
	"flag"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/logging"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// opsTarget is where status and dlq look: a running pipeline's NATS server
// (--nats) or the store of a stopped one (--data).
type opsTarget struct {
	bus natsbus.Config
}

func (o *opsTarget) register(fs *flag.FlagSet, env Env) {
	o.bus.Name = "ranstream"
	pipeline.ApplyNATSEnv(env.Lookup, &o.bus)
	fs.StringVar(&o.bus.URL, "nats", o.bus.URL, "NATS server of the pipeline (env NATS_URL): a cluster, or ranstream run --listen 127.0.0.1:4222")
	fs.StringVar(&o.bus.DataDir, "data", "", "data directory of a stopped ranstream run (a running one holds it: use --nats)")
	pipeline.RegisterNATSFlags(fs, &o.bus)
}

// connect opens the target; the caller closes the bus.
func (o *opsTarget) connect(name string) (*natsbus.Bus, jetstream.JetStream, error) {
	switch {
	case o.bus.URL != "" && o.bus.DataDir != "":
		return nil, nil, usagef("%s: --nats or --data, not both", name)
	case o.bus.URL == "" && o.bus.DataDir == "":
		return nil, nil, usagef("%s: needs --nats URL (a running pipeline) or --data DIR (a stopped one)", name)
	}
	log, err := logging.New(logging.Config{Level: "warn"})
	if err != nil {
		return nil, nil, err
	}
	b, err := natsbus.New(o.bus, log.With(zap.String("cmd", name)))
	if errors.Is(err, natsbus.ErrStoreInUse) {
		return nil, nil, fmt.Errorf("%s --data: %w", name, err)
	}
	if err != nil {
		return nil, nil, err
	}
	_, js, err := b.JetStream(name)
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	return b, js, nil
}
