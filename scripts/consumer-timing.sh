#!/usr/bin/env bash
# Edit → build time in a user's project: packs ArchDsl into a local feed, makes a console project outside the
# repository with `dotnet add package ArchDsl` and Tests/Data/user-project/ResNet18.arch.yaml, then edits the family
# file N times (default 6) and times `dotnet build` and `dotnet build --no-restore` after each edit, with the compiler
# server on as on a user's machine. Prints every time and the medians.
#   scripts/consumer-timing.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
n=${1:-6}
work=$(mktemp -d /tmp/archdsl-timing-XXXXXX)
trap 'rm -rf "$work"' EXIT
# this machine may turn the compiler server and node reuse off for every build; a user's machine does not
unset UseSharedCompilation MSBUILDDISABLENODEREUSE
# the project restores into a folder of its own; the repository's packages (Roslyn, YamlDotNet) are a read-only fallback
repository_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
export NUGET_PACKAGES="$work/packages"

dotnet build Runtime -c Release -nologo -v q >/dev/null
for project in Dsl/ArchDsl.Dsl.csproj Runtime/ArchDsl.Runtime.csproj; do
  dotnet pack "$project" -c Release --no-build -nologo -v q -o "$work/feed" >/dev/null
done
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="archdsl-local" value="$work/feed" /></packageSources>
  <fallbackPackageFolders><add key="repository-packages" value="$repository_packages" /></fallbackPackageFolders>
</configuration>
EOF
mkdir "$work/MyNets" && cd "$work/MyNets"
dotnet new console --name MyNets --output . --no-restore >/dev/null
version=$(ls "$work/feed" | sed -n 's/^ArchDsl\.\([0-9].*\)\.nupkg$/\1/p')
dotnet add package ArchDsl --version "$version" >/dev/null
cp "$repo/Tests/Data/user-project/ResNet18.arch.yaml" .
dotnet build -nologo -v q >/dev/null   # the first build starts the compiler server

seconds() { local start=$(date +%s.%N); "$@" >/dev/null; printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)"; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
restore=(); build=()
for i in $(seq 1 "$n"); do
  sed -i "s/^    classes: [0-9]*$/    classes: $((10 + i))/" ResNet18.arch.yaml
  restore+=("$(seconds dotnet build -nologo -v q)")
  sed -i "s/^    classes: [0-9]*$/    classes: $((100 + i))/" ResNet18.arch.yaml
  build+=("$(seconds dotnet build --no-restore -nologo -v q)")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "edit → dotnet build (s):              ${restore[*]}  median $(printf '%s\n' "${restore[@]}" | median)"
echo "edit → dotnet build --no-restore (s): ${build[*]}  median $(printf '%s\n' "${build[@]}" | median)"
