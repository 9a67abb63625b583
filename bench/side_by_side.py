"""Forward latency of ArchDsl beside PyTorch eager, on the same libtorch (Debian's python3-torch 1.13 and libtorch-dev).

For each model and batch size: `archdsl bench-worker` processes build the model (random weights, seeded random BatchNorm
statistics) in eval mode, one without the inference plan and one with it, and write weights, input and output; the
PyTorch model of bench/models/ (plain PyTorch, official module names) loads the same weights, and its output must agree
with both. Then the three are timed in turns, in rounds (the order rotating each round), one intra-op thread each, under
torch.inference_mode() and ArchDsl's equivalent; the medians and their ratios are printed (one run: compare ratios, not
absolute times, on a shared machine). Not part of the test suite.

Usage (after `dotnet build Samples/ArchDsl.Cli -c Release`):
  /usr/bin/python3 bench/side_by_side.py [MODEL ...] [--batch 1 8] [--rounds 7] [--passes 5] [--json FILE]
MODEL: CasViT.XS (default: CasViT.XS LightViT.T MobileViTv2.W100); any variant of the families in bench/models/.

glibc returns large freed blocks to the OS by default, so a process that allocates activations pays page faults on every
pass; ArchDsl's runtime keeps them (MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_, README, Performance). This script
gives PyTorch the same settings (it re-runs itself with them) unless --pytorch-default-malloc. It also gives PyTorch one
OpenBLAS thread: torch.set_num_threads(1) leaves Debian's OpenBLAS a thread per core, which ArchDsl's does not.
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

MALLOC = {"MALLOC_MMAP_THRESHOLD_": "1073741824", "MALLOC_TRIM_THRESHOLD_": "1073741824"}
# torch.set_num_threads does not reach Debian's OpenBLAS (its own pool, a thread per core); ArchDsl's set_num_threads
# does, and PyTorch gets the same single BLAS thread from the environment
BLAS = {"OPENBLAS_NUM_THREADS": "1"}
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CLI = os.path.join(HERE, "..", "Samples", "ArchDsl.Cli", "bin", "Release", "net10.0", "archdsl")
DTYPES = {"F32": "float32", "I64": "int64"}


def load_safetensors(path):
    """The safetensors format: 8-byte little-endian header length, JSON header, raw little-endian data."""
    import torch
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = getattr(torch, DTYPES[entry["dtype"]])
        tensors[key] = (torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(entry["shape"]) if end > begin
                        else torch.zeros(entry["shape"], dtype=dtype))
    return tensors


def build_pytorch(model):
    import importlib
    family, variant = model.split(".")
    families = {"CasViT": "casvit", "LightViT": "lightvit", "MobileViTv2": "mobilevitv2"}
    if family not in families:
        raise SystemExit(f"no PyTorch model for {model}: bench/models/ has {', '.join(families)}")
    sys.path.insert(0, HERE)
    return importlib.import_module(f"models.{families[family]}").build(variant)


class Worker:
    """An `archdsl bench-worker` process: one request per line, one answer per line."""

    def __init__(self, cli, optimizations):
        self.optimizations = optimizations
        self.process = subprocess.Popen([cli, "bench-worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            raise SystemExit(f"archdsl bench-worker: {answer or 'no answer'} (request: {line})")
        return answer.split()[1:]

    def load(self, model, batch, directory):
        """Loads the model; returns the plan it kept after measuring its first pass."""
        return self.ask(f"load {model} {batch} {directory} {self.optimizations}")[1]

    def time(self, passes):
        return [float(t) for t in self.ask(f"time {passes}")]

    def close(self):
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        self.process.wait()


def measure(model, batch, workers, rounds, passes):
    import torch
    reference = None
    row = {"model": model, "batch": batch}
    with tempfile.TemporaryDirectory() as root:
        for worker in workers:
            directory = os.path.join(root, worker.optimizations)
            row[f"kept_{worker.optimizations}"] = worker.load(model, batch, directory)
            io = load_safetensors(os.path.join(directory, "io.safetensors"))
            if reference is None:
                net = build_pytorch(model).eval()
                net.load_state_dict(load_safetensors(os.path.join(directory, "weights.safetensors")), strict=True)
                row["params"] = sum(p.numel() for p in net.parameters())
                images = io["input"]
                with torch.inference_mode():
                    reference = net(images)
            # the workers seed their weights alike: one PyTorch model checks every plan's output
            difference = (reference - io["output"]).abs().max().item()
            bound = 1e-4 * max(1.0, reference.abs().max().item())  # the golden tests' 1e-4, relative above 1
            row[f"max_abs_diff_{worker.optimizations}"] = difference
            if difference > bound:
                raise SystemExit(f"{model} batch {batch}: outputs differ by {difference:.3g} (bound {bound:.3g}) with plan '{worker.optimizations}'")

    def pytorch(n):
        times = []
        with torch.inference_mode():
            for _ in range(n):
                start = time.perf_counter()
                net(images)
                times.append((time.perf_counter() - start) * 1e3)
        return times

    sides = [("pytorch", pytorch)] + [(f"archdsl_{w.optimizations}", w.time) for w in workers]
    samples = {name: [] for name, _ in sides}
    for _, run in sides:
        run(3)  # warm-up: oneDNN primitives, the allocator's heap
    for r in range(rounds):
        for name, run in sides[r % len(sides):] + sides[:r % len(sides)]:
            samples[name].extend(run(passes))
    for name, values in samples.items():
        row[f"{name}_ms"] = statistics.median(values)
    for worker in workers:
        row[f"ratio_{worker.optimizations}"] = row[f"archdsl_{worker.optimizations}_ms"] / row["pytorch_ms"]
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*", default=["CasViT.XS", "LightViT.T", "MobileViTv2.W100"])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--archdsl", default=DEFAULT_CLI, help="the CLI built by dotnet build -c Release")
    parser.add_argument("--plans", nargs="+", default=["none", "all"], help="ArchDsl inference plans to time (bench-worker names)")
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    parser.add_argument("--pytorch-default-malloc", action="store_true", help="leave glibc's malloc settings to PyTorch")
    args = parser.parse_args()
    wanted = {**BLAS, **({} if args.pytorch_default_malloc else MALLOC)}
    if any(os.environ.get(k) != v for k, v in wanted.items()):
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **wanted})

    import torch
    torch.set_num_threads(1)
    workers = [Worker(args.archdsl, plan) for plan in args.plans]
    rows = []
    try:
        header = "| model | batch | PyTorch ms | " + " | ".join(f"ArchDsl ({p}) ms" for p in args.plans) + " | " \
                 + " | ".join(f"ratio ({p})" for p in args.plans) + " | max abs diff | plan kept (" + args.plans[-1] + ") |"
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        for model in args.models:
            for batch in args.batch:
                row = measure(model, batch, workers, args.rounds, args.passes)
                rows.append(row)
                cells = [model, str(batch), f"{row['pytorch_ms']:.1f}"]
                cells += [f"{row[f'archdsl_{p}_ms']:.1f}" for p in args.plans]
                cells += [f"{row[f'ratio_{p}']:.2f}" for p in args.plans]
                cells += [f"{max(row[f'max_abs_diff_{p}'] for p in args.plans):.1e}", row[f"kept_{args.plans[-1]}"]]
                print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        for worker in workers:
            worker.close()
    print(f"\nmedian of {args.rounds} rounds x {args.passes} passes per side, turns rotating; 1 intra-op thread; "
          f"torch {torch.__version__}; PyTorch malloc: {'default' if args.pytorch_default_malloc else 'as ArchDsl'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
