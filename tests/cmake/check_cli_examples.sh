#!/usr/bin/env bash
# Runs every shell example of the asyncfix CLI in README.md and docs/guide.md (each ```sh block
# whose first line starts with `asyncfix ` or `for `) as written, in a scratch directory where
# `asyncfix` is the CLI just built and build/my_tests, build/other_tests are real test binaries.
# Usage: check_cli_examples.sh CLI MY_TESTS OTHER_TESTS DOC...
set -euo pipefail
cli=$1 my_tests=$2 other_tests=$3
shift 3
work=$(mktemp -d /tmp/afx-examples-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/build"
ln -s "$cli" "$work/bin/asyncfix"
ln -s "$my_tests" "$work/build/my_tests"
ln -s "$other_tests" "$work/build/other_tests"
ran=0
for doc in "$@"; do
  # Each block to its own file: block-N.sh with the line it starts at in the first comment.
  awk -v out="$work/block" -v doc="$doc" '
    /^```sh/ { inside = 1; first = 1; next }
    /^```/ { if (inside && keep) close(file); inside = 0; next }
    inside && first {
      first = 0
      keep = ($0 ~ /^(asyncfix |for )/)
      if (keep) { n++; file = out "-" n ".sh"; print "# " doc ":" NR > file }
    }
    inside && keep { print > file }
  ' "$doc"
  for block in "$work"/block-*.sh; do
    [ -e "$block" ] || continue
    where=$(head -1 "$block")
    echo "== ${where#\# }"
    # TMPDIR: the work directories a run keeps (it writes reports) go with the scratch directory.
    if ! (cd "$work" && PATH="$work/bin:$PATH" TMPDIR="$work" bash -euo pipefail "$block" \
      >"$block.log" 2>&1); then
      echo "FAILED: the example at ${where#\# } (its output follows)"
      cat "$block"
      cat "$block.log"
      exit 1
    fi
    ran=$((ran + 1))
    rm -f "$block"
  done
done
if [ "$ran" -lt 2 ]; then
  echo "FAILED: found $ran CLI examples; the docs hold at least 2 (did the format change?)"
  exit 1
fi
echo "$ran CLI examples ran"
