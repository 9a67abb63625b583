using System;

namespace ArchDsl.Runtime;

/// <summary>Resizes a [B, C, H, W] map whose H or W is not a multiple of <see cref="multiple"/> up to the next multiples
/// with F.interpolate, and returns other maps unchanged (as a new handle): cvnets' resize_input_if_needed.</summary>
public sealed class ResizeToMultiple : Module<Tensor, Tensor>
{
    public ResizeToMultiple(long multiple, InterpolationMode mode, bool? align_corners, string name = "ResizeToMultiple") : base(name)
    {
        if (multiple <= 0) throw new ArgumentException($"{name}: multiple must be positive", nameof(multiple));
        this.multiple = multiple;
        this.mode = mode;
        this.align_corners = align_corners;
    }

    public long multiple { get; }
    public InterpolationMode mode { get; }
    public bool? align_corners { get; }

    public override Tensor forward(Tensor input)
    {
        var s = input.Shape;
        if (s.Length != 4) throw new ShapeMismatchException(name, "[N, C, H, W]", ShapeCheck.Format(s));
        long h = s[2], w = s[3];
        if (h % multiple == 0 && w % multiple == 0) return input.alias();
        var size = ((h + multiple - 1) / multiple * multiple, (w + multiple - 1) / multiple * multiple);
        return F.interpolate(input, size: size, mode: mode, align_corners: align_corners);
    }
}
