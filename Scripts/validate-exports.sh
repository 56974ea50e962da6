#!/usr/bin/env bash
# Validates Vetter exports with the reference tools:
#   bash Scripts/validate-exports.sh STIX_BUNDLE.json [MISP_EVENT.json ...]
# Files ending in .stix.json (or any file whose JSON "type" is "bundle") go to the OASIS STIX
# validator (PyPI stix2-validator, STIX 2.1); the others are loaded with PyPI pymisp's MISPEvent.
# stix2-validator is pinned to 3.2.0: the 3.3.1 wheel on PyPI ships without its JSON schemas.
# Makes a venv (VETTER_VALIDATE_VENV, default .build/validate-venv) and installs both on first use.
# Exit: 0 all valid; 1 a file is invalid; 3 the tools could not be installed (reason on stderr).
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VETTER_VALIDATE_VENV:-$here/.build/validate-venv}"
if [ "$#" -eq 0 ]; then echo "usage: $0 FILE..." >&2; exit 64; fi
if ! command -v python3 >/dev/null; then echo "validate-exports: python3 not found" >&2; exit 3; fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import stix2validator, pymisp, os, sys; sys.exit(0 if os.path.isdir(os.path.join(os.path.dirname(stix2validator.__file__), 'schemas-2.1')) else 1)" 2>/dev/null; then
    python3 -m venv "$venv" >/tmp/vetter-venv.log 2>&1 || { echo "validate-exports: cannot create a venv (python3-venv missing?): $(tail -3 /tmp/vetter-venv.log)" >&2; exit 3; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "stix2-validator==3.2.0" "pymisp>=2.5" >/tmp/vetter-pip.log 2>&1 \
        || { echo "validate-exports: pip could not install stix2-validator and pymisp: $(tail -3 /tmp/vetter-pip.log)" >&2; exit 3; }
fi
"$venv/bin/python" - "$@" <<'PY'
import json, sys
from stix2validator import validate_file, ValidationOptions, print_results
from pymisp import MISPEvent
failed = False
for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    if isinstance(doc, dict) and doc.get("type") == "bundle":
        result = validate_file(path, ValidationOptions(version="2.1"))
        print_results(result)
        if not result.is_valid:
            failed = True
        else:
            print(f"STIX 2.1 valid: {path} ({len(doc['objects'])} objects)")
    else:
        try:
            expected = len(doc.get("Event", doc).get("Attribute", []))
            event = MISPEvent()
            event.load(doc)
            print(f"MISP event loaded: {path} ({len(event.attributes)} attributes, info={event.info!r})")
            if len(event.attributes) != expected:
                print(f"MISP attribute count differs in {path}", file=sys.stderr); failed = True
        except Exception as error:
            print(f"MISP load failed for {path}: {error}", file=sys.stderr)
            failed = True
sys.exit(1 if failed else 0)
PY
