using System;

namespace ArchDsl.Runtime;

/// <summary>x.permute(dims) as a module (torchvision.ops.misc.Permute, e.g. ConvNeXt's [B, C, H, W] ↔ [B, H, W, C]).</summary>
public sealed class Permute : Module<Tensor, Tensor>
{
    private readonly long[] _dims;

    public Permute(long[] dims, string name = "Permute") : base(name)
    {
        ArgumentNullException.ThrowIfNull(dims);
        _dims = (long[])dims.Clone();
    }

    public long[] dims => (long[])_dims.Clone();

    public override Tensor forward(Tensor input)
    {
        if (input.Shape.Length != _dims.Length)
            throw new ShapeMismatchException(name, $"a tensor of rank {_dims.Length}", ShapeCheck.Format(input.Shape));
        return input.permute(_dims);
    }
}
