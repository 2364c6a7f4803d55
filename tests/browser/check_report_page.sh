#!/usr/bin/env bash
# The fault matrix's HTML page as headless Chromium renders it (ctest label `browser`).
#   check_report_page.sh ASYNCFIX_CLI MATRIX_SUBJECT WORK_DIR
# A real matrix run (a passing cell and a failing one), then a report whose test name is markup
# and script: in the rendered DOM the grid, the failing cell's drill-down and its replay command
# are present, every link resolves (on the page or to a file), and no script exists or ran.
# Exit 77 (ctest: skipped) when chromium is not installed.
set -euo pipefail
cli=$1
subject=$2
work=$3

browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
  echo "SKIPPED: chromium is not installed (apt-get install chromium); the page was not rendered"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Renders PAGE; its DOM to PAGE.dom, what the browser logged (console messages included) to
# PAGE.console.
render() {
  local page=$1
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$page" >"$page.dom" 2>"$page.console" || {
    cat "$page.console"
    fail "chromium could not render $page"
  }
}

# Every href of the DOM: "#id" names an element of the DOM; anything else is a file beside PAGE.
check_links() {
  local page=$1 dom=$1.dom href count=0
  while IFS= read -r href; do
    count=$((count + 1))
    if [[ $href == \#* ]]; then
      grep -q "id=\"${href#\#}\"" "$dom" || fail "$page: link $href names no element"
    elif [[ $href == *:* ]]; then
      fail "$page: link $href is not a relative file path"
    elif [ ! -f "$(dirname "$page")/$href" ]; then
      fail "$page: link $href resolves to no file"
    fi
  done < <(grep -o 'href="[^"]*"' "$dom" | sed 's/^href="//; s/"$//')
  [ "$count" -gt 0 ] || fail "$page: no link at all"
  echo "$page: $count links checked"
}

# No script element, no event handler, the title untouched, and nothing logged about a script.
check_no_script() {
  local page=$1 dom=$1.dom
  if grep -qi '<script' "$dom"; then fail "$page: a <script> element in the rendered DOM"; fi
  if grep -qiE '<[a-z]+[^>]* on[a-z]+=' "$dom"; then fail "$page: an element with an event handler"; fi
  grep -q '<title>asyncfix fault matrix</title>' "$dom" || fail "$page: its title changed"
  if grep -qiE 'Uncaught|Refused to|Content Security Policy|SyntaxError' "$page.console"; then
    grep -iE 'Uncaught|Refused to|Content Security Policy|SyntaxError' "$page.console"
    fail "$page: the browser logged a script error or a blocked script"
  fi
}

# A real run: `none` passes, `reset` fails (classified) with a failed test to drill into.
printf 'none =\nreset = reset_peer:timeout=0\n' >"$work/profile.txt"
ASYNCFIX_SUBJECT=pass TMPDIR="$work" timeout 120 "$cli" matrix --profile "$work/profile.txt" \
  --seed 5 --work-dir "$work/cells" --json "$work/m.json" --html "$work/m.html" -- "$subject" \
  >"$work/matrix.out" 2>&1 || { cat "$work/matrix.out"; fail "the matrix run failed"; }
render "$work/m.html"
dom=$work/m.html.dom
grep -q '<table id="matrix">' "$dom" || fail "no grid"
grep -q '<td class="failed-classified"' "$dom" || fail "no failed cell in the grid"
grep -q '<section class="entry" id="entry-1-0">' "$dom" || fail "no drill-down of the failed cell"
sed -n '/id="entry-1-0"/,/<\/section>/p' "$dom" >"$work/entry.html"
grep -q '<td>Subject.Behaves</td>' "$work/entry.html" || fail "the drill-down names no failed test"
grep -q '<code class="replay">.* run --seed 6 --fault .*reset_peer:timeout=0.* -- ' "$work/entry.html" ||
  fail "the drill-down has no replay command of the cell (seed 5 + index 1)"
check_links "$work/m.html"
check_no_script "$work/m.html"

# A report whose test name and reason are markup and script, through `report merge --html`.
hostile='<script>document.title="owned"</script><img src=x onerror="document.title=1">'
sed "s|\"Subject.Behaves\"|\"${hostile//\"/\\\\\"}\"|" "$work/m.json" >"$work/hostile.json"
grep -q 'onerror' "$work/hostile.json" || fail "the hostile report was not made"
"$cli" report merge "$work/hostile.json" --html "$work/hostile.html" >"$work/merge.out" 2>&1 || true
render "$work/hostile.html"
grep -q 'document.title=' "$work/hostile.html.dom" || fail "the hostile name is not on the page"
check_links "$work/hostile.html"
check_no_script "$work/hostile.html"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed; pages and DOMs in $work"
  exit 1
fi
echo "all checks passed"
rm -rf "$work"
