#!/usr/bin/env bash
# Renders the office outputs of the Hainan 2018 year in a real browser and a real office
# suite, and checks what they show against the computed figures (issue 12). Not run by
# `cargo test`; installs nothing.
#
# Needs (Debian packages): chromium, libreoffice-writer (with libreoffice-core),
# poppler-utils (pdftoppm, pdftotext), and a CJK font such as fonts-noto-cjk:
#   apt-get install chromium libreoffice-writer poppler-utils fonts-noto-cjk
#
# Usage: tools/render-office.sh [OUT_DIR]   (default: target/office-render)
# Writes OUT_DIR/{report.zh.html,report.zh.docx,...} (from the bangfu-office example
# office_outputs), html.pdf, html-page1.png, docx.pdf, docx-page1.png, and checks with
# pdftotext that each PDF shows the title, every figure of the statement and the score.
# Exit status: 0 when everything is found, 1 when something is missing, 2 when a tool is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/target/office-render}")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v soffice >/dev/null || missing+=(libreoffice-writer)
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || missing+=(poppler-utils)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
    echo "render-office: missing Debian packages: ${missing[*]}" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 2
fi

mkdir -p "$out"
echo "-- the outputs (cargo run -p bangfu-office --example office_outputs -- $out)"
(cd "$root" && cargo run -q -p bangfu-office --example office_outputs -- "$out")

scratch="$(mktemp -d "${TMPDIR:-/tmp}/render-office.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

echo "-- the HTML report in headless Chromium"
chrome=(chromium --headless --no-sandbox --disable-gpu --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$scratch/chromium")
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/html.pdf" \
    "file://$out/report.zh.html" 2>/dev/null
"${chrome[@]}" --window-size=900,1270 --screenshot="$out/html-screen.png" \
    "file://$out/report.zh.html" 2>/dev/null
pdftoppm -f 1 -l 1 -scale-to 800 -png "$out/html.pdf" "$scratch/html"
mv "$scratch"/html-*1.png "$out/html-page1.png"

echo "-- the Word report in LibreOffice"
soffice --headless --norestore -env:UserInstallation="file://$scratch/lo" \
    --convert-to pdf --outdir "$scratch" "$out/report.zh.docx" >/dev/null 2>&1
mv "$scratch/report.zh.pdf" "$out/docx.pdf"
pdftoppm -f 1 -l 1 -scale-to 800 -png "$out/docx.pdf" "$scratch/docx"
mv "$scratch"/docx-*1.png "$out/docx-page1.png"

# Every line of figures.txt (the title, each figure of the statement as the documents write
# it, the score) must appear in the PDF's text; spaces and line breaks are ignored, since a
# table cell may wrap.
status=0
for doc in html docx; do
    pdftotext -layout "$out/$doc.pdf" "$out/$doc.txt"
    text="$(tr -d ' \n\t\f' <"$out/$doc.txt")"
    found=0
    lost=()
    while IFS= read -r needle; do
        [[ -z "$needle" ]] && continue
        if [[ "$text" == *"${needle// /}"* ]]; then
            found=$((found + 1))
        else
            lost+=("$needle")
        fi
    done <"$out/figures.txt"
    pages="$(pdfinfo "$out/$doc.pdf" | sed -n 's/^Pages: *//p')"
    echo "$doc: $pages pages; $found of $((found + ${#lost[@]})) title/figure/score lines found"
    if ((${#lost[@]})); then
        printf '  missing: %s\n' "${lost[@]}"
        status=1
    fi
done
echo "title: $(head -n 1 "$out/figures.txt")"
echo "score: $(tail -n 1 "$out/figures.txt")"
ls -la "$out"/html-page1.png "$out"/docx-page1.png
exit "$status"
