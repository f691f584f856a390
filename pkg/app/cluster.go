package app

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ranstream/ranstream/pkg/natsbus/access"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/streams"
)

// applyStreamsCmd applies the topology of streams/ to a cluster and exits:
// the admin's step before services start with --apply-streams=false.
func applyStreamsCmd(env Env, args []string) int {
	c := common{pipeline: pipeline.Defaults()}
	c.pipeline.Stages = []string{}
	fs, err := newFlags("apply-streams", env, &c)
	if err != nil {
		return fail(env, err)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if c.pipeline.NATS.URL == "" || len(pos) > 0 {
		return fail(env, usagef("usage: ranstream apply-streams --nats URL [--creds ADMIN] [--replicas N] [--retention DUR]"))
	}
	c.pipeline.ApplyTopology = true
	ctx, cancel, log, err := setup(&c)
	if err != nil {
		return fail(env, err)
	}
	defer cancel()
	defer log.Sync() //nolint:errcheck // stderr
	p, err := pipeline.Start(ctx, c.pipeline, log)
	if err != nil {
		return fail(env, err)
	}
	p.Close()
	fmt.Fprintf(env.Stdout, "streams, consumers and buckets of streams/ applied to %s\n", c.pipeline.NATS.URL)
	return 0
}

// genCredsCmd writes the users of a cluster: one nkey seed per service, the
// operator and the admin, and the auth.conf (and tls.conf) the NATS nodes include.
func genCredsCmd(env Env, args []string) int {
	fs := flag.NewFlagSet("gen-creds", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := access.Options{}
	fs.StringVar(&o.Dir, "out", "deploy/nats/secrets", "directory for the seeds (secrets: keep it out of version control), auth.conf and tls.conf")
	fs.StringVar(&o.Account, "account", access.DefaultAccount, "NATS account of the users")
	fs.BoolVar(&o.TLS, "tls", false, "also make a CA, a server and a client certificate (kept when present) and turn TLS on in tls.conf")
	hosts := fs.String("tls-hosts", strings.Join(access.DefaultHosts, ","), "names and addresses the server certificate is valid for, comma-separated")
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if len(pos) > 0 {
		return fail(env, usagef("usage: ranstream gen-creds [--out DIR] [--tls [--tls-hosts H,...]]"))
	}
	o.Hosts = strings.Split(*hosts, ",")
	set, err := streams.Load()
	if err != nil {
		return fail(env, err)
	}
	res, err := access.Generate(set, o)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "%s: %s and %s for %d users", o.Dir, access.AuthFile, access.TLSConfFile, len(res.Users))
	if len(res.Created) > 0 {
		fmt.Fprintf(env.Stdout, "; new seeds: %s", strings.Join(res.Created, ", "))
	}
	fmt.Fprintln(env.Stdout)
	for _, u := range res.Users {
		fmt.Fprintf(env.Stdout, "  %-14s --creds %s\n", u.Name, filepath.Join(o.Dir, access.SeedFile(u.Name)))
	}
	if res.TLS {
		tls := filepath.Join(o.Dir, access.TLSDir)
		fmt.Fprintf(env.Stdout, "TLS on: --tls-ca %s --tls-cert %s --tls-key %s\n",
			filepath.Join(tls, access.CAFile), filepath.Join(tls, access.ClientFile), filepath.Join(tls, access.ClientKeyFile))
	}
	return 0
}
