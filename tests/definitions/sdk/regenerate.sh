#!/usr/bin/env bash
# Regenerates the definitions corpus (../corpus/sdk2, ../corpus/sdk3) with the SageMaker Python
# SDK versions pinned in requirements-2.txt and requirements-3.txt, then the check-jsonschema table
# in ../README.md. Needs python3 (3.11, which the pins were resolved on) and the package index;
# makes no AWS call (offline.py refuses the network). CI never runs this: the corpus is committed.
#
#   tests/definitions/sdk/regenerate.sh            all of it
#   tests/definitions/sdk/regenerate.sh sdk2 NAME  one pipeline of one version (or sdk3)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venvs="$root/target/definitions"
schema="$root/../shared/pipeline-definition/pipeline-definition.schema.json"
python="${PYTHON:-python3}"

venv() { # venv NAME REQUIREMENTS: a virtual environment holding exactly the pinned packages
  local dir="$venvs/$1"
  if [ ! -f "$dir/.installed" ] || ! cmp -s "$2" "$dir/.installed"; then
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$2"
    cp "$2" "$dir/.installed"
  fi
  echo "$dir"
}

cd "$here"
if [ $# -gt 0 ]; then
  version="$1"; shift
  "$(venv "$version" "requirements-${version#sdk}.txt")/bin/python" "${version}_pipelines.py" "$@"
  exit
fi
"$(venv sdk2 requirements-2.txt)/bin/python" sdk2_pipelines.py
"$(venv sdk3 requirements-3.txt)/bin/python" sdk3_pipelines.py
if [ -f "$schema" ]; then
  checker="$(venv jsonschema requirements-jsonschema.txt)"
  PATH="$checker/bin:$PATH" "$checker/bin/python" check_schema.py "$schema" > /dev/null
  echo "updated the check-jsonschema table in tests/definitions/README.md"
else
  echo "no $schema: the check-jsonschema table is left as it is" >&2
fi
