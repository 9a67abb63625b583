#!/usr/bin/env bash
# The long fuzzing campaign of the generator (issue 11): mutated copies of the zoo's and the fixtures' architecture
# files through the real generator, each held to Tests/Support/GeneratorCheck.cs (no exception, no ADSL099, every
# diagnostic inside the file, under 2 s of processor time, and code that compiles when there is no ADSL error). CI runs the same test
# with 2,000 files and seed 11.
#   scripts/fuzz.sh [files] [seed] [compile-every]     defaults: 50000 files, seed 11, compile every 5th file
# Prints "seed …: N files in … s, …, F failures"; failing files are saved under $TMPDIR/archdsl-fuzz-<seed>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export ARCHDSL_FUZZ_FILES="${1:-50000}"
export ARCHDSL_FUZZ_SEED="${2:-11}"
export ARCHDSL_FUZZ_COMPILE_EVERY="${3:-5}"
dotnet test Tests -c Release --filter "FullyQualifiedName~ArchDsl.Tests.Fuzz.GeneratorFuzzTests" \
  --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=86400000 | grep -E "seed [0-9]+:|Passed!|Failed!|file [0-9]+ |^  [a-z]"
