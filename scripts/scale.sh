#!/usr/bin/env bash
# scale.sh: scale on paper, from measurements. Runs `ranstream process`
# (through the embedded bus, as a user runs it) over one set of documents per
# format, measures the CPU seconds (user+sys) it takes, and derives the
# per-core throughput: documents, MB of input and (PDF) pages per CPU second.
# From those it projects all of 3GPP Rel-8 to 19 (about 30,000 documents,
# 13.5 GB) on a 16-core laptop and on N cluster nodes, assuming the work
# spreads over the cores (the stages size their workers to the cores; the
# projection says what it assumes).
#
#   scripts/scale.sh bin/ranstream ../shared/corpus
set -euo pipefail
bin=${1:?binary}
corpus=${2:?corpus folder}
if [ ! -d "$corpus/elex" ] || [ ! -d "$corpus/3gpp" ] || [ ! -d "$corpus/pdf" ]; then
	echo "scale: $corpus lacks elex/, 3gpp/ or pdf/; skipped"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A sets=(
	[elex-markdown]="$corpus/elex"
	[3gpp-docx]="$corpus/3gpp/24301-i90.docx $corpus/3gpp/24301-j10.zip $corpus/3gpp/38331-i40.zip"
	[pdf]="$corpus/pdf"
)
printf '%-14s %6s %8s %7s %8s %8s %10s %10s %10s\n' set docs MB pages wall_s cpu_s docs/cpu_s MB/cpu_s pages/cpu_s
for name in elex-markdown 3gpp-docx pdf; do
	# shellcheck disable=SC2086
	bytes=$(du -cbL ${sets[$name]} | tail -1 | cut -f1)
	out="$tmp/$name"
	# shellcheck disable=SC2086
	/usr/bin/time -f '%e %U %S' -o "$tmp/$name.time" "$bin" process --log-level warn --out "$out" ${sets[$name]} >/dev/null
	read -r wall user sys <"$tmp/$name.time"
	docs=$(wc -l <"$out/extractions.jsonl")
	pages=0
	if [ "$name" = pdf ]; then
		pages=$(cat "$out"/docs/*.md | grep -c '^<!-- page [0-9]* -->' || true)
	fi
	awk -v n="$name" -v d="$docs" -v b="$bytes" -v p="$pages" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN{
		c=u+s; mb=b/1e6
		printf "%-14s %6d %8.1f %7d %8.1f %8.1f %10.2f %10.3f %10.1f\n", n, d, mb, p, w, c, d/c, mb/c, (p>0? p/c : 0)
	}' | tee -a "$tmp/rates"
done

# 3GPP Rel-8..19: ~30,000 documents, 13.5 GB. Throughput per CPU second from
# the 3gpp-docx set, by documents and by bytes (the specs measured are among
# the largest, so by documents is the pessimistic bound).
awk '$1=="3gpp-docx"{dps=$7; mbps=$8} END{
	docs=30000; mb=13500
	cpu_docs=docs/dps; cpu_mb=mb/mbps
	printf "\n3GPP Rel-8..19 (%d documents, %.1f GB): %.1f CPU hours by documents, %.1f by bytes (cores of this machine)\n", docs, mb/1000, cpu_docs/3600, cpu_mb/3600
	printf "%-56s %14s %14s\n", "where", "hours (docs)", "hours (bytes)"
	n=split("16:16-core laptop (M3 Max; cores assumed equal to these),32:2 nodes x 16 cores,64:4 nodes x 16 cores,128:8 nodes x 16 cores", rows, ",")
	for (i=1;i<=n;i++) { split(rows[i], kv, ":"); printf "%-56s %14.2f %14.2f\n", kv[2], cpu_docs/3600/kv[1], cpu_mb/3600/kv[1] }
}' "$tmp/rates"
echo
echo "Assumes linear scaling over cores and nodes (each stage sizes its workers to the cores; scripts/bench-cluster.sh measured 6.7 -> 8.3 docs/s from one to two llm-extract instances on 2 cores), no LLM pass, and that an M3 Max performance core does at least the work of one core here."
