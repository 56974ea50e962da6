"""Benchmark (not a test): PyPI pyresparser 1.0.6 against `vetter parse` on the same résumés.

Usage (from Scripts/bench-pyresparser.sh, which builds the environment):
  NLTK_DATA=DIR VENV_PYTHON compare-pyresparser.py VETTER_BINARY CORPUS_DIR

1. Field accuracy (name, email, phone) on the corpus files with a published expectation that both
   programs can read: the PDF files of Tests/VetterDocumentsTests/AccuracyTests.swift (pyresparser
   reads .pdf and .docx; its .doc path needs textract, which is not installed, and the other
   formats it does not read). The comparison rules are the test's: names compared case- and
   diacritic-insensitively, e-mails case-insensitively, phones when one's digits end the other's,
   and a value counts only in files whose extracted text (Vetter's, as in the test) contains it.
2. Speed on every PDF and DOCX in the corpus: pyresparser's `ResumeParser(path).get_extracted_data()`
   per file in one Python process (its documented API, which loads both spaCy models on every
   call), against `vetter parse --format json` with a process per file and with one process for all
   files. Medians over the files; peak memory is measured by the calling script.
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import time
import unicodedata

vetter, corpus = sys.argv[1], sys.argv[2]

# The PDF expectations of AccuracyTests.swift (name, email, phone).
EXPECTED = [
    ("hackmyresume-expected-modern/resume.pdf", "Jane Q. Fullstacker", "jdoe@onecoolstartup.io", "1-650-999-7777"),
    ("europass-cedefop-examples/CV-Europass-20171212-Smith-EN.pdf", "Betty Smith", "smith@kotmail.com", "+44 2012345679"),
    ("pyresparser/OmkarResume.pdf", "Omkar Pathak", "omkarpathak27@gmail.com", "8087996634"),
]


def folded(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalpha() else " " for c in s).split())


def digits(s):
    return "".join(c for c in (s or "") if c.isdigit())


def same_phone(a, b):
    x, y = digits(a), digits(b)
    return len(x) >= 7 and len(y) >= 7 and (x.endswith(y) or y.endswith(x))


def vetter_fields(path):
    out = subprocess.run([vetter, "parse", "--format", "json", path], capture_output=True, text=True)
    if out.returncode not in (0, 2) or not out.stdout.strip():
        return None, [], [], ""
    doc = json.loads(out.stdout)
    fields = doc.get("fields", {})
    name = (fields.get("name") or {}).get("value")
    emails = [e["value"] for e in fields.get("emails", [])]
    phones = [p["value"] for p in fields.get("phones", [])]
    return name, emails, phones, doc.get("text", "")


t0 = time.perf_counter()
from pyresparser import ResumeParser  # noqa: E402  (timed: spaCy and NLTK imports)
import_seconds = time.perf_counter() - t0

print("## Field accuracy on the same files (AccuracyTests expectations that both programs read: PDF)")
print()
print("| file | field | expected | pyresparser | vetter | note |")
print("|---|---|---|---|---|---|")
score = {"pyresparser": {"name": 0, "email": 0, "phone": 0}, "vetter": {"name": 0, "email": 0, "phone": 0}}
counted = {"name": 0, "email": 0, "phone": 0}
for rel, name, email, phone in EXPECTED:
    path = os.path.join(corpus, rel)
    p = ResumeParser(path).get_extracted_data()
    p_name, p_email, p_phone = p.get("name"), p.get("email"), p.get("mobile_number")
    v_name, v_emails, v_phones, text = vetter_fields(path)
    flat = text.replace("\n", " ")
    present = {"name": name in flat, "email": email in flat, "phone": digits(phone) in digits(flat)}
    checks = {
        "name": (name, p_name, folded(p_name) == folded(name), v_name, folded(v_name) == folded(name)),
        "email": (email, p_email, (p_email or "").lower() == email.lower(), ", ".join(v_emails), any(e.lower() == email.lower() for e in v_emails)),
        "phone": (phone, p_phone, same_phone(p_phone, phone), ", ".join(v_phones), any(same_phone(v, phone) for v in v_phones)),
    }
    for field, (want, pg, pok, vg, vok) in checks.items():
        if not present[field]:
            print(f"| {rel} | {field} | {want} | {pg} | {vg} | not in the extracted text: not counted |")
            continue
        counted[field] += 1
        score["pyresparser"][field] += pok
        score["vetter"][field] += vok
        print(f"| {rel} | {field} | {want} | {pg} {'✓' if pok else '✗'} | {vg} {'✓' if vok else '✗'} | |")
print()
for who in ("pyresparser", "vetter"):
    s = score[who]
    print(f"- {who}: " + ", ".join(f"{f} {s[f]}/{counted[f]}" for f in ("name", "email", "phone")))

files = sorted(glob.glob(os.path.join(corpus, "**", "*.pdf"), recursive=True) + glob.glob(os.path.join(corpus, "**", "*.docx"), recursive=True))
p_times, v_times, p_fail = [], [], 0
for path in files:
    t = time.perf_counter()
    try:
        ResumeParser(path).get_extracted_data()
    except Exception:  # a file pyresparser cannot read still costs its time
        p_fail += 1
    p_times.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([vetter, "parse", "--format", "json", path], capture_output=True)
    v_times.append(time.perf_counter() - t)
t = time.perf_counter()
subprocess.run([vetter, "parse", "--format", "json", *files], capture_output=True)
v_one = time.perf_counter() - t

print()
print(f"## Speed on {len(files)} corpus files (PDF and DOCX; median per file)")
print()
print("| program | median per file | total |")
print("|---|---|---|")
print(f"| pyresparser 1.0.6 (one Python process; import {import_seconds:.1f} s not included; {p_fail} files raised) | {statistics.median(p_times) * 1000:.0f} ms | {sum(p_times):.1f} s |")
print(f"| vetter parse, a process per file | {statistics.median(v_times) * 1000:.0f} ms | {sum(v_times):.1f} s |")
print(f"| vetter parse, one process for all files | {v_one / len(files) * 1000:.0f} ms (mean) | {v_one:.1f} s |")
