using System;

namespace ArchDsl.Runtime;

/// <summary>Where <see cref="OffsetSample"/> reads outside the map (F.grid_sample's padding_mode).</summary>
public enum GridPadding
{
    /// <summary>Zeros outside the map.</summary>
    Zeros,
    /// <summary>The nearest border value.</summary>
    Border,
    /// <summary>Reflected about the border.</summary>
    Reflection,
}

/// <summary>
/// Samples <c>input</c> [N, C, H, W] bilinearly at a regular grid of reference points shifted by learned
/// <c>offsets</c> [N, 2, Ho, Wo]: output pixel (i, j) reads the input at the centre of output cell (i, j) moved by
/// (offsets[:, 0, i, j], offsets[:, 1, i, j]) = (Δx, Δy) in units of output pixels, giving [N, C, Ho, Wo]. The reference
/// points are the output cells' centres in grid_sample's coordinates with align_corners = false,
/// ((2j + 1)/Wo − 1, (2i + 1)/Ho − 1), so zero offsets sample an input of the same size at its own pixels (the
/// identity) and a larger input at the centres of the cells it is divided into (a bilinear resize). Deformable
/// sampling as in the Bilinear PE of Vo's MAT (PhD thesis, Univ. of Ulsan, 2023, §4.3.2, Fig. 4.3). Ops: the offsets
/// scaled to grid units (one mul), added to the reference grid (one add), then F.grid_sample.
/// </summary>
public sealed class OffsetSample : Module<(Tensor input, Tensor offsets), Tensor>
{
    public OffsetSample(long in_channels, GridPadding padding_mode, string name = "OffsetSample") : base(name)
    {
        if (in_channels <= 0) throw new ArgumentException($"{name}: in_channels must be positive");
        this.in_channels = in_channels;
        this.padding_mode = padding_mode;
    }

    public long in_channels { get; }
    public GridPadding padding_mode { get; }

    public override Tensor forward((Tensor input, Tensor offsets) inputs)
    {
        var (s, o) = (inputs.input.Shape, inputs.offsets.Shape);
        if (s.Length != 4 || s[1] != in_channels) throw new ShapeMismatchException(name, $"a map [N, {in_channels}, H, W]", ShapeCheck.Format(s));
        if (o.Length != 4 || o[0] != s[0] || o[1] != 2)
            throw new ShapeMismatchException(name, $"offsets [{s[0]}, 2, Ho, Wo] (Δx, Δy per output pixel)", ShapeCheck.Format(o));
        long ho = o[2], wo = o[3];
        using var scope = torch.NewDisposeScope();
        var units = torch.tensor([2f / wo, 2f / ho]);
        var shift = inputs.offsets.permute(0, 2, 3, 1) * units;     // [N, Ho, Wo, 2] in grid units
        var reference = Reference(ho, wo);
        var grid = shift + reference;
        var sampled = F.grid_sample(inputs.input, grid, InterpolationMode.Bilinear, Padding(padding_mode), align_corners: false);
        return scope.MoveToOuter(sampled);
    }

    /// <summary>The output cells' centres in grid_sample's normalised (x, y), [1, Ho, Wo, 2]; built on the host, so
    /// it is no recorded operation.</summary>
    private static Tensor Reference(long ho, long wo)
    {
        var grid = new float[ho * wo * 2];
        for (long i = 0; i < ho; i++)
            for (long j = 0; j < wo; j++)
            {
                grid[(i * wo + j) * 2] = (float)((2.0 * j + 1) / wo - 1);
                grid[(i * wo + j) * 2 + 1] = (float)((2.0 * i + 1) / ho - 1);
            }
        return torch.tensor(grid, [1, ho, wo, 2]);
    }

    private static string Padding(GridPadding padding) => padding switch
    {
        GridPadding.Zeros => "zeros",
        GridPadding.Border => "border",
        _ => "reflection",
    };
}
