#!/usr/bin/env python3
"""jsonschema_check.py SCHEMA YAML... — validate YAML files against a JSON Schema (draft 2020-12)
with an independent implementation (python3-jsonschema), for schema_agreement_test.

Prints one line per file: "<file>: valid" or "<file>: invalid: <first error>". Exit 0 unless the
tool itself fails (2: missing module, bad schema)."""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # the test skips when this happens
    print(f"missing module: {error}", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path)
            print(f"{path}: invalid: {where}: {errors[0].message}")
        else:
            print(f"{path}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
