package chunk

import (
	"errors"
	"fmt"
)

// DefaultTarget is the chunk size aimed at when Config.Target is zero: large enough
// for a clause and its table, small enough for retrieval and for a local LLM's context.
const DefaultTarget = 4000

// ErrInvalidConfig is returned (wrapped) by Config.Validate and New, so callers can
// tell a configuration mistake from anything else with errors.Is.
var ErrInvalidConfig = errors.New("chunk: invalid config")

// Config sizes the chunks. Sizes are counted in characters (runes), not bytes, so a
// document in any script gets chunks of the same visible length.
type Config struct {
	// Target is the chunk size aimed at, in characters (runes). Whole blocks are
	// packed into a chunk until the next one would go past Target. Default 4000.
	Target int
	// Max is the hard limit; default 2*Target. A block between Target and Max is
	// kept whole in a chunk of its own; only a block larger than Max is cut (a
	// table between rows, a paragraph at sentences, a code fence between lines).
	// The one exception is a unit that cannot be cut: a table row or a code line
	// longer than Max is emitted whole, in a chunk of its own.
	Max int
}

// setDefaults fills the zero fields.
func (c *Config) setDefaults() {
	if c.Target == 0 {
		c.Target = DefaultTarget
	}
	if c.Max == 0 {
		c.Max = 2 * c.Target
	}
}

// Validate reports whether the configuration can be used. Zero fields mean their
// default, so Validate may be called before or after the defaults are applied.
func (c Config) Validate() error {
	if c.Target < 0 {
		return fmt.Errorf("%w: Target %d is negative", ErrInvalidConfig, c.Target)
	}
	if c.Max < 0 {
		return fmt.Errorf("%w: Max %d is negative", ErrInvalidConfig, c.Max)
	}
	target := c.Target
	if target == 0 {
		target = DefaultTarget
	}
	if c.Max != 0 && c.Max < target {
		return fmt.Errorf("%w: Max %d is below Target %d", ErrInvalidConfig, c.Max, target)
	}
	return nil
}
