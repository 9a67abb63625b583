#!/usr/bin/env bash
# The test command of the README and of CI: set-up, build (the native shim included), all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet test ArchDsl.sln -c Release --logger "console;verbosity=normal" "$@"
