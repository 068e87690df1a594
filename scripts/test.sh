#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs every test: unit, harness (including the 200-seed
# property run), the main job's plot step, and the clang-format check. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
cd build
ctest -j "$(nproc)" --output-on-failure
