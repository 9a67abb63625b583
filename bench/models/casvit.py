"""CAS-ViT (RCViT) in plain PyTorch, written from Architectures/CasViT.arch.yaml with the official module names, so
that ArchDsl's state_dict loads as it is. Eval only: no drop path, the distillation head averaged as RCViT does."""
import torch
import torch.nn as nn

VARIANTS = {  # depths, channels: Architectures/CasViT.arch.yaml (MODEL_ZOO.md of Tianfang-Zhang/CAS-ViT)
    "XS": ([2, 2, 4, 2], [48, 56, 112, 220]),
    "S": ([3, 3, 6, 3], [48, 64, 128, 256]),
    "M": ([3, 3, 6, 3], [64, 96, 192, 384]),
    "T": ([3, 3, 6, 3], [96, 128, 256, 512]),
}


class SpatialOperation(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, 3, 1, 1, groups=dim), nn.BatchNorm2d(dim), nn.ReLU(True),
            nn.Conv2d(dim, 1, 1, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return x * self.block(x)


class ChannelOperation(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.block = nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Conv2d(dim, dim, 1, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return x * self.block(x)


class AdditiveTokenMixer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Conv2d(dim, 3 * dim, 1, bias=False)
        self.oper_q = nn.Sequential(SpatialOperation(dim), ChannelOperation(dim))
        self.oper_k = nn.Sequential(SpatialOperation(dim), ChannelOperation(dim))
        self.dwc = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)
        self.proj = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=1)
        return self.proj(self.dwc(self.oper_q(q) + self.oper_k(k)) * v)


class LocalIntegration(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.network = nn.Sequential(
            nn.Conv2d(dim, dim, 1), nn.BatchNorm2d(dim), nn.Conv2d(dim, dim, 3, 1, 1, groups=dim), nn.GELU(),
            nn.Conv2d(dim, dim, 1))

    def forward(self, x):
        return self.network(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class AdditiveBlock(nn.Module):
    def __init__(self, dim, mlp_ratio=4):
        super().__init__()
        self.local_perception = LocalIntegration(dim)
        self.norm1 = nn.BatchNorm2d(dim)
        self.attn = AdditiveTokenMixer(dim)
        self.norm2 = nn.BatchNorm2d(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.local_perception(x)
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Embedding(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.proj = nn.Conv2d(dim_in, dim_out, 3, 2, 1)
        self.norm = nn.BatchNorm2d(dim_out)

    def forward(self, x):
        return self.norm(self.proj(x))


class CasViT(nn.Module):
    def __init__(self, depths, channels, classes=1000):
        super().__init__()
        c = channels
        self.patch_embed = nn.Sequential(
            nn.Conv2d(3, c[0] // 2, 3, 2, 1), nn.BatchNorm2d(c[0] // 2), nn.ReLU(),
            nn.Conv2d(c[0] // 2, c[0], 3, 2, 1), nn.BatchNorm2d(c[0]), nn.ReLU())
        network = []
        for i, depth in enumerate(depths):
            if i > 0:
                network.append(Embedding(c[i - 1], c[i]))
            network.append(nn.Sequential(*[AdditiveBlock(c[i]) for _ in range(depth)]))
        self.network = nn.ModuleList(network)
        self.norm = nn.BatchNorm2d(c[-1])
        self.head = nn.Linear(c[-1], classes)
        self.dist_head = nn.Linear(c[-1], classes)

    def forward(self, x):
        x = self.patch_embed(x)
        for stage in self.network:
            x = stage(x)
        x = self.norm(x).flatten(2).mean(-1)
        return (self.head(x) + self.dist_head(x)) / 2


def build(variant, classes=1000):
    depths, channels = VARIANTS[variant]
    return CasViT(depths, channels, classes)
