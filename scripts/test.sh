#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs every test: unit, harness and adversary (including
# the 1,000-seed property run), trace, scenario-file, CZR and ns-3 integration tests, pytest on traces the run
# makes, the main job's plot step and the clang-format check; then the ns-3-free core again
# under AddressSanitizer and UndefinedBehaviorSanitizer, and every libFuzzer target for a short
# bounded time. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
(cd build && ctest -j "$(nproc)" --output-on-failure)
./scripts/test-sanitizers.sh
./scripts/fuzz.sh 10
