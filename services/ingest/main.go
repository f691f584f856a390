// Command ingest runs ranstream's ingest service: it watches a directory and
// publishes what arrives to the other stages over NATS (--nats or NATS_URL).
package main

import (
	"os"

	"github.com/ranstream/ranstream/pkg/app"
)

func main() {
	os.Exit(app.IngestMain(app.Env{Args: os.Args[1:], Lookup: os.LookupEnv, Stdout: os.Stdout, Stderr: os.Stderr}))
}
