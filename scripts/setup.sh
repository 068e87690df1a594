#!/usr/bin/env bash
# Installs every Debian package CanonSim needs. Idempotent: when everything is present it only
# asks dpkg and returns in well under a second. Runs apt-get as root, or through sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake make pkg-config clang-format git
  # protocol core
  libsodium-dev
  # the allocator the run commands link (scenarios/CMakeLists.txt)
  libjemalloc-dev
  # the contract VM (issue 16)
  liblua5.4-dev
  # the audited key-value store's embedded database (model/storage/kv/)
  libleveldb-dev
  # ns-3 3.37: libns3-dev needs ns3 (its CMake config names the helper binaries that package
  # holds) and the libraries its targets link
  ns3 libns3-dev libgsl-dev libsqlite3-dev libxml2-dev
  # scenario files and traces; the command line parser
  libyaml-cpp-dev libhdf5-dev libcli11-dev
  # CZR measurement engine (vector work) and its reference implementations for tests and benches
  libeigen3-dev python3-networkx python3-igraph
  # tests and benchmarks; clang and its runtimes for the libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # analysis and plots (always run with /usr/bin/python3)
  python3 python3-matplotlib python3-numpy python3-pandas python3-h5py python3-pytest
  # Python bindings, sweeps on Dask, notebooks executed in CI
  pybind11-dev python3-dev python3-yaml python3-dask python3-distributed python3-nbclient
  python3-nbformat python3-ipykernel
  # the run explorer (analysis.explore: plotly pages) and its test in a real, headless browser
  python3-plotly chromium chromium-driver python3-selenium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "setup: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
