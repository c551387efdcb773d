#!/usr/bin/env bash
# Installs the `opendesk` command: builds the offline bundle, copies it with the project's own
# Deno into PREFIX/share/opendesk, and links PREFIX/bin/opendesk to its launcher.
#
# Usage: scripts/install.sh [--prefix DIR]   (default: ~/.local)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix="${HOME}/.local"
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?"--prefix needs a directory"}; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h | --help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option '$1': use --prefix DIR" >&2; exit 2 ;;
  esac
done
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
share="$prefix/share/opendesk"
bin=$("$root/scripts/setup.sh")
"$bin/deno" run -A "$root/scripts/build_bundle.ts" --out-dir "$share" >&2
# A copy of Deno beside the launcher: the installed command keeps working without the checkout.
cp -f "$(readlink -f "$bin/deno")" "$share/deno.tmp" && mv -f "$share/deno.tmp" "$share/deno"
mkdir -p "$prefix/bin"
ln -sfn "$share/opendesk" "$prefix/bin/opendesk"
echo "installed $prefix/bin/opendesk -> $share/opendesk"
case ":$PATH:" in
  *":$prefix/bin:"*) echo "run: opendesk help" ;;
  *) echo "note: $prefix/bin is not on your PATH; add it (e.g. in ~/.profile: export PATH=\"$prefix/bin:\$PATH\"), or run $prefix/bin/opendesk" ;;
esac
