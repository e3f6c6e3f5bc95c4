"""Run AWS's pipeline-definition JSON Schema over the corpus with check-jsonschema, and write
the verdict of each file into the table between the schema markers of ../README.md.

check-jsonschema's own verdict decides "accepted" or "rejected". Its messages for a step are
about the schema's `oneOf` over every step kind, so for each rejected step the report names
the errors against the definition of the step's own `Type` instead (found with the jsonschema
library check-jsonschema runs on), and "no step kind" for a Type the schema does not define.
Usage (regenerate.sh does this): python check_schema.py SCHEMA
"""

import collections
import json
import os
import re
import subprocess
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
DEFINITIONS = os.path.dirname(HERE)
CORPUS = os.path.join(DEFINITIONS, "corpus")
README = os.path.join(DEFINITIONS, "README.md")
BEGIN, END = "<!-- schema-table:begin -->", "<!-- schema-table:end -->"

KINDS = {
    "Condition": "ConditionStep",
    "Training": "TrainingStep",
    "Processing": "ProcessingStep",
    "Transform": "TransformStep",
    "Model": "CreateModelStep",
    "RegisterModel": "RegisterModelStep",
    "Lambda": "LambdaStep",
    "Callback": "CallbackStep",
    "Tuning": "TuningStep",
    "ClarifyCheck": "ClarifyCheckStep",
    "QualityCheck": "QualityCheckStep",
    "EMR": "EMRStep",
    "Fail": "FailStep",
    "AutoML": "AutoMLStep",
    "Endpoint": "EndpointStep",
    "EndpointConfig": "EndpointConfigStep",
}


def path_of(error, base):
    text = base
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def step_errors(schema, step, path, out):
    """The errors of one step against its own kind's definition, descending into the
    condition branches, each as (path, message)."""
    kind = KINDS.get(step.get("Type")) if isinstance(step, dict) else None
    if kind is None:
        out.append((f"{path}.Type", f"no step kind {step.get('Type')!r} in the schema"))
        return
    validator = jsonschema.Draft7Validator(
        {"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]}
    )
    for error in validator.iter_errors(step):
        where = path_of(error, path)
        located = error.instance
        if error.validator in ("oneOf", "anyOf") and isinstance(located, dict) and "Type" in located and "Name" in located:
            step_errors(schema, located, where, out)
        elif error.validator in ("oneOf", "anyOf"):
            out.append((where, f"matches none of the {error.validator} choices"))
        else:
            out.append((where, error.message))


def shorten(message):
    message = re.sub(r"\{.*\} is not", "the object is not", message)
    return message if len(message) <= 140 else message[:137] + "..."


def report(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    rows = []
    for version in sorted(os.listdir(CORPUS)):
        for name in sorted(os.listdir(os.path.join(CORPUS, version))):
            file = os.path.join(CORPUS, version, name)
            run = subprocess.run(
                ["check-jsonschema", "-o", "json", "--schemafile", schema_path, file],
                capture_output=True,
                text=True,
            )
            verdict = json.loads(run.stdout)
            if verdict["status"] == "ok":
                rows.append((f"{version}/{name}", "accepted", ""))
                continue
            with open(file, encoding="utf-8") as f:
                document = json.load(f)
            found = []
            for error in verdict["errors"]:
                match = re.fullmatch(r"\$\.Steps\[(\d+)\]", error["path"])
                if match and error.get("has_sub_errors"):
                    step_errors(schema, document["Steps"][int(match.group(1))], error["path"], found)
                else:
                    found.append((error["path"], error["message"]))
            counts = collections.Counter(
                (re.sub(r"\[\d+\]", "[*]", where), shorten(message)) for where, message in found
            )
            detail = "<br>".join(
                f"`{where}`: {message}" + (f" (×{count})" if count > 1 else "")
                for (where, message), count in sorted(counts.items())
            )
            rows.append((f"{version}/{name}", f"rejected ({len(found)} errors)", detail))
    lines = ["| file | check-jsonschema | errors, by the step's own kind (`[*]`: any index) |",
             "| --- | --- | --- |"]
    lines += ["| `%s` | %s | %s |" % (f, v, d.replace("|", "\\|")) for f, v, d in rows]
    return "\n".join(lines)


def main():
    table = report(sys.argv[1])
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    with open(README, "w", encoding="utf-8") as f:
        f.write(text[:start] + "\n" + table + "\n" + text[stop:])
    print(table)


if __name__ == "__main__":
    main()
