"""LightViT in plain PyTorch, written from Architectures/LightViT.arch.yaml (and the official lightvit.py it describes)
with the official module names, so that ArchDsl's state_dict loads as it is. Eval only: no dropout, no drop path.
LayerNorm eps as in the official code: 1e-6 for the block norms and the final norm, PyTorch's 1e-5 elsewhere."""
import torch
import torch.nn as nn

VARIANTS = {  # channels, depths, heads, global tokens: Architectures/LightViT.arch.yaml (paper Table 1)
    "T": ([64, 128, 256], [2, 6, 6], [2, 4, 8], 8),
    "S": ([96, 192, 384], [2, 6, 6], [3, 6, 12], 16),
    "B": ([128, 256, 512], [3, 8, 6], [4, 8, 16], 24),
}


class ConvStem(nn.Module):
    """Conv 3x3/2, three depthwise 3x3 (the last one stride 2), then proj 3x3/2: stride 8, tokens LayerNorm'ed."""

    def __init__(self, in_chans, dim):
        super().__init__()
        s = dim // 2
        self.stem = nn.Sequential(
            nn.Conv2d(in_chans, s, 3, 2, 1, bias=False), nn.BatchNorm2d(s), nn.GELU(),
            nn.Conv2d(s, s, 3, 1, 1, groups=s, bias=False), nn.BatchNorm2d(s), nn.GELU(),
            nn.Conv2d(s, s, 3, 1, 1, groups=s, bias=False), nn.BatchNorm2d(s), nn.GELU(),
            nn.Conv2d(s, s, 3, 2, 1, groups=s, bias=False), nn.BatchNorm2d(s), nn.GELU())
        self.proj = nn.Conv2d(s, dim, 3, 2, 1)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        x = self.proj(self.stem(x))
        h, w = x.shape[2:]
        return self.norm(x.flatten(2).transpose(1, 2)), h, w


class BiAttn(nn.Module):
    def __init__(self, dim, ratio=0.25):
        super().__init__()
        r = int(dim * ratio)
        self.norm = nn.LayerNorm(dim)
        self.global_reduce = nn.Linear(dim, r)
        self.local_reduce = nn.Linear(dim, r)
        self.act_fn = nn.GELU()
        self.channel_select = nn.Linear(r, dim)
        self.spatial_select = nn.Linear(2 * r, 1)
        self.gate_fn = nn.Sigmoid()

    def forward(self, x):
        z = self.norm(x)
        g = self.act_fn(self.global_reduce(z.mean(1, keepdim=True)))      # [B, 1, r]
        loc = self.act_fn(self.local_reduce(z))                            # [B, N, r]
        c_attn = self.gate_fn(self.channel_select(g))                      # [B, 1, C]
        s_attn = self.gate_fn(self.spatial_select(torch.cat([loc, g.expand(-1, loc.shape[1], -1)], -1)))  # [B, N, 1]
        return x * (c_attn * s_attn)


class BiAttnMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        self.attn = BiAttn(dim)

    def forward(self, x):
        return self.attn(self.fc2(self.act(self.fc1(x))))


def relative_position_index(ws):
    """Swin V1: (r_i - r_j + ws - 1) * (2ws - 1) + (c_i - c_j + ws - 1) for window positions i, j, flattened."""
    r, c = torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")
    r, c = r.flatten(), c.flatten()
    return ((r[:, None] - r[None, :] + ws - 1) * (2 * ws - 1) + (c[:, None] - c[None, :] + ws - 1)).flatten()


