#!/usr/bin/env bash
# eval-pdf-unseen.sh: ELEX documents nobody labelled or tuned on, printed as
# PDF, must give what their markdown gives. It picks N documents of
# corpus/elex outside corpus/elex-gold (a fixed seed, so a run can be
# repeated; SEED picks another sample), prints them with headless Chromium
# (../shared/tools/render_formats.py) and, when installed, LibreOffice
# Writer, processes the markdown and every print with ranstream and scores
# each print's extractions against the markdown's (scripts/agree.py): min F1
# over the categories must reach MIN. Skips without chromium.
#
#   scripts/eval-pdf-unseen.sh bin/ranstream ../shared/corpus [N] [MIN]
set -euo pipefail
bin=${1:?binary}
corpus=${2:?corpus folder}
n=${3:-40}
min=${4:-0.95}
seed=${SEED:-2026}
if ! command -v chromium >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import markdown' 2>/dev/null; then
	echo "eval-pdf-unseen: needs chromium and python3-markdown (apt-get install chromium python3-markdown), skipped"
	exit 0
fi
if [ ! -d "$corpus/elex" ] || [ ! -d "$corpus/elex-gold" ]; then
	echo "eval-pdf-unseen: $corpus/elex or elex-gold absent, skipped"
	exit 0
fi
# Each seed has its own folder, so that the prints of two samples can be
# kept side by side (to convert them again with another build).
work=.evalpdf-unseen/seed-$seed
rm -rf "$work"
mkdir -p "$work/md"
/usr/bin/python3 - "$corpus" "$n" "$seed" >"$work/list" <<'PY'
import os, random, sys
corpus, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
gold = {f[:-5] for f in os.listdir(os.path.join(corpus, "elex-gold")) if f.endswith(".json")}
docs = sorted(f for f in os.listdir(os.path.join(corpus, "elex")) if f.endswith(".md") and f[:-3] not in gold)
random.seed(seed)
for f in random.sample(docs, min(n, len(docs))):
    print(os.path.join(corpus, "elex", f))
PY
mapfile -t docs <"$work/list"
cp "${docs[@]}" "$work/md/"
echo "== $(wc -l <"$work/list") documents outside elex-gold (seed $seed)"
printed=$(scripts/print-pdf.sh "$work" "$corpus" "${docs[@]}")
mapfile -t engines <<<"$printed"
"$bin" process --log-level warn --out "$work/out-md" "$work/md" >/dev/null
status=0
for line in "${engines[@]}"; do
	e=${line%% *} dir=${line#* }
	echo "== PDF printed by $e against the markdown"
	"$bin" process --log-level warn --out "$work/out-$e" "$dir" >/dev/null
	python3 scripts/agree.py --min "$min" "$work/out-md/extractions.jsonl" "$work/out-$e/extractions.jsonl" || status=1
done
exit $status
