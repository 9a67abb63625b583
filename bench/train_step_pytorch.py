"""One training step of CAS-ViT-XS in PyTorch beside ArchDsl's, on the same libtorch (Debian's python3-torch 1.13).

The step: train-mode forward of a batch of 32 random 224² images, cross-entropy, backward, SGD (lr 0.01, momentum 0.9);
warm-up steps, then the median of timed ones, in both implementations; prints both and their ratio (one run).

Usage: /usr/bin/python3 bench/train_step_pytorch.py RCVIT_PY [--archdsl PATH] [--threads N] [--steps N]
  RCVIT_PY  classification/model/rcvit.py of https://github.com/Tianfang-Zhang/CAS-ViT at commit 041d2d6
            (the official model; its timm and einops imports are stubbed below, as nothing of them runs at drop path 0)
  --archdsl the CLI (default: Samples/ArchDsl.Cli/bin/Release/net10.0/archdsl, built by dotnet build -c Release)
"""
import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
import types

import torch
import torch.nn as nn


def stub_modules():
    layers = types.ModuleType("timm.models.layers")
    layers.DropPath = lambda p: nn.Identity()
    layers.trunc_normal_ = nn.init.trunc_normal_
    layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
    registry = types.ModuleType("timm.models.registry")
    registry.register_model = lambda f: f
    einops = types.ModuleType("einops")
    einops.rearrange = einops.repeat = None
    sys.modules.update({"timm": types.ModuleType("timm"), "timm.models": types.ModuleType("timm.models"),
                        "timm.models.layers": layers, "timm.models.registry": registry, "einops": einops})


def pytorch_step_ms(rcvit_path, batch, size, steps):
    stub_modules()
    spec = importlib.util.spec_from_file_location("rcvit", rcvit_path)
    rcvit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rcvit)
    model = rcvit.rcvit_xs(num_classes=1000)  # distillation on, as ArchDsl's CasViT.XS: the logits are the heads' mean
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    torch.manual_seed(0)
    images = torch.randn(batch, 3, size, size)
    labels = torch.arange(batch) % 2
    times = []
    for i in range(steps + 2):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        head, dist_head = model(images)
        nn.functional.cross_entropy((head + dist_head) / 2, labels).backward()
        optimizer.step()
        if i >= 2:
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rcvit")
    parser.add_argument("--archdsl", default="Samples/ArchDsl.Cli/bin/Release/net10.0/archdsl")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    ours = subprocess.run([args.archdsl, "train-step", "CasViT.XS", "-b", str(args.batch), "-s", str(args.size),
                           "-n", str(args.steps), "-t", str(args.threads)], check=True, capture_output=True, text=True).stdout.strip()
    print("ArchDsl:", ours)
    archdsl_ms = float(ours.split(": ")[1].split(" ms")[0])
    pytorch_ms = pytorch_step_ms(args.rcvit, args.batch, args.size, args.steps)
    print(f"PyTorch {torch.__version__}: rcvit_xs batch {args.batch} at {args.size}²: {pytorch_ms:.0f} ms per training step "
          f"(median of {args.steps}, {args.threads} thread(s))")
    print(f"ArchDsl / PyTorch: {archdsl_ms / pytorch_ms:.2f}")


if __name__ == "__main__":
    main()
