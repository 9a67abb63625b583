using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Blocks.Primitives;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Util;
using ArchDsl.Runtime;
using Xunit;
using static ArchDsl.Tests.Generator.DiagnosticTests;

namespace ArchDsl.Tests.Runtime;

/// <summary>crop_like: the top-left H×W of a map (x[:, :, :H, :W]), H×W the size of a second value. The generated code is
/// the inline expression; its values are checked against PyTorch 1.13, its shapes and diagnostics against the Dsl.</summary>
public sealed class CropLikeTests
{
    // A 7×7 map pooled in ceil mode (2×2, stride 2: 4×4, the last row and column of windows cut by the edge) and
    // spread back by a 2×2 transposed conv of stride 2 (8×8), then cropped to 7×7. PyTorch 1.13:
    //   x = torch.arange(1., 50.).reshape(1, 1, 7, 7); y = F.max_pool2d(x, 2, 2, ceil_mode=True)
    //   z = F.conv_transpose2d(y, torch.tensor([[1., 10.], [100., 1000.]]).reshape(1, 1, 2, 2), stride=2)
    //   c = z[:, :, :7, :7]; c[0, 0, 6] = [44, 440, 46, 460, 48, 480, 49]; c[0, 0, :, 6] = [14, 1400, 28, 2800, 42, 4200, 49];
    //   c.sum() = 260026
    [Fact]
    public void The_generated_crop_equals_pytorch_slicing_after_ceil_pooling_and_a_transposed_conv()
    {
        var kind = new CropLikeKind();
        var image = Shape.Image(1, 8, 8);
        string expression = kind.Inline(new BlockArgs(EquatableArray<BlockArg>.Empty), new[] { new Operand("z", image), new Operand("x", Shape.Image(1, 7, 7)) });
        Assert.Equal("z.narrow(2, 0, x.shape[2]).narrow(3, 0, x.shape[3])", expression);

        using var scope = torch.NewDisposeScope();
        var x = torch.arange(1.0, 50.0).reshape(1, 1, 7, 7);
        var y = F.max_pool2d(x, 2, 2, ceil_mode: true);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, y.shape);
        var z = F.conv_transpose2d(y, torch.tensor([1f, 10f, 100f, 1000f], [1, 1, 2, 2]), stride: 2);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, z.shape);
        var c = z.narrow(2, 0, x.shape[2]).narrow(3, 0, x.shape[3]);   // the expression above
        Assert.Equal(new long[] { 1, 1, 7, 7 }, c.shape);
        Assertions.Close([44, 440, 46, 460, 48, 480, 49], c.select(2, 6).flatten(), [7]);
        Assertions.Close([14, 1400, 28, 2800, 42, 4200, 49], c.select(3, 6).flatten(), [7]);
        Assert.Equal(260026f, c.sum().item<float>());
    }

    private const string Family = """
        family: Tiny
        title: "ceil-mode pooling spread back and cropped"
        input: { channels: 3, size: 28 }
        blocks:
          spread:
            params:
              patch: { type: int, min: 1 }
            rows:
              - { kind: max_pool, kernel: patch, stride: patch, ceil_mode: true }
              - { name: prop, kind: conv_transpose2d, out: in_channels, kernel: patch, stride: patch, groups: in_channels, bias: true }
              - { kind: crop_like, from: [_, input] }
        stem:
          - { name: stem, kind: conv2d, out: 8, kernel: 3, stride: 2, padding: 1, bias: true }
        stages:
          s1:
            - { name: spread, kind: spread, patch: 6 }
        head:
          - { kind: mean_pool }
          - { name: fc, kind: linear, out: 10, bias: true }
        variants:
          A: {}
        """;

    // 14×14 pooled by 6 in ceil mode: 3×3, spread back to 18×18, cropped to 14×14; at 28² (stem stride 2)
    [Fact]
    public void The_crop_takes_the_reference_size_and_adds_no_cost()
    {
        var analysis = FamilyAnalysis.Run(Family);
        Assert.Empty(analysis.Diagnostics);
        var trace = analysis.Variant("A").Trace;
        Assert.Equal("[B, 8, 14, 14]", trace.Stages.Single().Output.ToString());
        // the prop's 8 × 6·6 weights and 8 biases, and 8·6·6 MACs per pooled pixel; the crop itself is a view
        var prop = trace.Entries.Single(e => e.Path == "spread.prop");
        Assert.Equal(8 * 36 + 8, prop.Params);
        Assert.Equal(8L * 36 * 3 * 3, prop.Macs);
        Assert.DoesNotContain(trace.Entries, e => e.Path == "spread" && e.Macs > 0);
        Assert.True(analysis.Variant("A").At(30, 30).Succeeded);   // 15×15 → 3×3 → 18×18 → 15×15
    }

    // the operands swapped: the 14×14 input cannot be cropped to the 18×18 spread map; reported at the family row that
    // uses the block, as every shape a block cannot take
    [Fact]
    public void A_map_smaller_than_its_reference_is_ADSL009_at_the_row()
    {
        string text = Family.Replace("kind: crop_like, from: [_, input]", "kind: crop_like, from: [input, _]");
        ExpectAt(text, "ADSL009", "{ name: spread, kind: spread", messagePart: "a 14×14 map cannot be cropped to 18×18");
    }
}