class LightViTAttention(nn.Module):
    """Local window attention of the image tokens (relative position bias), global aggregation (global queries over
    the image tokens), global broadcast (image queries over kv_global of the aggregated tokens), then proj."""

    def __init__(self, dim, heads, tokens, window=7, qkv_bias=True):
        super().__init__()
        self.heads, self.tokens, self.window = heads, tokens, window
        self.scale = (dim // heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * window - 1) ** 2, heads))
        self.register_buffer("relative_position_index", relative_position_index(window))
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.kv_global = nn.Linear(dim, 2 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, H, W):
        B, N, C = x.shape
        nh, T, ws = self.heads, self.tokens, self.window
        d, area, gh, gw = C // nh, ws * ws, H // ws, W // ws
        qkv = self.qkv(x).view(B, N, 3, nh, d).permute(2, 0, 3, 1, 4)     # [3, B, heads, N, d]
        q, k, v = qkv.unbind(0)
        q_img, k_img, v_img = q[:, :, T:], k[:, :, T:], v[:, :, T:]

        # local attention in ws x ws windows: q, k, v of the image tokens partitioned with one copy
        win = qkv[:, :, :, T:].reshape(3, B, nh, gh, ws, gw, ws, d).permute(0, 1, 3, 5, 2, 4, 6, 7)
        ql, kl, vl = win.reshape(3, B * gh * gw, nh, area, d).unbind(0)
        bias = self.relative_position_bias_table[self.relative_position_index].view(area, area, nh).permute(2, 0, 1)
        attn = ((ql * self.scale) @ kl.transpose(-2, -1)).add_(bias).softmax(-1)
        x_img = (attn @ vl).transpose(1, 2).reshape(B, gh, gw, ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(B, H * W, C)

        # global aggregation: global queries over all image tokens
        attn = ((q[:, :, :T] * self.scale) @ k_img.transpose(-2, -1)).softmax(-1)
        x_glb = (attn @ v_img).transpose(1, 2).reshape(B, T, C)

        # global broadcast: image queries over the aggregated global tokens
        k_glb, v_glb = self.kv_global(x_glb).view(B, T, 2, nh, d).permute(2, 0, 3, 1, 4).unbind(0)
        attn = ((q_img * self.scale) @ k_glb.transpose(-2, -1)).softmax(-1)
        x_img = x_img + (attn @ v_glb).transpose(1, 2).reshape(B, H * W, C)
        return self.proj(torch.cat([x_glb, x_img], 1))


class Block(nn.Module):
    def __init__(self, dim, heads, tokens, mlp_ratio, window=7, qkv_bias=True):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = LightViTAttention(dim, heads, tokens, window, qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = BiAttnMlp(dim, int(dim * mlp_ratio))

    def forward(self, x, H, W):
        x = x + self.attn(self.norm1(x), H, W)
        return x + self.mlp(self.norm2(x)), H, W


class ResidualMergePatch(nn.Module):
    """2x2 patch merging (norm, reduction) plus a max-pooled residual (res_proj); global tokens: norm2, proj."""

    def __init__(self, dim, out_dim, tokens):
        super().__init__()
        self.tokens = tokens
        self.norm = nn.LayerNorm(4 * dim)
        self.reduction = nn.Linear(4 * dim, out_dim, bias=False)
        self.norm2 = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, out_dim, bias=False)
        self.maxp = nn.MaxPool3d((2, 2, 1), (2, 2, 1))  # as the official: pools [B, H, W, C] over H and W
        self.res_proj = nn.Linear(dim, out_dim, bias=False)

    def forward(self, x, H, W):
        B, _, C = x.shape
        T = self.tokens
        glb, img = x[:, :T], x[:, T:].reshape(B, H, W, C)
        res = self.res_proj(self.maxp(img).view(B, -1, C))
        # channels ordered [0::2, 0::2], [1::2, 0::2], [0::2, 1::2], [1::2, 1::2] as the official cat
        img = img.view(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 4, 2, 5).reshape(B, -1, 4 * C)
        img = self.reduction(self.norm(img)) + res
        return torch.cat([self.proj(self.norm2(glb)), img], 1), H // 2, W // 2


class LightViT(nn.Module):
    def __init__(self, channels, depths, heads, tokens, mlp_ratios=(8, 4, 4), neck=1280, classes=1000, window=7,
                 in_chans=3):
        super().__init__()
        self.global_token = nn.Parameter(torch.zeros(1, tokens, channels[0]))
        self.patch_embed = ConvStem(in_chans, channels[0])
        stages = []
        for i, (c, n, h, r) in enumerate(zip(channels, depths, heads, mlp_ratios)):
            blocks = [ResidualMergePatch(channels[i - 1], c, tokens)] if i > 0 else []
            blocks += [Block(c, h, tokens, r, window) for _ in range(n)]
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.norm = nn.LayerNorm(channels[-1], eps=1e-6)
        self.neck = nn.Sequential(nn.Linear(channels[-1], neck), nn.LayerNorm(neck), nn.GELU())
        self.head = nn.Linear(neck, classes)

    def forward(self, x):
        x, H, W = self.patch_embed(x)
        x = torch.cat([self.global_token.expand(x.shape[0], -1, -1), x], 1)
        for stage in self.stages:
            for block in stage:
                x, H, W = block(x, H, W)
        return self.head(self.neck(self.norm(x)).mean(1))


def build(variant, classes=1000):
    channels, depths, heads, tokens = VARIANTS[variant]
    return LightViT(channels, depths, heads, tokens, classes=classes)
