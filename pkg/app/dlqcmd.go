package app

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/dlq"
	"github.com/ranstream/ranstream/pkg/names"
)

const dlqUsage = `usage: ranstream dlq list|show|redrive|purge [--nats URL | --data DIR] [flags]
  list    [--stage S] [--reason PATTERN] [--since DUR] [--json]   one line per dead letter: seq, time, stage, source, reason
  show    SEQ                                                      one dead letter whole (JSON)
  redrive SEQ... | --stage S | --reason PATTERN | --since DUR | --all
                                                                   publish the original inputs to their stages again
                                                                   (after a fix), then remove their dead letters (--keep: don't)
  purge   SEQ... | --stage S | --reason PATTERN | --since DUR | --all
                                                                   remove dead letters`

func newOpsFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func dlqCmd(env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stderr, dlqUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "show", "redrive", "purge":
	default:
		return fail(env, usagef("dlq: unknown subcommand %q (want list, show, redrive or purge)", sub))
	}
	name := "dlq " + sub
	fs := newOpsFlags(name, env)
	fs.Usage = func() { fmt.Fprintln(env.Stderr, dlqUsage); fs.PrintDefaults() }
	var target opsTarget
	target.register(fs, env)
	stageName := fs.String("stage", "", "only the dead letters of this stage")
	reason := fs.String("reason", "", "only those whose reason matches this regular expression (case-insensitive)")
	since := fs.Duration("since", 0, "only those written within this long, e.g. 1h")
	asJSON := fs.Bool("json", false, "list: one JSON object per line")
	all := fs.Bool("all", false, "redrive, purge: every dead letter (no filter needed)")
	keep := fs.Bool("keep", false, "redrive: keep the dead letters after republishing")
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	re, err := dlq.ParseReason(*reason)
	if err != nil {
		return fail(env, usageError{err})
	}
	if *since < 0 {
		return fail(env, usagef("%s: --since must be positive", name))
	}
	if *stageName != "" && !slices.Contains(names.Stages(), *stageName) {
		return fail(env, usagef("%s: unknown stage %q (want one of %s)", name, *stageName, strings.Join(names.Stages(), ", ")))
	}
	f := dlq.Filter{Stage: *stageName, Reason: re, Since: *since}
	for _, p := range pos {
		seq, err := strconv.ParseUint(p, 10, 64)
		if err != nil || seq == 0 {
			return fail(env, usagef("%s: %q is not a dead letter's sequence number (ranstream dlq list shows them)", name, p))
		}
		f.Seqs = append(f.Seqs, seq)
	}
	switch sub {
	case "list":
		if len(f.Seqs) > 0 {
			return fail(env, usagef("dlq list: takes no arguments (dlq show SEQ shows one)"))
		}
	case "show":
		if len(f.Seqs) != 1 {
			return fail(env, usagef("dlq show: one sequence number (ranstream dlq list shows them)"))
		}
	default:
		if !*all && len(f.Seqs) == 0 && f.Stage == "" && f.Reason == nil && f.Since == 0 {
			return fail(env, usagef("%s: say which dead letters: SEQ..., --stage, --reason, --since, or --all", name))
		}
	}
	b, js, err := target.connect(name)
	if err != nil {
		return fail(env, err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tool := dlq.New(js)
	if sub == "show" {
		l, _, err := tool.Get(ctx, f.Seqs[0])
		if err != nil {
			return fail(env, err)
		}
		out, _ := json.MarshalIndent(l, "", "  ")
		fmt.Fprintln(env.Stdout, string(out))
		return 0
	}
	letters, err := tool.List(ctx, f)
	if err != nil {
		return fail(env, err)
	}
	switch sub {
	case "list":
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			for _, l := range letters {
				if err := enc.Encode(l); err != nil {
					return fail(env, err)
				}
			}
			return 0
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tTIME\tSTAGE\tSOURCE\tREASON")
		for _, l := range letters {
			src := l.Source
			if l.Chunk >= 0 {
				src += "#" + strconv.Itoa(l.Chunk)
			}
			if src == "" {
				src = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", l.Seq, l.Time.Local().Format(time.DateTime), l.Stage, src, oneLine(l.Reason))
		}
		tw.Flush()
		fmt.Fprintf(env.Stderr, "%d dead letter(s)\n", len(letters))
		return 0
	case "purge":
		n, err := tool.Purge(ctx, letters)
		fmt.Fprintf(env.Stdout, "purged %d dead letters\n", n)
		if err != nil {
			return fail(env, err)
		}
		return 0
	}
	failed := 0
	var done []dlq.Letter
	for _, l := range letters {
		ack, err := tool.Redrive(ctx, l)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stderr, "ranstream: dlq redrive %d (%s, %s): %v\n", l.Seq, l.Stage, l.Source, err)
			continue
		}
		done = append(done, l)
		fmt.Fprintf(env.Stdout, "redriven %d %s %s -> %s #%d\n", l.Seq, l.Stage, l.Source, ack.Stream, ack.Sequence)
	}
	if !*keep {
		if _, err := tool.Purge(ctx, done); err != nil {
			return fail(env, err)
		}
	}
	fmt.Fprintf(env.Stdout, "redriven %d of %d dead letters\n", len(done), len(letters))
	if failed > 0 {
		return 1
	}
	return 0
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
