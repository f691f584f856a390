package app

import (
	"flag"
	"fmt"

	"github.com/ranstream/ranstream/pkg/pipeline"
)

// synopsis is the head of `COMMAND -h`: what the command does, how it is
// called, and examples; the flags follow.
func synopsis(name string) (string, bool) {
	switch name {
	case "run":
		return `ranstream run: every stage on an embedded NATS server (or --nats); files dropped
into --inbox are ingested, --out is rendered again as results arrive.

  ranstream run [flags]

  ranstream run --data data --inbox inbox --out out
  ranstream run --listen 127.0.0.1:4222 --metrics 127.0.0.1:9464
  ranstream run --nats nats://127.0.0.1:4222 --apply-streams=false --creds ranstream.nk`, true
	case "process":
		return `ranstream process: ingest files and folders, wait until every document is done
or dead-lettered, write the outputs and a summary.

  ranstream process [flags] PATH... (flags may follow the paths)

  ranstream process --out out docs/ more/file.md
  ranstream process --out out 3gpp:38.331@18
  ranstream process --mode hybrid --llm-url http://127.0.0.1:8080/v1 --llm-model mlx-community/Qwen3-8B-4bit --out out docs/`, true
	case "replay":
		return `ranstream replay: run documents of earlier runs through the pipeline again.

  ranstream replay [flags]

  ranstream replay --data data --out out2
  ranstream replay --data data --from extract --source '38331*' --out out2`, true
	}
	return "", false
}

// SectionDataset groups the flags of the fine-tuning set in -h.
const SectionDataset = "dataset"

// describe sets fs's usage: the command's synopsis and examples when it has
// some (a stage service gets one line), then its flags.
func describe(fs *flag.FlagSet, name string, sections *pipeline.FlagSections) {
	fs.Usage = func() {
		w := fs.Output()
		if s, ok := synopsis(name); ok {
			fmt.Fprintf(w, "%s\n", s)
		} else {
			fmt.Fprintf(w, "ranstream %s: the %s stage as its own service; --nats joins a cluster.\n\n  %s [flags]\n", name, name, name)
		}
		sections.PrintDefaults(w)
	}
}
