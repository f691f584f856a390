// Package fault classifies errors into permanent ones (bad input: retrying cannot
// help, the message goes to the dead-letter queue at once) and transient ones (the
// rest: retried, then dead-lettered when the retries are spent). Stage logic uses it
// without knowing anything about the transport.
package fault

import (
	"errors"
	"fmt"
)

// ErrPermanent marks an error that no retry can fix.
var ErrPermanent = errors.New("permanent")

type permanent struct{ err error }

func (p permanent) Error() string   { return p.err.Error() }
func (p permanent) Unwrap() []error { return []error{p.err, ErrPermanent} }

// Permanent wraps err so that IsPermanent reports true; nil stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err: err}
}

// Permanentf formats a permanent error, like fmt.Errorf.
func Permanentf(format string, args ...any) error {
	return Permanent(fmt.Errorf(format, args...))
}

// IsPermanent reports whether err, or any error it wraps, is permanent.
func IsPermanent(err error) bool { return errors.Is(err, ErrPermanent) }
