namespace ArchDsl.Runtime;

/// <summary>Global average over H and W by Tensor.mean: [B, C, H, W] → [B, C] (CAS-ViT's x.flatten(2).mean(-1), cvnets' GlobalPool).</summary>
public sealed class MeanPool : Module<Tensor, Tensor>
{
    public MeanPool() : base("MeanPool") { }

    public override Tensor forward(Tensor input)
    {
        if (input.Shape.Length != 4) throw new ShapeMismatchException(name, "[N, C, H, W]", ShapeCheck.Format(input.Shape));
        return input.mean([-2, -1]);
    }
}
