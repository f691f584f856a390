package quality

import (
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// An identity table as the old PDF converter wrote it, cell by cell, and
// the same table as a pipe table.
const (
	looseIdentity = `# 1 Sample Feature Overview

Feature Name

Sample Feature

Feature Identity

FAJ 121 4368

Value Package Name

Sample Package

Access Type

LTE
`
	pipeIdentity = `# 1 Sample Feature Overview

| Feature Name | Sample Feature |
|---|---|
| Feature Identity | FAJ 121 4368 |
| Value Package Name | Sample Package |
| Access Type | LTE |
`
)

func TestScore_looseTableIsNotAcceptedAtBasic(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		accepted bool
	}{
		{"table as loose lines", looseIdentity, false},
		{"the same table as a pipe table", pipeIdentity, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := extraction.Input{Text: tt.text}
			s := Score(in, basic(t, in))
			if got := s.Value >= DefaultThresholds()[extraction.ModeBasic]; got != tt.accepted {
				t.Errorf("accepted at basic = %v (score %+v), want %v", got, s, tt.accepted)
			}
		})
	}
}
