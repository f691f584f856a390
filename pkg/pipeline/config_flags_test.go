package pipeline_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

func TestConfig_flagsRefuseUnknownNames(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--threshold", "bsic=0.5"}, `unknown mode "bsic"`},
		{[]string{"--threshold", "cmedit=1.5"}, "want a number in [0,1]"},
		{[]string{"--workers", "extrat=3"}, `unknown stage "extrat"`},
		{[]string{"--max-ack-pending", "detect=0"}, "want a positive number"},
		{[]string{"--threshold", "cmedit=0.8", "--workers", "extract=3"}, ""},
	} {
		cfg := pipeline.Defaults()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg.RegisterFlags(fs)
		err := fs.Parse(tc.args)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: error %v, want it to mention %q", tc.args, err, tc.wantErr)
		}
		if tc.wantErr == "" {
			if cfg.Thresholds[extraction.ModeCmedit] != 0.8 || cfg.Workers["extract"] != 3 {
				t.Errorf("%v: parsed %v %v", tc.args, cfg.Thresholds, cfg.Workers)
			}
		}
	}
}
