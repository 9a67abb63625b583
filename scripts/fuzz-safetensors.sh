#!/usr/bin/env bash
# The long run of the safetensors fuzz test (issue 11): scripts/fuzz-safetensors.sh [cases] [first seed].
# CI runs 3,000 mutants from seed 11000 (Tests/Runtime/SafetensorsFuzzTests.cs); this runs 100,000 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
export ARCHDSL_SAFETENSORS_FUZZ_CASES="${1:-100000}"
export ARCHDSL_SAFETENSORS_FUZZ_SEED="${2:-11000}"
dotnet test Tests -c Release --filter "FullyQualifiedName~SafetensorsFuzzTests" --logger "console;verbosity=detailed"
