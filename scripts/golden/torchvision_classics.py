#!/usr/bin/python3
"""Golden test data from torchvision for five classic networks.

Run from the repository root with Debian's interpreter (torch 1.13, torchvision 0.14):

    /usr/bin/python3 scripts/golden/torchvision_classics.py

It (re)writes, deterministically:

  Tests/Data/golden/torchvision/<case>.io.safetensors   input and expected output of each small case
  Tests/Data/golden/torchvision/meta.json               fill rule, per-case facts and fill checksums,
                                                        parameter counts of the full-size models and of
                                                        random configurations torchvision accepts
  Tests/Data/keys/torchvision/<name>.keys.tsv           state_dict key lists (cases and full-size models)

No weights are stored. Every state_dict tensor is filled by `portable_values`, a pseudo-random rule
simple enough to reimplement exactly in another language (the C# twin is
Tests/Support/PortableWeights.cs), so the C# tests can rebuild the same weights without Python.
The rule is documented in Tests/Data/golden/torchvision/README.md; keep the two in step.
"""

import json
import math
import os
import random
import struct
import sys
import time

import numpy as np
import torch
import torchvision
from torchvision.models.convnext import CNBlockConfig, ConvNeXt
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet
from torchvision.models.vision_transformer import VisionTransformer

GOLDEN_DIR = os.path.join("Tests", "Data", "golden", "torchvision")
KEYS_DIR = os.path.join("Tests", "Data", "keys", "torchvision")

RULE = (
    "state_dict entry i (0-based, in order) draws u_j in [0,1) from splitmix64 with state "
    "0x9E3779B97F4A7C15*(i+1) (element j, row-major: state += 0x9E3779B97F4A7C15, z = state, "
    "z = (z^(z>>30))*0xBF58476D1CE4E5B9, z = (z^(z>>27))*0x94D049BB133111EB, z ^= z>>31, u = (z>>11)*2^-53; "
    "all mod 2^64); int64 tensors: 0 (no draws); key ending 'running_var': 0.5+u; 'running_mean': (u-0.5)*0.2; "
    "rank < 2: key ending 'weight' 1+(u-0.5)*0.2, else (u-0.5)*0.2; rank >= 2: (u-0.5)*2*sqrt(3/fan_in), "
    "fan_in = numel/shape[0]; computed in float64, rounded to float32"
)

# ---------------------------------------------------------------------------------------------
# The portable fill rule
# ---------------------------------------------------------------------------------------------

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB


def _splitmix64_uniform(index, count):
    """The first `count` numbers u in [0, 1) of the splitmix64 stream of state_dict entry `index`.

    The stream starts at state0 = GOLDEN * (index + 1); element j uses the state after j + 1
    increments of GOLDEN, i.e. state0 + (j + 1) * GOLDEN (mod 2^64), so no loop is needed.
    numpy's uint64 array arithmetic wraps modulo 2^64, which is exactly what splitmix64 wants.
    """
    state0 = np.uint64((_GOLDEN * (index + 1)) & _MASK64)
    steps = np.arange(1, count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = state0 + steps * np.uint64(_GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
        z = z ^ (z >> np.uint64(31))
    # the top 53 bits, scaled: exact in float64
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def portable_values(key, shape, dtype, index):
    """The values of state_dict entry number `index` (key `key`, shape `shape`, torch dtype `dtype`),
    as a numpy array of that shape: float32 for floating tensors, int64 zeros for integer ones."""
    shape = tuple(int(s) for s in shape)
    if not dtype.is_floating_point:
        # BatchNorm's num_batches_tracked: zero, and no random numbers are drawn
        return np.zeros(shape, dtype=np.int64)
    numel = math.prod(shape)
    u = _splitmix64_uniform(index, numel)
    if key.endswith("running_var"):
        v = 0.5 + u
    elif key.endswith("running_mean"):
        v = (u - 0.5) * 0.2
    elif len(shape) < 2:
        v = 1.0 + (u - 0.5) * 0.2 if key.endswith("weight") else (u - 0.5) * 0.2
    else:
        fan_in = numel // shape[0]
        v = (u - 0.5) * 2.0 * math.sqrt(3.0 / fan_in)
    return v.astype(np.float32).reshape(shape)


def fill_portably(model):
    """Overwrites every state_dict tensor of `model` with the portable rule.
    Returns the filled values as {key: numpy array}, in state_dict order."""
    filled = {}
    for index, (key, tensor) in enumerate(model.state_dict().items()):
        filled[key] = portable_values(key, tensor.shape, tensor.dtype, index)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in filled.items()}, strict=True)
    return filled


# ---------------------------------------------------------------------------------------------
# Output formats
# ---------------------------------------------------------------------------------------------

_SAFETENSORS_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}


