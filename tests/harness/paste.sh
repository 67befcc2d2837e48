#!/bin/sh
# The one runner for the crate's generated curl commands (tests/props.rs, tests/soak/curl.test.mjs):
#
#   sh tests/harness/paste.sh bash|sh < command
#
# feeds the command on standard input to an interactive bash (history expansion of `!` on, as in
# a terminal) or to POSIX sh, as a paste would: a clean environment, an empty working directory,
# and a stand-in `curl` first on PATH that prints each of its arguments followed by a NUL byte.
# Standard output is those arguments and nothing else. Exit status 0, or 3 when the command did
# more than call curl (a file appeared in its directory; named on stderr), 2 for a wrong usage.
set -eu
case "${1-}" in
  bash) set -- bash --norc --noprofile -i ;;
  sh) set -- sh -s ;;
  *) echo "paste.sh: usage: paste.sh bash|sh < command" >&2; exit 2 ;;
esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/tiktok-ads-auth-paste.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/bin" "$dir/work"
printf '%s\n' '#!/bin/sh' "for a do printf '%s\\000' \"\$a\"; done" > "$dir/bin/curl"
chmod 755 "$dir/bin/curl"
# The shell's own status is not the verdict: what curl received is (the caller compares it).
(cd "$dir/work" && exec env -i PATH="$dir/bin:$PATH" HOME="$dir" HISTFILE=/dev/null PS1= PS2= LC_ALL=C.UTF-8 "$@") || true
left=$(ls -A "$dir/work")
if [ -n "$left" ]; then
  echo "paste.sh: the command did more than call curl: it left $left" >&2
  exit 3
fi
