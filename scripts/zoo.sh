#!/usr/bin/env bash
# The main job of the README: set-up, build, then the zoo report (every model: analytic vs published
# numbers, runtime parameters, one forward pass).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet run --project Samples/ArchDsl.Cli -c Release -- zoo "$@"
