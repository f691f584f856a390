// Package app implements the ranstream commands (process, run) on top of the
// pipeline, so that the binaries' mains stay composition roots.
package app

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Input is one file to ingest and the name it is ingested under.
type Input struct {
	Path   string
	Source string
}

// Skippable reports names that are not documents: dotfiles, Office lock files
// (~$x.docx), partial downloads.
func Skippable(name string) bool {
	base := filepath.Base(name)
	switch {
	case strings.HasPrefix(base, "."), strings.HasPrefix(base, "~$"):
		return true
	case strings.HasSuffix(base, ".part"), strings.HasSuffix(base, ".crdownload"),
		strings.HasSuffix(base, ".tmp"), strings.HasSuffix(base, "~"):
		return true
	}
	return false
}

// Collect expands files and folders (recursively) into inputs, sorted by source.
// A file inside a folder is named by its path relative to that folder; a file
// given directly by its base name.
func Collect(paths []string) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !st.IsDir() {
			out = append(out, Input{Path: p, Source: filepath.Base(p)})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && Skippable(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(p, path)
			if err != nil {
				return err
			}
			out = append(out, Input{Path: path, Source: filepath.ToSlash(rel)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}
