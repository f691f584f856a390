package archive

import (
	"errors"
	"fmt"
)

// Config bounds what one archive may cost. Zero fields take their defaults.
type Config struct {
	// MaxEntries is the most entries the central directory may list, folders and
	// junk included: parsing the directory is itself the cost. Default 10000.
	MaxEntries int
	// MaxTotal is the most uncompressed bytes the members handed over may add up
	// to. Default 2 GiB.
	MaxTotal int64
	// MaxEntry is the largest uncompressed member handed over; a larger one is
	// skipped with a reason. Default 512 MiB.
	MaxEntry int64
	// MaxRatio is the highest uncompressed/compressed ratio of a member, and of the
	// members together over the archive size, above which the archive is a zip bomb.
	// Members and archives under 1 MiB uncompressed are exempt (a small run of
	// blanks compresses absurdly well and harms no one). Default 200: the 3GPP
	// spec zips reach 1.0 (their .docx is compressed already), the parts inside a
	// .docx or .xlsx at most 36, while zeros deflate at about 1000.
	MaxRatio float64
	// MaxDepth is the deepest nesting expanded: 0 is an archive ingested as a file,
	// 1 an archive found inside it, and so on. Default 3.
	MaxDepth int
}

func (c *Config) setDefaults() {
	if c.MaxEntries == 0 {
		c.MaxEntries = 10000
	}
	if c.MaxTotal == 0 {
		c.MaxTotal = 2 << 30
	}
	if c.MaxEntry == 0 {
		c.MaxEntry = 512 << 20
	}
	if c.MaxRatio == 0 {
		c.MaxRatio = 200
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = 3
	}
}

// Validate reports the fields that cannot work, after defaults.
func (c Config) Validate() error {
	var errs []error
	if c.MaxEntries < 0 {
		errs = append(errs, fmt.Errorf("MaxEntries %d is negative", c.MaxEntries))
	}
	if c.MaxTotal < 0 {
		errs = append(errs, fmt.Errorf("MaxTotal %d is negative", c.MaxTotal))
	}
	if c.MaxEntry < 0 {
		errs = append(errs, fmt.Errorf("MaxEntry %d is negative", c.MaxEntry))
	}
	if c.MaxRatio < 1 && c.MaxRatio != 0 {
		errs = append(errs, fmt.Errorf("MaxRatio %g is below 1: even stored members would be refused", c.MaxRatio))
	}
	if c.MaxDepth < 0 {
		errs = append(errs, fmt.Errorf("MaxDepth %d is negative", c.MaxDepth))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("archive config: %w", err)
	}
	return nil
}
