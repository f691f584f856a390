package app

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// The total shown starts at the inputs known up front, instead of growing
// while they are ingested (which made the estimate swing).
func TestProgress_totalStartsAtTheInputs(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	p := newProgress(nil, zap.New(core), nil)
	p.expect(10)
	p.update(1, 2) // two of ten files ingested so far, one done
	if e := logs.FilterMessage("progress").All(); len(e) != 1 || e[0].ContextMap()["total"] != int64(10) {
		t.Fatalf("progress lines %v, want one with total 10", e)
	}
}
