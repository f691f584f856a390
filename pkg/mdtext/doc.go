// Package mdtext holds the text primitives that the extraction rules and the
// quality score both read a chunk with: markdown headings, unescaping,
// whitespace collapsing, the words of activation, appendix, role and
// relationship headings and cells, and the FAJ / CXC ids and MoClass.attribute
// names of running text. One definition serves both, so the score measures
// against what the rules read; and each is a hand-written scanner, since they
// run over every line of every chunk in every mode.
package mdtext
