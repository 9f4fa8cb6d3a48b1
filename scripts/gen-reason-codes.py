#!/usr/bin/env python3
"""gen-reason-codes.py [--check] — write docs/reason-codes.md from the one code list in
src/core/base/include/ft/base/error.h (FT_ERROR_CODES). With --check, exit 1 when the committed
document differs from what the list says (a ctest test runs this)."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
header = (root / "src/core/base/include/ft/base/error.h").read_text()
body = header[header.index("#define FT_ERROR_CODES(X)"):header.index("enum class Code")]

lines = [
    "# Reason codes",
    "",
    "Every verdict of the verifier core carries one of these codes. The name (second column) is",
    "stable and is what `--json` output reports as `reason`; the number is stable too (`code`).",
    "Codes are only ever appended. This page is generated from `src/core/base/include/ft/base/error.h`",
    "by `scripts/gen-reason-codes.py`; a test fails when the two disagree.",
    "",
    "Exit status of the commands: 0 accepted, 1 rejected (any code below), 2 bad command line,",
    "3 unreadable or malformed input file, 4 environment failure.",
    "",
]
for m in re.finditer(r'/\* (.*?) \*/|X\((\w+), (\d+), "((?:[^"\\]|\\.)*)"\)', body):
    if m.group(1):
        lines += ["", f"## {m.group(1)}", "", "| code | name | meaning |", "|---:|---|---|"]
    else:
        name, value, desc = m.group(2), m.group(3), m.group(4).replace('\\"', '"')
        if name == "ok":
            continue
        lines.append(f"| {value} | `{name}` | {desc} |")
text = "\n".join(lines) + "\n"
out = root / "docs/reason-codes.md"
if "--check" in sys.argv:
    if not out.exists() or out.read_text() != text:
        print("docs/reason-codes.md is out of date: run scripts/gen-reason-codes.py")
        sys.exit(1)
    print("docs/reason-codes.md is up to date")
else:
    out.write_text(text)
    print(f"wrote {out}")
