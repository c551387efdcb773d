#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: set-up first (idempotent), then `deno task test`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$("$root/scripts/setup.sh")
export PATH="$bin:$PATH"
cd "$root"
exec deno task test "$@"
