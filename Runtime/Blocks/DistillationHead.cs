namespace ArchDsl.Runtime.Blocks;

/// <summary>The classifier pair <c>head</c> + <c>dist_head</c> (DeiT-style); at inference the logits are their mean,
/// as CAS-ViT's RCViT returns in eval mode.</summary>
public sealed class DistillationHead : Module<Tensor, Tensor>
{
    private readonly Linear _head, _distHead;

    public DistillationHead(long in_features, long classes) : base("DistillationHead")
    {
        _head = register_module("head", new Linear(in_features, classes));
        _distHead = register_module("dist_head", new Linear(in_features, classes));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter((_head.call(x) + _distHead.call(x)) / 2.0);
    }
}
