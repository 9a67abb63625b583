#!/usr/bin/env bash
# Installs what ArchDsl needs beyond the .NET SDK, only where it is missing:
#   libtorch-dev         libtorch 1.13 headers, libraries and CMake config (the runtime's backend)
#   libopenblas0-pthread OpenBLAS as the system BLAS: Debian's default reference BLAS runs a
#                        1024² float matmul at ~5 GFLOP/s on our 2-core machines, OpenBLAS at ~160
#   libdnnl-dev          oneDNN's headers (the library itself comes with libtorch): the shim runs the inference
#                        plan's linear layers through oneDNN's matmul
#   cmake, g++           to build the native shim (Runtime/Native)
#   dataset-fashion-mnist  Fashion-MNIST's gzipped IDX files (/usr/share/datasets/fashion-mnist), for archdsl train
#                        and the training tests
set -euo pipefail
missing=()
for pkg in libtorch-dev libdnnl-dev libopenblas0-pthread cmake g++ dataset-fashion-mnist; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
