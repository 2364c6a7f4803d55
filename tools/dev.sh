#!/usr/bin/env bash
# asyncfix developer entry point.
#   tools/dev.sh test   install what is missing, build (default preset), run every test via ctest
#                       except the slow packaging checks (label packaging)
#   tools/dev.sh packaging  build (default preset), then the packaging checks: install, and consumers
#                       built with find_package, pkg-config, add_subdirectory and FetchContent
#   tools/dev.sh demo   install, build, run the five-agent scenario and the sample suite, print a table,
#                       then run both under the default fault matrix and print its table (and write
#                       its HTML page to build/default/demo-matrix.html)
#   tools/dev.sh browser  install chromium, build, and run the tests labelled browser: the matrix's
#                       HTML page rendered headless (`test` runs them too, and skips them without
#                       chromium)
#   tools/dev.sh asan   build and ctest under AddressSanitizer + UBSan
#   tools/dev.sh tsan   build and ctest the tests labelled tsan under ThreadSanitizer
#   tools/dev.sh fuzz   build the URL-parser fuzzer with clang and run it (FUZZ_RUNS, default 100000)
#   tools/dev.sh bench  build (default preset) and run the benchmarks; check their ratio targets
# Works on a fresh Debian bookworm machine as root (installs packages with apt-get); re-runs are
# incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PACKAGES=(cmake ninja-build g++ libboost1.81-dev libboost-url1.81-dev libgtest-dev libgmock-dev libhiredis-dev
                   libcli11-dev libbenchmark-dev nlohmann-json3-dev redis-server redis-tools clang libclang-rt-14-dev
                   gnuplot-nox libpq-dev postgresql-15)
JOBS=$(nproc)
readonly JOBS

# ensure_packages [PACKAGE...]: those (default: PACKAGES) installed, with apt-get when missing.
ensure_packages() {
  local missing=()
  local wanted=("$@")
  [ ${#wanted[@]} -gt 0 ] || wanted=("${PACKAGES[@]}")
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "dev.sh: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "dev.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  local preset=$1
  shift
  # Configured every time (seconds): a preset's cache variables changed since the build directory
  # was made reach it too.
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$JOBS" "$@"
}

run_tests() {
  local preset=$1
  shift
  ctest --preset "$preset" -j "$JOBS" "$@"
}

command=${1:-}
case "$command" in
  test)
    ensure_packages
    build default
    run_tests default -LE packaging
    ;;
  packaging)
    ensure_packages
    build default
    run_tests default -L packaging
    ;;
  demo)
    ensure_packages
    # Only what the demo runs: the CLI and its two suites.
    build default --target asyncfix_cli asyncfix_agent_tests asyncfix_samples
    exec build/default/tools/asyncfix demo --html build/default/demo-matrix.html
    ;;
  browser)
    ensure_packages
    ensure_packages chromium
    build default --target asyncfix_cli asyncfix_matrix_subject
    run_tests default -L browser
    ;;
  asan)
    ensure_packages
    build asan
    ASAN_OPTIONS=detect_leaks=1 run_tests asan -LE packaging
    ;;
  tsan)
    ensure_packages
    # Only what the tests labelled tsan need (and the CLI for their Redis fixture).
    build tsan --target asyncfix_threads_tests asyncfix_agent_threads_tests \
      asyncfix_fault_threads_tests asyncfix_pg_threads_tests asyncfix_cli
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" run_tests tsan
    ;;
  bench)
    ensure_packages
    build default
    tools/bench/run.sh
    ;;
  fuzz)
    ensure_packages
    tools/fuzz/run.sh "${FUZZ_RUNS:-100000}"
    ;;
  *)
    echo "usage: tools/dev.sh test|packaging|demo|browser|asan|tsan|fuzz|bench" >&2
    exit 2
    ;;
esac
