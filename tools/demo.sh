#!/usr/bin/env bash
# `make demo`: a day of generated Shanxi cross-border traffic, validated and
# shown in its JSON form, with a quick measurement of this machine.
set -euo pipefail
dryport=${1:-build/dryport}
out=${DEMO_DIR:-out/demo}
rm -rf "$out"
mkdir -p "$out"

echo "== 1. A day of traffic: Shanxi exporters (9610) and consumers in China (9610 direct, 1210 bonded)"
"$dryport" gen --out "$out/messages" --orders 400 --faults default --seed 2025

echo
echo "== 2. Validate every message (schema and document rules; injected faults show up here)"
set +e
"$dryport" validate --format json "$out/messages" > "$out/validate.json"
status=$?
set -e
python3 - "$out/validate.json" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
s = report["summary"]
print(f"{s['files']} files: {s['valid']} valid, {s['invalid']} invalid")
rules = collections.Counter(f["rule"] for e in report["files"] for f in e.get("findings", []) if f["severity"] == "error")
for rule, n in rules.most_common(12):
    print(f"  {n:5d}  {rule}")
PY
echo "(dryport validate exit code: $status — 1 means some files are invalid, as the injected faults intend)"

echo
echo "== 3. One import order as JSON (the form the HTTP API will take)"
first=$(ls "$out/messages" | grep -m1 'CEB311' || true)
if [ -n "$first" ]; then
  "$dryport" convert --to json "$out/messages/$first" | head -40
fi

echo
echo "== 4. Codec speed on this machine"
"$dryport" bench codec --orders 2000 --seconds 1
echo
echo "Messages are in $out/messages; the generator's manifest with the expected outcome of each order is $out/messages/manifest.json."
