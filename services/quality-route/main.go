// Command quality-route runs the quality-route stage of ranstream as its own service: set --nats (or
// NATS_URL) to join a cluster; without it, an embedded server is started.
package main

import (
	"os"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/names"
)

func main() {
	os.Exit(app.StageMain(names.StageQualityRoute, app.Env{Args: os.Args[1:], Lookup: os.LookupEnv, Stdout: os.Stdout, Stderr: os.Stderr}))
}
