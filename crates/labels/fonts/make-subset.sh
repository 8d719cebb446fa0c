#!/usr/bin/env bash
# Rebuilds the fonts vendored beside this script from Debian's Noto packages, reduced to what
# warehouse documents print: addresses across Europe (Latin, Latin Extended-A/B, Greek, Cyrillic)
# and Chinese product names (the 6,763 hanzi and the symbols of GB2312, CJK and full-width
# punctuation). The PDFs subset again per document; this only keeps the repository small.
#
# Needs: apt-get install fonts-noto-core fonts-noto-cjk; pip install fonttools.
# Usage: crates/labels/fonts/make-subset.sh   (writes the .ttf/.otf files next to it)
set -euo pipefail
cd "$(dirname "$0")"

CORE=/usr/share/fonts/truetype/noto
CJK=/usr/share/fonts/opentype/noto
# Basic Latin, Latin-1, Latin Extended-A/B, IPA-free spacing modifiers and combining marks (for
# decomposed input), Greek, Cyrillic, Latin Extended Additional, general punctuation, currency,
# letterlike symbols (numero, trade mark), arrows and the replacement character.
EUROPE="U+0020-007E,U+00A0-024F,U+02B0-036F,U+0370-03FF,U+0400-052F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+FFFD"

# Noto Sans (Regular, Bold): every European script a label carries; hinting dropped (labels are
# printed, not shown on low-resolution screens).
for face in Regular Bold; do
  pyftsubset "$CORE/NotoSans-$face.ttf" --unicodes="$EUROPE" --layout-features='*' \
    --no-hinting --desubroutinize --output-file="NotoSans-$face.ttf"
done

# Noto Sans CJK SC (face 2 of Debian's collection): GB2312's characters (simplified Chinese in
# everyday use) plus CJK/full-width punctuation and Latin for mixed product names.
python3 - > gb2312.txt <<'PY'
chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
print("".join(sorted(chars)))
PY
pyftsubset "$CJK/NotoSansCJK-Regular.ttc" --font-number=2 --text-file=gb2312.txt \
  --unicodes="U+0020-007E,U+00A0-00FF,U+2000-206F,U+3000-303F,U+FF00-FFEF,U+FFFD" \
  --layout-features="*" --no-hinting --output-file=NotoSansSC-Regular.otf
rm gb2312.txt
ls -l NotoSans-*.ttf NotoSansSC-*.otf
