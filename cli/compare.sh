#!/usr/bin/env bash
# The CLI's figures (README, "The command-line tool"), measured side by side in one run; not part of CI.
#   1. `check` of the corpus and the mistakes against check-jsonschema with AWS's schema: what each accepts and
#      catches, and the time each takes for the whole corpus (one process each, as a CI step would run them).
#   2. `check` of one definition, process start to exit: the median of 200 runs of the release build.
#   Times are wall clock and the process's CPU time (user + system), the figure that holds on a busy machine.
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

echo "== accepted (exit 0), per file: sagemaker-pipelines check | check-jsonschema"
ours_ok=0; theirs_ok=0
for f in "${corpus[@]}" "${mistakes[@]}"; do
  a=rejected; "$bin" check "$f" >/dev/null 2>&1 && { a=accepted; ours_ok=$((ours_ok+1)); }
  b=rejected; "$venv/bin/check-jsonschema" --schemafile "$schema" "$f" >/dev/null 2>&1 && { b=accepted; theirs_ok=$((theirs_ok+1)); }
  printf '%-60s %-9s %s\n' "$f" "$a" "$b"
done
echo "accepted of ${#corpus[@]} corpus + ${#mistakes[@]} mistakes: ours $ours_ok, check-jsonschema $theirs_ok"

echo "== the whole corpus, one process each (median of 7; wall and CPU time, user + system, of the process)"
python3 - "$bin" "$venv/bin/check-jsonschema" "$schema" "${corpus[@]}" <<'PY'
import resource, statistics, subprocess, sys, time
ours, theirs, schema, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - t) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
for name, cmd in [("ours", [ours, "check", *files]), ("check-jsonschema", [theirs, "--schemafile", schema, *files])]:
    runs = [run(cmd) for _ in range(7)]
    print(f"{name}: wall {statistics.median(r[0] for r in runs):.0f} ms, CPU {statistics.median(r[1] for r in runs):.0f} ms")
one = "tests/definitions/corpus/sdk2/training_processing.json"
runs = [run([ours, "check", one]) for _ in range(200)]
print(f"one definition, process start to exit (median of 200): wall {statistics.median(r[0] for r in runs):.1f} ms, "
      f"CPU {statistics.median(r[1] for r in runs):.1f} ms")
PY
