"""MobileViTv2 in plain PyTorch, written from Architectures/MobileViTv2.arch.yaml (and the official apple/ml-cvnets code
it describes: cvnets/models/classification/mobilevit_v2.py, cvnets/modules/mobilevit_block.py MobileViTBlockv2,
cvnets/layers/linear_attention.py) with the cvnets module names, so that ArchDsl's state_dict loads as it is.
Eval only: the dropouts (p = 0) are kept for the state_dict indices. ConvLayer2d = conv (no bias before a BatchNorm),
BatchNorm, SiLU as separate modules; cvnets' layer_norm_2d = GroupNorm(1, d) over the unfolded [B, d, P, N] tensor;
patches unfolded and folded back with F.unfold / F.fold as cvnets' unfolding_pytorch / folding_pytorch."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = {  # width multiplier α: Architectures/MobileViTv2.arch.yaml (cvnets config/mobilevit_v2.py, model zoo)
    "W050": 0.5,
    "W075": 0.75,
    "W100": 1.0,
    "W125": 1.25,
    "W150": 1.5,
    "W175": 1.75,
    "W200": 2.0,
}


def make_divisible(v, divisor=8, min_value=None):
    """cvnets' make_divisible: the nearest multiple of divisor, at least min_value, and not below 90% of v."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class ConvLayer2d(nn.Module):
    """cvnets ConvLayer2d: block.conv (padding (k-1)/2), optional block.norm (BatchNorm), optional block.act (SiLU)."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1, bias=False, norm=True, act=True):
        super().__init__()
        self.block = nn.Sequential()
        self.block.add_module("conv", nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=bias))
        if norm:
            self.block.add_module("norm", nn.BatchNorm2d(cout))
        if act:
            self.block.add_module("act", nn.SiLU())

    def forward(self, x):
        return self.block(x)


class InvertedResidual(nn.Module):
    """MobileNetV2 block: exp_1x1, depthwise conv_3x3 with the stride, red_1x1 (no activation); residual when it fits."""

    def __init__(self, cin, cout, stride, expand=2):
        super().__init__()
        hidden = make_divisible(int(round(cin * expand)), 8)
        self.block = nn.Sequential()
        if expand != 1:
            self.block.add_module("exp_1x1", ConvLayer2d(cin, hidden, 1))
        self.block.add_module("conv_3x3", ConvLayer2d(hidden, hidden, 3, stride, groups=hidden))
        self.block.add_module("red_1x1", ConvLayer2d(hidden, cout, 1, act=False))
        self.use_res_connect = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.block(x) if self.use_res_connect else self.block(x)


class LinearSelfAttention(nn.Module):
    """Separable self-attention on [B, d, P, N]: one query channel, softmax over the N patches of each pixel position,
    context vector = sum of keys weighted by the scores, relu(values) * context, out_proj."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim
        self.qkv_proj = ConvLayer2d(dim, 1 + 2 * dim, 1, bias=True, norm=False, act=False)
        self.out_proj = ConvLayer2d(dim, dim, 1, bias=True, norm=False, act=False)

    def forward(self, x):
        query, key, value = self.qkv_proj(x).split([1, self.dim, self.dim], dim=1)
        scores = query.softmax(dim=-1)                                  # [B, 1, P, N]
        context = (key * scores).sum(dim=-1, keepdim=True)              # [B, d, P, 1]
        return self.out_proj(F.relu(value) * context)


class LinearAttnFFN(nn.Module):
    def __init__(self, dim, ffn):
        super().__init__()
        self.pre_norm_attn = nn.Sequential(nn.GroupNorm(1, dim), LinearSelfAttention(dim), nn.Dropout(0.0))
        self.pre_norm_ffn = nn.Sequential(
            nn.GroupNorm(1, dim), ConvLayer2d(dim, ffn, 1, bias=True, norm=False, act=True), nn.Dropout(0.0),
            ConvLayer2d(ffn, dim, 1, bias=True, norm=False, act=False), nn.Dropout(0.0))

    def forward(self, x):
        x = x + self.pre_norm_attn(x)
        return x + self.pre_norm_ffn(x)


class MobileViTBlockv2(nn.Module):
    """local_rep (depthwise 3x3 + BN + SiLU, 1x1 to d), 2x2 patches [B, d, P, N], global_rep (depth x LinearAttnFFN,
    GroupNorm), folded back, conv_proj (1x1 + BN) to C; no residual, no fusion. A map that the patches do not tile is
    resized up (bilinear, align_corners) and stays at that size, as in cvnets."""

    def __init__(self, cin, dim, depth, ffn_multiplier=2, patch=2):
        super().__init__()
        ffn = int((ffn_multiplier * dim) // 16 * 16)
        self.patch = patch
        self.local_rep = nn.Sequential(
            ConvLayer2d(cin, cin, 3, groups=cin), ConvLayer2d(cin, dim, 1, norm=False, act=False))
        self.global_rep = nn.Sequential(*[LinearAttnFFN(dim, ffn) for _ in range(depth)], nn.GroupNorm(1, dim))
        self.conv_proj = ConvLayer2d(dim, cin, 1, act=False)

    def forward(self, x):
        p = self.patch
        h, w = x.shape[2:]
        if h % p or w % p:
            x = F.interpolate(x, size=(math.ceil(h / p) * p, math.ceil(w / p) * p), mode="bilinear", align_corners=True)
        fm = self.local_rep(x)
        b, d, h, w = fm.shape
        patches = F.unfold(fm, kernel_size=p, stride=p).reshape(b, d, p * p, -1)      # [B, d, P, N]
        patches = self.global_rep(patches)
        fm = F.fold(patches.reshape(b, d * p * p, -1), output_size=(h, w), kernel_size=p, stride=p)
        return self.conv_proj(fm)


class GlobalPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(-2, -1))


class MobileViTv2(nn.Module):
    def __init__(self, alpha, classes=1000):
        super().__init__()
        c0 = make_divisible(min(max(32 * alpha, 16), 64), 8, 16)
        c1 = make_divisible(64 * alpha, 16)
        c2, c3, c4, c5 = (make_divisible(c * alpha, 8) for c in (128, 256, 384, 512))
        d3, d4, d5 = (make_divisible(d * alpha, 8) for d in (128, 192, 256))
        self.conv_1 = ConvLayer2d(3, c0, 3, 2)
        self.layer_1 = nn.Sequential(InvertedResidual(c0, c1, 1))
        self.layer_2 = nn.Sequential(InvertedResidual(c1, c2, 2), InvertedResidual(c2, c2, 1))
        self.layer_3 = nn.Sequential(InvertedResidual(c2, c3, 2), MobileViTBlockv2(c3, d3, 2))
        self.layer_4 = nn.Sequential(InvertedResidual(c3, c4, 2), MobileViTBlockv2(c4, d4, 4))
        self.layer_5 = nn.Sequential(InvertedResidual(c4, c5, 2), MobileViTBlockv2(c5, d5, 3))
        self.classifier = nn.Sequential(GlobalPool(), nn.Linear(c5, classes))  # conv_1x1_exp is Identity in v2

    def forward(self, x):
        x = self.conv_1(x)
        x = self.layer_1(x)
        x = self.layer_2(x)
        x = self.layer_3(x)
        x = self.layer_4(x)
        x = self.layer_5(x)
        return self.classifier(x)


def build(variant, classes=1000):
    return MobileViTv2(VARIANTS[variant], classes)
