#!/usr/bin/env bash
# The main job of the README: set-up, build, then the zoo report (every model: analytic vs published
# numbers, runtime parameters, one forward pass).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build Samples/ArchDsl.Cli -c Release -nologo -v quiet
# idle build servers would share the two cores with the timed forward passes
dotnet build-server shutdown >/dev/null 2>&1 || true
exec Samples/ArchDsl.Cli/bin/Release/net10.0/archdsl zoo "$@"
