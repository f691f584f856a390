// Command ranstream is the all-in-one binary: every stage in one process on an
// embedded NATS server by default, or against a cluster with --nats.
package main

import (
	"os"

	"github.com/ranstream/ranstream/pkg/app"
)

func main() {
	os.Exit(app.Main(app.Env{Args: os.Args[1:], Lookup: os.LookupEnv, Stdout: os.Stdout, Stderr: os.Stderr}))
}
