#!/usr/bin/env bash
# print-pdf.sh: print markdown documents as PDF with every engine found here,
# for the eval-pdf scripts: headless Chromium (../shared/tools/render_formats.py,
# which also writes the HTML, into WORK/render/pdf) and LibreOffice Writer
# converting that HTML (into WORK/render/libreoffice), so the converter is
# not tuned to one producer. It prints the engines it used, one per line, on
# stdout; a missing LibreOffice is reported on stderr and skipped.
#
#   scripts/print-pdf.sh WORK CORPUS DOC.md...
set -euo pipefail
work=${1:?work folder}
corpus=${2:?corpus folder}
shift 2
"$corpus/../tools/render_formats.py" "$work/render" "$@" >/dev/null
echo chromium
if command -v soffice >/dev/null 2>&1; then
	mkdir -p "$work/render/libreoffice"
	# Writer (not Writer/Web) lays the HTML out as a printed page would be.
	HOME="$PWD/$work" timeout 900 soffice --headless --infilter="HTML (StarWriter)" --convert-to pdf \
		--outdir "$work/render/libreoffice" "$work"/render/html/*.html >"$work/soffice.log" 2>&1
	echo libreoffice
else
	echo "soffice not found (apt-get install libreoffice-writer-nogui): LibreOffice PDFs skipped" >&2
fi
