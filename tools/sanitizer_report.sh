#!/usr/bin/env bash
# sanitizer_report.sh LOG: what a failed sanitizer run's log says, short enough to read in a CI
# summary: gtest's failure lines, then each sanitizer report block with its first frames and every
# frame in asyncfix's own code (paths under fixture/, include/asyncfix/, tests/, samples/), each
# line cut to 240 characters. A plain `tail` of such a log shows only the last block's deepest
# frames (Asio's templates), never which test or which allocation leaked.
set -euo pipefail
log=${1:?usage: tools/sanitizer_report.sh LOG}
[ -r "$log" ] || { echo "sanitizer_report.sh: cannot read '$log'" >&2; exit 2; }
grep -E '^\[  FAILED  \]|Failure$|^(Value of|Expected|  Actual|Which is)' "$log" | head -40 || true
awk '
  /^(Direct|Indirect) leak of|ERROR: (Address|Leak|Thread|UndefinedBehavior)Sanitizer|runtime error:|^SUMMARY:/ {
    print substr($0, 1, 240); frames = 0; inblock = 1; next
  }
  inblock && /^ *#[0-9]+ / {
    ++frames
    if (frames <= 6 || $0 ~ /\/(fixture|include\/asyncfix|tests|samples)\//) print substr($0, 1, 240)
    next
  }
  inblock && /^$/ { inblock = 0; print "" }
' "$log" | head -400
