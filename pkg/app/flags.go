package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"

	"github.com/ranstream/ranstream/pkg/names"
)

// usageError is a mistake on the command line: one line, exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// parse parses args into fs, taking flags before, between and after the
// positional arguments (`process DIR --out X`), and returns the positionals;
// `--` ends the flags. A bad flag or value is one line naming the command, not
// the whole usage; -h prints the usage and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(out)
				fs.Usage()
				return nil, err
			}
			return nil, usageError{fmt.Errorf("%s: %w (%s -h lists the flags)", fs.Name(), err, helpCommand(fs.Name()))}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// helpCommand is the command line that shows name's flags: a stage's own
// binary (bin/detect) for a stage, `ranstream NAME` for a command.
func helpCommand(name string) string {
	if slices.Contains(names.Stages(), name) {
		return name
	}
	return "ranstream " + name
}

// usagef is a usage mistake found after parsing.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// buildVersion is set by the linker (make build: -X ...app.buildVersion=$(git describe)).
var buildVersion string

// Version is this build's version: what make build stamped (git describe), or
// the module version and VCS revision Go stamped into the binary, or "devel".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if buildVersion != "" {
		return buildVersion + " " + bi.GoVersion
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + dirty
	}
	return v + " " + bi.GoVersion
}

// checkOutDir makes sure the output directory can be written before any work
// starts: it is created when missing; a file of that name, or a directory this
// process cannot write, is refused. Empty means no output.
func checkOutDir(dir string) error {
	if dir == "" {
		return nil
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return usagef("--out %s: not a directory", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".ranstream-probe-*")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write there: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
