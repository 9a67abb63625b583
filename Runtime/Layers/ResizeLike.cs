namespace ArchDsl.Runtime;

/// <summary>Resizes <c>input</c> [B, C, H, W] to the height and width of <c>reference</c> with F.interpolate, or returns it
/// unchanged (as a new handle) when they already agree: cvnets' MobileViT resizing the folded map back to the input's size.</summary>
public sealed class ResizeLike : Module<(Tensor input, Tensor reference), Tensor>
{
    public ResizeLike(InterpolationMode mode, bool? align_corners, string name = "ResizeLike") : base(name)
    {
        this.mode = mode;
        this.align_corners = align_corners;
    }

    public InterpolationMode mode { get; }
    public bool? align_corners { get; }

    public override Tensor forward((Tensor input, Tensor reference) inputs)
    {
        var (s, r) = (inputs.input.Shape, inputs.reference.Shape);
        if (s.Length != 4) throw new ShapeMismatchException(name, "[N, C, H, W]", ShapeCheck.Format(s));
        if (r.Length < 2) throw new ShapeMismatchException(name, "a reference [..., H, W]", ShapeCheck.Format(r));
        long h = r[^2], w = r[^1];
        if (s[2] == h && s[3] == w) return inputs.input.alias();
        return F.interpolate(inputs.input, size: (h, w), mode: mode, align_corners: align_corners);
    }
}