def write_safetensors(path, tensors, metadata=None):
    """A minimal safetensors writer: u64 little-endian header length N, N bytes of JSON header
    (padded with spaces to a multiple of 8), then the raw little-endian data in header order."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": _SAFETENSORS_DTYPES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def key_lines(model):
    """state_dict as `key<TAB>dtype<TAB>shape` lines (the format of Tests/Data/keys)."""
    lines = []
    for key, tensor in model.state_dict().items():
        dtype = str(tensor.dtype).replace("torch.", "")
        shape = "x".join(str(s) for s in tensor.shape) if tensor.dim() > 0 else "scalar"
        lines.append(f"{key}\t{dtype}\t{shape}")
    return lines


def write_keys(name, model):
    with open(os.path.join(KEYS_DIR, name + ".keys.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(key_lines(model)) + "\n")


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------------------------------
# What is generated
# ---------------------------------------------------------------------------------------------

# (case name, constructor text as documented, builder, input shape)
CASES = [
    (
        "resnet_basic_a",
        "torchvision.models.resnet.ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10)",
        lambda: ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10),
        (2, 3, 64, 64),
    ),
    (
        "resnet_bottleneck_a",
        "torchvision.models.resnet.ResNet(Bottleneck, [1, 2, 1, 1], num_classes=10, groups=2, width_per_group=32)",
        lambda: ResNet(Bottleneck, [1, 2, 1, 1], num_classes=10, groups=2, width_per_group=32),
        (2, 3, 64, 64),
    ),
    (
        "mobilenet_v2_a",
        "torchvision.models.MobileNetV2(width_mult=0.5, num_classes=10)",
        lambda: MobileNetV2(width_mult=0.5, num_classes=10),
        (2, 3, 64, 64),
    ),
    (
        "vit_a",
        "torchvision.models.vision_transformer.VisionTransformer(image_size=32, patch_size=8, num_layers=2, "
        "num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=10)",
        lambda: VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4,
                                  hidden_dim=64, mlp_dim=128, num_classes=10),
        (2, 3, 32, 32),
    ),
    (
        "convnext_a",
        "torchvision.models.convnext.ConvNeXt([CNBlockConfig(16, 32, 1), CNBlockConfig(32, 64, 1), "
        "CNBlockConfig(64, 128, 2), CNBlockConfig(128, None, 1)], stochastic_depth_prob=0.1, num_classes=10)",
        lambda: ConvNeXt([CNBlockConfig(16, 32, 1), CNBlockConfig(32, 64, 1),
                          CNBlockConfig(64, 128, 2), CNBlockConfig(128, None, 1)],
                         stochastic_depth_prob=0.1, num_classes=10),
        (2, 3, 32, 32),
    ),
]

# full-size builders (weights=None) whose parameters are counted
COUNTED = [
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "resnext101_32x8d", "wide_resnet50_2", "wide_resnet101_2",
    "mobilenet_v2",
    "vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32",
    "convnext_tiny", "convnext_small", "convnext_base", "convnext_large",
]

# full-size models whose key lists are written
KEYED = ["resnet18", "resnet50", "mobilenet_v2", "vit_b_16", "convnext_tiny"]


def configurations(seed=7, per_family=6):
    """Random constructor arguments torchvision accepts, with the family file's variables that say the same; the C#
    tests append each as a variant of Architectures/<family>.arch.yaml and compare the parameter counts."""
    rng = random.Random(seed)
    found = []

    def add(family, variables, constructor, build):
        found.append({"family": family, "vars": variables, "constructor": constructor, "params": parameter_count(build())})

    for _ in range(per_family):
        layers = [rng.randint(1, 3) for _ in range(4)]
        classes = rng.choice([10, 100, 1000])
        if rng.random() < 0.4:
            add("ResNet", {"block": "'basic_block'", "layers": layers, "classes": classes},
                f"ResNet(BasicBlock, {layers}, num_classes={classes})",
                lambda: ResNet(BasicBlock, layers, num_classes=classes))
        else:
            groups, width = rng.choice([1, 2, 4, 32]), rng.choice([4, 8, 16, 64, 128])
            add("ResNet", {"block": "'bottleneck'", "layers": layers, "groups": groups, "width_per_group": width, "classes": classes},
                f"ResNet(Bottleneck, {layers}, num_classes={classes}, groups={groups}, width_per_group={width})",
                lambda: ResNet(Bottleneck, layers, num_classes=classes, groups=groups, width_per_group=width))
    for _ in range(per_family):
        width_mult, round_nearest = rng.choice([0.35, 0.5, 0.75, 1.0, 1.3, 1.4]), rng.choice([4, 8])
        setting = [[rng.randint(1, 6), c, rng.randint(1, 4), s] for c, s in
                   [(16, 1), (24, 2), (32, 2), (64, 2), (96, 1), (160, 2), (320, 1)]]
        classes = rng.choice([10, 1000])
        add("MobileNetV2", {"width_mult": width_mult, "round_nearest": round_nearest, "classes": classes,
                            "expansions": [t for t, _, _, _ in setting], "repeats": [n for _, _, n, _ in setting]},
            f"MobileNetV2(width_mult={width_mult}, round_nearest={round_nearest}, num_classes={classes}, "
            f"inverted_residual_setting={setting})",
            lambda: MobileNetV2(width_mult=width_mult, round_nearest=round_nearest, num_classes=classes,
                                inverted_residual_setting=setting))
    for _ in range(per_family):
        patch = rng.choice([4, 8, 16])
        image = patch * rng.randint(2, 6)
        heads = rng.choice([1, 2, 4])
        hidden = heads * rng.choice([8, 16, 24])
        layers, mlp, classes = rng.randint(1, 3), rng.choice([32, 64, 96]), rng.choice([10, 1000])
        representation = rng.choice([None, None, 48])
        add("VisionTransformer", {"image_size": image, "patch": patch, "layers": layers, "heads": heads, "hidden": hidden,
                                  "mlp": mlp, "classes": classes, "representation_size": representation or 0},
            f"VisionTransformer(image_size={image}, patch_size={patch}, num_layers={layers}, num_heads={heads}, "
            f"hidden_dim={hidden}, mlp_dim={mlp}, num_classes={classes}, representation_size={representation})",
            lambda: VisionTransformer(image_size=image, patch_size=patch, num_layers=layers, num_heads=heads,
                                      hidden_dim=hidden, mlp_dim=mlp, num_classes=classes,
                                      representation_size=representation))
    for _ in range(per_family):
        base = rng.choice([8, 16, 24])
        dims = [base, 2 * base, 4 * base, 8 * base]
        depths = [rng.randint(1, 3) for _ in range(4)]
        classes = rng.choice([10, 1000])
        setting = [CNBlockConfig(dims[k], dims[k + 1] if k < 3 else None, depths[k]) for k in range(4)]
        add("ConvNeXt", {"dims": dims, "depths": depths, "classes": classes},
            f"ConvNeXt([CNBlockConfig({dims[0]}, {dims[1]}, {depths[0]}), CNBlockConfig({dims[1]}, {dims[2]}, {depths[1]}), "
            f"CNBlockConfig({dims[2]}, {dims[3]}, {depths[2]}), CNBlockConfig({dims[3]}, None, {depths[3]})], num_classes={classes})",
            lambda: ConvNeXt(setting, num_classes=classes))
    return found


def run_case(name, constructor, build, input_shape):
    """Builds a case, fills it, runs it in eval mode; writes its io file and key list; returns its meta entry."""
    model = build()
    filled = fill_portably(model)
    model.eval()
    torch.manual_seed(0)
    x = torch.randn(input_shape)
    with torch.no_grad():
        y = model(x)
    write_safetensors(
        os.path.join(GOLDEN_DIR, name + ".io.safetensors"),
        {"input": x.numpy().astype(np.float32), "output": y.numpy().astype(np.float32)},
        metadata={"case": name, "generator": "scripts/golden/torchvision_classics.py"},
    )
    write_keys(name, model)
    first = next(iter(filled.values())).reshape(-1)[:3]
    return {
        "constructor": constructor,
        "input": list(input_shape),
        "params": parameter_count(model),
        "output": list(y.shape),
        "max_abs_output": float(y.abs().max()),
        # exact float32 values (a JSON double holds a float32 exactly)
        "first": [float(v) for v in first],
        # per key: the float64 sum (math.fsum, correctly rounded) of the filled float32 values
        "checksums": {key: math.fsum(v.reshape(-1).astype(np.float64).tolist()) for key, v in filled.items()},
    }


def main():
    if not os.path.exists("ArchDsl.sln"):
        sys.exit("run this from the repository root")
    torch.set_num_threads(1)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    os.makedirs(KEYS_DIR, exist_ok=True)

    cases = {}
    for name, constructor, build, input_shape in CASES:
        start = time.time()
        cases[name] = run_case(name, constructor, build, input_shape)
        c = cases[name]
        print(f"{name:22s} params {c['params']:>10,}  output {c['output']}  max|out| {c['max_abs_output']:.4g}"
              f"  ({time.time() - start:.1f} s)")

    counts = {}
    for name in COUNTED:
        model = getattr(torchvision.models, name)(weights=None)
        counts[name] = parameter_count(model)
        if name in KEYED:
            write_keys(name, model)
        print(f"{name:22s} params {counts[name]:>12,}" + ("  (keys written)" if name in KEYED else ""))
        del model

    found = configurations()
    print(f"{len(found)} random configurations counted")

    meta = {
        "rule": RULE,
        "generator": "scripts/golden/torchvision_classics.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__},
        "cases": cases,
        "counts": counts,
        "configurations": found,
    }
    with open(os.path.join(GOLDEN_DIR, "meta.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"wrote {GOLDEN_DIR} and {KEYS_DIR}")


if __name__ == "__main__":
    main()
