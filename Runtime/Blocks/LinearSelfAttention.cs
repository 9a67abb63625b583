namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MobileViTv2's separable self-attention (cvnets LinearSelfAttention) on unfolded patches [B, d, P, N]:
/// <c>qkv_proj</c> 1×1 d→1+2d; context scores = softmax of the one query channel over the N patches (for each of the
/// P pixel positions); context vector = Σ_N k·scores; out = <c>out_proj</c>(relu(v) · context vector).
/// </summary>
public sealed class LinearSelfAttention : Module<Tensor, Tensor>
{
    private readonly ConvLayer _qkv, _out;
    private readonly long _dim;

    public LinearSelfAttention(long dim) : base("LinearSelfAttention")
    {
        _dim = dim;
        _qkv = register_module("qkv_proj", new ConvLayer(dim, 1 + 2 * dim, 1, 1, 1, true, false, Activation.None));
        _out = register_module("out_proj", new ConvLayer(dim, dim, 1, 1, 1, true, false, Activation.None));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var parts = _qkv.call(x).split([1, _dim, _dim], 1);
        var scores = parts[0].softmax(-1);
        var context = (parts[1] * scores).sum(-1, keepdim: true);
        return scope.MoveToOuter(_out.call(parts[2].relu() * context));
    }
}
