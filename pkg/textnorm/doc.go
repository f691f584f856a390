// Package textnorm turns document text into the one form the later stages expect:
// UTF-8 (Decode) with line endings, spaces and invisible characters made uniform
// (Normalize), so that chunking, pattern matching and deduplication see the same text
// whatever editor, exporter or code page produced it.
//
// The package is pure: it reads nothing but its arguments.
package textnorm
