#!/usr/bin/env bash
# eval-pdf.sh: print the labelled ELEX documents of corpus/elex-gold as PDF
# with every engine found here, process each set with ranstream and score it
# against the labels (min F1 over the categories must reach MIN, 0.95).
# Engines: headless Chromium (../shared/tools/render_formats.py, which also
# writes the HTML) and LibreOffice Writer (soffice converting that HTML), so
# the converter is not tuned to one producer. An engine that is missing is
# skipped with a message; without Chromium and python3-markdown nothing runs.
#
#   scripts/eval-pdf.sh bin/ranstream ../shared/corpus [MIN]
set -euo pipefail
bin=${1:?binary}
corpus=${2:?corpus folder}
min=${3:-0.95}
if ! command -v chromium >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import markdown' 2>/dev/null; then
	echo "eval-pdf: needs chromium and python3-markdown (apt-get install chromium python3-markdown), skipped"
	exit 0
fi
if [ ! -d "$corpus/elex-gold" ]; then
	echo "eval-pdf: $corpus/elex-gold absent, skipped"
	exit 0
fi
work=.evalpdf
rm -rf "$work"
docs=()
for f in "$corpus"/elex-gold/*.json; do docs+=("$corpus/elex/$(basename "$f" .json).md"); done
printed=$(scripts/print-pdf.sh "$work" "$corpus" "${docs[@]}")
mapfile -t engines <<<"$printed"
status=0
for line in "${engines[@]}"; do
	e=${line%% *} dir=${line#* }
	echo "== PDF printed by $e ($(ls "$dir" | wc -l) documents)"
	"$bin" process --log-level warn --out "$work/out-$e" "$dir" >/dev/null
	"$bin" eval --min-f1 "$min" --gold "$corpus/elex-gold" "$work/out-$e/extractions.jsonl" || status=1
done
exit $status
