#!/usr/bin/env python3
"""Validates EPCIS documents against GS1's EPCIS 2.0 JSON Schema (draft-07, with formats).

Usage: validate_epcis.py SCHEMA DOCUMENT...
Prints one JSON line per document: {"file", "errors", "messages" (the first 20)}. Exits 1 when a
document has errors, 2 when the format checker cannot check URIs (rfc3987 missing): a validator
that skips formats would pass documents the portal refuses.
"""
import json
import sys

from jsonschema import Draft7Validator, FormatChecker


def main():
    schema_path, documents = sys.argv[1], sys.argv[2:]
    checker = FormatChecker()
    if "uri" not in checker.checkers or "date-time" not in checker.checkers:
        print("jsonschema cannot check uri/date-time formats: pip install rfc3987 rfc3339-validator", file=sys.stderr)
        sys.exit(2)
    with open(schema_path, encoding="utf-8") as f:
        validator = Draft7Validator(json.load(f), format_checker=checker)
    failed = False
    for path in documents:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        errors = list(validator.iter_errors(document))
        failed = failed or bool(errors)
        messages = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300]) for e in errors[:20]]
        print(json.dumps({"file": path, "errors": len(errors), "messages": messages}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
