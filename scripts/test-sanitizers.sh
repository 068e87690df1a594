#!/usr/bin/env bash
# Builds the ns-3-free core (protocol, harness, CZR engine) with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-sanitize/ and runs its unit tests (gossip modes, light
# participants, the block outcome memo, the frame codec and the consensus protocols included),
# harness and adversary, CZR tests and the property run with 96 seeds instead of 1,000 (each seed
# costs about five times as much under the sanitizers) there. Any report fails the run. ns-3 itself is not instrumented
# (Debian's build), so the ns-3 integration tests are not part of this.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANONSIM_SANITIZE=ON >/dev/null
cmake --build build-sanitize -j "$(nproc)" --target unit-tests harness-tests czr-tests consensus-tests
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CANONSIM_PROPERTY_SEEDS=96
cd build-sanitize
ctest -j "$(nproc)" --output-on-failure \
  -R '^(Encoding|Crypto|LedgerTest|Schedule|PopChainTest|MempoolTest|NodeTest|ElectionTest|LightNodeTest|LightAndFullTest|LightMessages|BoundedFifoMap|BoundedHashSet|OrphanPool|BlockOutcomeMemoTest|SharedStateTest|PersistentMap|FrameCodec|DroppedMessage|CompactBlock|Gossip[A-Za-z]*|Harness[A-Za-z]*|Adversary|ArticulationPoints|Contribution|CsrGraph|ExactBetweenness|NetworkxReference|SampledBetweenness|PathSampledBetweenness|BetweennessBidirectionalSearch|Consensus[A-Za-z]*)[./]|^(Shards|Modes)/'
