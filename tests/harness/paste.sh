#!/bin/sh
# The one runner for the crate's generated curl commands (tests/props_exchange.rs,
# tests/soak/curl.test.mjs):
#
#   sh tests/harness/paste.sh bash|sh < command
#
# feeds the command on standard input to an interactive bash (history expansion of `!` on, as in
# a terminal) or to POSIX sh, as a paste would: a clean environment, an empty working directory,
# and the stand-in `curl` of tests/harness/bin first on PATH, which prints each of its arguments
# followed by a NUL byte. Standard output is what the command printed: for a command that only
# calls curl, curl's arguments. Exit status 0; 3 when the command did more than call curl (a file
# appeared in its directory, named on stderr); 2 for a wrong usage.
set -eu
case "${1-}" in
  bash) set -- bash --norc --noprofile -i ;;
  sh) set -- sh -s ;;
  *) echo "paste.sh: usage: paste.sh bash|sh < command" >&2; exit 2 ;;
esac
bin=$(cd "$(dirname "$0")/bin" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tiktok-ads-auth-paste.XXXXXX")
trap 'rm -rf "$dir"' EXIT
# The shell's own status is not the verdict: what curl received is (the caller compares it).
(cd "$dir" && exec env -i PATH="$bin:$PATH" HOME="$dir" HISTFILE=/dev/null PS1= PS2= LC_ALL=C.UTF-8 "$@") || true
for f in "$dir"/* "$dir"/.[!.]* "$dir"/..?*; do
  if [ -e "$f" ] || [ -L "$f" ]; then
    echo "paste.sh: the command did more than call curl: it left ${f##*/}" >&2
    exit 3
  fi
done
