#!/usr/bin/env bash
# The CLI's figures (README, "The command-line tool"), measured side by side in one run; not part of CI.
#   1. `check` of the corpus and the mistakes against check-jsonschema with AWS's schema: what each accepts and
#      catches, and the time each takes for the whole corpus (one process each, as a CI step would run them).
#   2. `check` of one definition, process start to exit: the median of 200 runs of the release build.
# check-jsonschema is installed (pinned, tests/definitions/sdk/requirements-jsonschema.txt) into target/jsonschema-venv.
# Usage: bash cli/compare.sh   (from the repository root; needs ../shared/pipeline-definition/)
set -euo pipefail
cd "$(dirname "$0")/.."
schema=../shared/pipeline-definition/pipeline-definition.schema.json
[ -f "$schema" ] || { echo "needs $schema" >&2; exit 1; }
venv=target/jsonschema-venv
if [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/definitions/sdk/requirements-jsonschema.txt
fi
cargo build --quiet --release -p sagemaker-pipelines-cli
bin=${CARGO_TARGET_DIR:-target}/release/sagemaker-pipelines
corpus=(tests/definitions/corpus/*/*.json)
mistakes=(tests/definitions/mistakes/*.json)

ms() { python3 -c 'import sys,time; print(round((time.time()-float(sys.argv[1]))*1000))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

echo "== accepted (exit 0), per file: sagemaker-pipelines check | check-jsonschema"
ours_ok=0; theirs_ok=0
for f in "${corpus[@]}" "${mistakes[@]}"; do
  a=rejected; "$bin" check "$f" >/dev/null 2>&1 && { a=accepted; ours_ok=$((ours_ok+1)); }
  b=rejected; "$venv/bin/check-jsonschema" --schemafile "$schema" "$f" >/dev/null 2>&1 && { b=accepted; theirs_ok=$((theirs_ok+1)); }
  printf '%-60s %-9s %s\n' "$f" "$a" "$b"
done
echo "accepted of ${#corpus[@]} corpus + ${#mistakes[@]} mistakes: ours $ours_ok, check-jsonschema $theirs_ok"

echo "== the whole corpus, one process each (median of 5)"
for tool in ours theirs; do
  times=()
  for _ in 1 2 3 4 5; do
    t=$(now)
    if [ $tool = ours ]; then "$bin" check "${corpus[@]}" >/dev/null 2>&1 || true
    else "$venv/bin/check-jsonschema" --schemafile "$schema" "${corpus[@]}" >/dev/null 2>&1 || true; fi
    times+=("$(ms "$t")")
  done
  printf '%s: %s ms (runs: %s)\n' $tool "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "${times[*]}"
done

echo "== one definition, process start to exit (release, median of 200)"
python3 - "$bin" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(200):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", "tests/definitions/corpus/sdk2/training_processing.json"], stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
runs.sort()
print(f"median {statistics.median(runs):.1f} ms, p10 {runs[20]:.1f} ms, p90 {runs[180]:.1f} ms")
PY
