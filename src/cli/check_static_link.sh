#!/usr/bin/env bash
# check_static_link.sh FIELDTRUST — with FT_CLI_STATIC the command needs no shared library but the
# C library (src/cli/CMakeLists.txt). A library that came back means a target started to use a
# function the static link does not cover: a new TSS function needs a forwarder in
# tss2_on_demand.cc, a new out-of-line {fmt} function one in fmt_vformat.cc.
set -euo pipefail
needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
extra=$(grep -v -E '^(libc|libm|ld-linux-x86-64)\.so' <<<"$needed" || true)
if [ -n "$extra" ]; then
  echo "$1 needs shared libraries FT_CLI_STATIC should have left out:" $extra
  exit 1
fi
echo "$1 needs only:" $needed
