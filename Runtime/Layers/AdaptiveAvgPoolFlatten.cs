namespace ArchDsl.Runtime;

/// <summary>nn.AdaptiveAvgPool2d(1) then flatten: [B, C, H, W] → [B, C].</summary>
public sealed class AdaptiveAvgPoolFlatten : Module<Tensor, Tensor>
{
    public AdaptiveAvgPoolFlatten() : base("AdaptiveAvgPoolFlatten") { }

    public override Tensor forward(Tensor input)
    {
        if (input.Shape.Length != 4) throw new ShapeMismatchException(name, "[N, C, H, W]", ShapeCheck.Format(input.Shape));
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(F.adaptive_avg_pool2d(input, 1).flatten(1));
    }
}
