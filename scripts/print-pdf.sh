#!/usr/bin/env bash
# print-pdf.sh: print markdown documents as PDF with every engine found here,
# for the eval-pdf scripts, so the converter is not tuned to one producer:
#   chromium     headless Chromium (../shared/tools/render_formats.py, which
#                also writes the HTML), into WORK/render/pdf;
#   libreoffice  LibreOffice Writer converting that HTML;
#   weasyprint   WeasyPrint converting that HTML;
#   wkhtmltopdf  Qt WebKit (wkhtmltopdf) converting that HTML;
#   latex        pandoc writing LaTeX from the markdown (tables with booktabs
#                rules, columns sized by scripts/pandoc-widths.lua), typeset
#                by pdflatex (needs pandoc, texlive-latex-recommended,
#                texlive-fonts-recommended, lmodern).
# Each engine but chromium writes into WORK/render/ENGINE. It prints one line
# per engine used, "ENGINE DIR", on stdout; a missing engine is reported on
# stderr and skipped, and so is a document an engine fails to print (its
# log is WORK/ENGINE.log).
#
#   scripts/print-pdf.sh WORK CORPUS DOC.md...
set -euo pipefail
work=${1:?work folder}
corpus=${2:?corpus folder}
shift 2
"$corpus/../tools/render_formats.py" "$work/render" "$@" >/dev/null
echo "chromium $work/render/pdf"

# each ENGINE DIR CMD...: CMD IN OUT prints one document; every HTML print
# is given 120 s.
each() {
	local engine=$1 dir=$2 failed=0 f out
	shift 2
	mkdir -p "$dir"
	for f in "$work"/render/html/*.html; do
		out=$dir/$(basename "$f" .html).pdf
		timeout 120 "$@" "$f" "$out" >>"$work/$engine.log" 2>&1 || { failed=$((failed + 1)); rm -f "$out"; }
	done
	[ "$failed" -eq 0 ] || echo "$engine failed on $failed documents (see $work/$engine.log)" >&2
	echo "$engine $dir"
}

if command -v soffice >/dev/null 2>&1; then
	mkdir -p "$work/render/libreoffice"
	# Writer (not Writer/Web) lays the HTML out as a printed page would be.
	HOME="$PWD/$work" timeout 900 soffice --headless --infilter="HTML (StarWriter)" --convert-to pdf \
		--outdir "$work/render/libreoffice" "$work"/render/html/*.html >"$work/libreoffice.log" 2>&1
	echo "libreoffice $work/render/libreoffice"
else
	echo "soffice not found (apt-get install libreoffice-writer-nogui): LibreOffice PDFs skipped" >&2
fi
if command -v weasyprint >/dev/null 2>&1; then
	each weasyprint "$work/render/weasyprint" weasyprint -q
else
	echo "weasyprint not found (apt-get install weasyprint): WeasyPrint PDFs skipped" >&2
fi
if command -v wkhtmltopdf >/dev/null 2>&1; then
	XDG_RUNTIME_DIR="$PWD/$work" QT_QPA_PLATFORM=offscreen each wkhtmltopdf "$work/render/wkhtmltopdf" wkhtmltopdf -q
else
	echo "wkhtmltopdf not found (apt-get install wkhtmltopdf): wkhtmltopdf PDFs skipped" >&2
fi
if command -v pandoc >/dev/null 2>&1 && command -v pdflatex >/dev/null 2>&1; then
	mkdir -p "$work/render/latex"
	# The columns of a table as wide as their words (see pandoc-widths.lua);
	# "$...$" and backslashes are text, as python-markdown and the browsers
	# print them, not TeX ("pmEbsDrbEstabFailInitCauseGrp$NgCause$").
	latex=(-f markdown-tex_math_dollars-raw_tex --lua-filter "$(dirname "$0")/pandoc-widths.lua" --pdf-engine=pdflatex -V geometry:margin=2cm)
	failed=0
	for f in "$@"; do
		out=$work/render/latex/$(basename "$f" .md).pdf
		# pdflatex knows few characters beyond Latin-1 ("≥", "μ"): a
		# document it refuses is printed again transliterated to ASCII.
		timeout 300 pandoc "${latex[@]}" -o "$out" "$f" >>"$work/latex.log" 2>&1 ||
			iconv -f UTF-8 -t ASCII//TRANSLIT "$f" | timeout 300 pandoc "${latex[@]}" \
				--resource-path "$(dirname "$f")" -o "$out" >>"$work/latex.log" 2>&1 ||
			{ failed=$((failed + 1)); rm -f "$out"; }
	done
	[ "$failed" -eq 0 ] || echo "latex failed on $failed documents (see $work/latex.log)" >&2
	echo "latex $work/render/latex"
else
	echo "pandoc or pdflatex not found (apt-get install pandoc texlive-latex-recommended texlive-fonts-recommended lmodern): LaTeX PDFs skipped" >&2
fi
