#!/usr/bin/env bash
# bench-pdf.sh compares the PDF converter (pkg/formats/pdf) with
# `mutool draw -F txt` on the corpus PDFs: per file the pages, our pages/s
# against mutool's, the ratio of the times and the word recall of our text
# against mutool's (target >= 0.98 per file, time within 1.5x of mutool),
# then the Go benchmarks. It skips cleanly without mutool or the corpus.
#
#   scripts/bench-pdf.sh [CORPUS_DIR]      (default /work/shared/corpus)
set -euo pipefail
corpus=${1:-$(dirname "$0")/../../shared/corpus}
# The test binary runs in its package's folder: the corpus path must not be relative.
corpus=$(cd "$corpus" 2>/dev/null && pwd || echo "$corpus")
cd "$(dirname "$0")/.."
if ! command -v mutool >/dev/null 2>&1; then
	echo "bench-pdf: mutool not found (apt-get install mupdf-tools); skipping"
	exit 0
fi
if ! compgen -G "$corpus/pdf/*.pdf" >/dev/null; then
	echo "bench-pdf: no PDFs in $corpus/pdf; skipping"
	exit 0
fi

# Run the test binaries directly so that go test's own chatter stays out of
# the tables (the converter's MuPDF messages no longer reach stderr).
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -c -tags pdfbench -o "$bin/pdf.test" ./pkg/formats/pdf/
cd pkg/formats/pdf

echo "== pages/s and word recall against mutool $(mutool -v 2>&1 | head -1 | awk '{print $3}')"
"$bin/pdf.test" -test.count=1 -test.run '^TestCompareWithMutool$' -test.v -corpus "$corpus" 2>/dev/null |
	grep -v -e '^=== RUN' -e '^PASS$' -e '^--- PASS'

echo
echo "== BenchmarkConvert"
"$bin/pdf.test" -test.run '^$' -test.bench 'BenchmarkConvert' -test.benchtime 1s -corpus "$corpus" 2>/dev/null |
	grep -e '^Benchmark' -e 'FAIL'
