//go:build !linux

package watch

// heldForWriting cannot tell on this platform: the settle period alone decides.
func heldForWriting([]string) map[string]string { return nil }
