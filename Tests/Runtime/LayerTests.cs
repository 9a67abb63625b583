using System;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The layers added for torchvision's ViT and ConvNeXt, timm's and cvnets' helpers: keys, initialisation, modes
/// and outputs. Values that are not computed by hand were printed by PyTorch 1.13 / torchvision 0.14 (Debian's
/// python3-torch), with the snippet next to them.</summary>
[Collection(nameof(ProcessStateCollection))]   // reseeds the default generator
public sealed class LayerTests
{
    /// <summary>float32 of ((i · mul) mod m − offset) · scale for i = 0..n−1: test data that Python builds the same way.</summary>
    private static float[] Values(int n, int mul, int mod, int offset, double scale) =>
        Enumerable.Range(0, n).Select(i => (float)(((i * mul) % mod - offset) * scale)).ToArray();

    [Fact]
    public void Activation_and_softmax_modules()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([-2f, 3f, 7f]);
        using var relu6 = new ReLU6();
        using var tanh = new Tanh();
        using var softmax = new Softmax(0);
        Assertions.Close([0, 3, 6], relu6.call(x), [3]);
        Assertions.Close([MathF.Tanh(-2), MathF.Tanh(3), MathF.Tanh(7)], tanh.call(x), [3]);
        float z = MathF.Exp(-2) + MathF.Exp(3) + MathF.Exp(7);
        Assertions.Close([MathF.Exp(-2) / z, MathF.Exp(3) / z, MathF.Exp(7) / z], softmax.call(x), [3]);
        Assert.Equal(0, softmax.dim);
    }

    [Fact]
    public void Flatten_and_Permute()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0.0, 24.0).reshape(2, 3, 2, 2);
        using var flatten = new Flatten();
        Assert.Equal(new long[] { 2, 12 }, flatten.call(x).shape);
        using var inner = new Flatten(1, 2);
        Assert.Equal(new long[] { 2, 6, 2 }, inner.call(x).shape);
        using var permute = new Permute([0, 2, 3, 1]);
        var y = permute.call(x);
        Assert.Equal(new long[] { 2, 2, 2, 3 }, y.shape);
        Assert.Equal(0.0, torch.max_abs_diff(y, x.permute(0, 2, 3, 1)));
        Assert.Equal(new long[] { 0, 2, 3, 1 }, permute.dims);
        var e = Assert.Throws<ShapeMismatchException>(() => permute.call(torch.ones([2, 3])));
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void LayerNorm2d_normalises_channels_like_torchvision()
    {
        using var ln = new LayerNorm2d(3, eps: 1e-6);
        Assert.Equal(["weight", "bias"], ln.state_dict().Keys);
        Assert.Equal(new long[] { 3 }, ln.weight!.shape);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();   // writes into parameters
        ln.weight.copy_(torch.tensor([1f, 2f, 0.5f]));
        ln.bias!.copy_(torch.tensor([0f, 0.1f, -0.2f]));
        var x = torch.tensor(Values(12, 5, 7, 3, 0.5), [1, 3, 2, 2]);
        // ln = torchvision.models.convnext.LayerNorm2d(3, eps=1e-6); ln.weight = [1, 2, 0.5]; ln.bias = [0, 0.1, -0.2]
        // ln(torch.tensor([((i * 5) % 7 - 3) * 0.5 for i in range(12)]).reshape(1, 3, 2, 2)).flatten()
        Assertions.Close([-1.397001f, 1.2247412f, 1.2247412f, -0.5080004f, 1.8780013f, 0.1f, 0.1f, -1.6780013f, 0.0540002f, -0.8123706f,
            -0.8123706f, 0.4985005f], ln.call(x), [1, 3, 2, 2]);
        using var noAffine = new LayerNorm2d(3, elementwise_affine: false);
        Assert.Empty(noAffine.state_dict());
        Assert.Throws<ShapeMismatchException>(() => ln.call(torch.ones([1, 4, 2, 2])));
    }

    [Fact]
    public void DropPath_is_identity_in_eval_mode_and_when_p_is_zero()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 3, 2, 2], seed: 1);
        using var drop = new DropPath(0.5);
        drop.eval();
        var y = drop.call(x);
        Assert.NotSame(x, y);
        Assert.Equal(0.0, torch.max_abs_diff(x, y));
        using var zero = new DropPath(0);
        Assert.True(zero.training);
        Assert.Equal(0.0, torch.max_abs_diff(x, zero.call(x)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropPath(1.5));
        Assert.Throws<ArgumentException>(() => new DropPath(0.1, "column"));
    }

    [Fact]
    public void DropPath_masks_like_torchvision_stochastic_depth()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(1.0, 9.0).reshape(8, 1, 1, 1).expand(8, 2, 1, 1).contiguous();
        using var row = new DropPath(0.4);
        // x = torch.arange(1., 9.).reshape(8, 1, 1, 1).expand(8, 2, 1, 1).contiguous()
        // torch.manual_seed(11); StochasticDepth(0.4, "row").train()(x)[:, 0].flatten(); then torch.rand(2)
        torch.manual_seed(11);
        var y = row.call(x);
        Assertions.Close([1.6666666f, 0f, 0f, 0f, 8.333333f, 10f, 11.666666f, 13.333333f], y.select(1, 0).flatten(), [8]);
        Assert.Equal(0.0, torch.max_abs_diff(y.select(1, 0), y.select(1, 1))); // one draw per sample
        Assertions.Close([0.10250282f, 0.7599972f], torch.rand([2]), [2]);    // the generator advanced as in PyTorch

        // torch.manual_seed(5); sdb = StochasticDepth(0.5, "batch").train(); [sdb(x).sum().item() for _ in range(6)]
        using var batch = new DropPath(0.5, "batch");
        torch.manual_seed(5);
        var sums = Enumerable.Range(0, 6).Select(_ => batch.call(x).sum().item<float>()).ToArray();
        Assert.Equal([0f, 144f, 144f, 144f, 144f, 0f], sums);
    }

    // nn.MultiheadAttention(4, 2, batch_first=True) with
    //   in_proj_weight = [((i * 5) % 13 - 6) * 0.15 for i in range(48)].reshape(12, 4)
    //   in_proj_bias   = [((i * 3) % 7 - 3) * 0.02 for i in range(12)]
    //   out_proj.weight = [((i * 3) % 8 - 4) * 0.1 for i in range(16)].reshape(4, 4)
    //   out_proj.bias   = [(i - 1.5) * 0.1 for i in range(4)]
    // on x = [((i * 7) % 11 - 5) * 0.5 for i in range(24)].reshape(2, 3, 4) (all float32)
    private static MultiheadAttention ReferenceAttention(double dropout = 0.0)
    {
        var m = new MultiheadAttention(4, 2, dropout);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();   // writes into parameters
        m.in_proj_weight.copy_(torch.tensor(Values(48, 5, 13, 6, 0.15), [12, 4]));
        m.in_proj_bias!.copy_(torch.tensor(Values(12, 3, 7, 3, 0.02)));
        m.out_proj.weight.copy_(torch.tensor(Values(16, 3, 8, 4, 0.1), [4, 4]));
        m.out_proj.bias!.copy_(torch.tensor(Enumerable.Range(0, 4).Select(i => (float)((i - 1.5) * 0.1)).ToArray()));
        return m;
    }

    private static Tensor ReferenceInput() => torch.tensor(Values(24, 7, 11, 5, 0.5), [2, 3, 4]);

    [Fact]
    public void MultiheadAttention_matches_pytorch_in_eval_mode()
    {
        using var m = ReferenceAttention();
        m.eval();
        using var scope = torch.NewDisposeScope();
        // m.eval(); with torch.no_grad(): y, _ = m(x, x, x, need_weights=False); y.flatten()
        Assertions.Close(
        [
            0.9617167f, -0.042328f, 1.1617166f, 0.157672f, 0.7733326f, -0.7956244f, 0.9733326f, -0.5956244f,
            0.0834091f, -0.1919034f, 0.2834091f, 0.0080966f, -0.4235047f, -0.2956917f, -0.2235046f, -0.0956917f,
            0.8878874f, 0.0829193f, 1.0878873f, 0.2829193f, -1.6419646f, 0.5159855f, -1.4419646f, 0.7159855f,
        ], m.call(ReferenceInput()), [2, 3, 4]);
    }

    [Fact]
    public void MultiheadAttention_dropout_matches_pytorch_in_training_mode()
    {
        using var m = ReferenceAttention(dropout: 0.5);
        using var scope = torch.NewDisposeScope();
        // m2 = nn.MultiheadAttention(4, 2, dropout=0.5, batch_first=True) with the same weights; m2.train()
        // torch.manual_seed(0); with torch.no_grad(): y, _ = m2(x, x, x, need_weights=False); y.flatten()
        torch.manual_seed(0);
        Assertions.Close(
        [
            0.8542951f, -0.5085228f, 1.0542951f, -0.3085228f, 3.1626503f, -1.6233966f, 3.3626504f, -1.4233967f,
            1.1390858f, -0.3281877f, 1.3390857f, -0.1281877f, 0.4432705f, -0.5210529f, 0.6432705f, -0.3210529f,
            -0.2973057f, -0.063929f, -0.0973057f, 0.136071f, -2.2219477f, 1.2259803f, -2.0219476f, 1.4259802f,
        ], m.call(ReferenceInput()), [2, 3, 4]);
    }

    [Fact]
    public void MultiheadAttention_keys_init_and_errors()
    {
        using var m = new MultiheadAttention(8, 2);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], m.state_dict().Keys);
        Assert.Equal(new long[] { 24, 8 }, m.in_proj_weight.shape);
        Assert.Equal(new long[] { 24 }, m.in_proj_bias!.shape);
        Assert.Equal(new long[] { 8, 8 }, m.out_proj.weight.shape);
        Assert.All(m.in_proj_bias.data<float>(), v => Assert.Equal(0f, v));
        Assert.All(m.out_proj.bias!.data<float>(), v => Assert.Equal(0f, v));
        double xavier = Math.Sqrt(6.0 / (8 + 24));
        var w = m.in_proj_weight.data<float>();
        Assert.All(w, v => Assert.InRange(v, -xavier, xavier));
        // xavier's bound, not Linear's 1/sqrt(8): 18% of the 192 draws lie beyond the latter
        Assert.True(w.Max(Math.Abs) > 1 / Math.Sqrt(8));

        using var noBias = new MultiheadAttention(8, 4, bias: false);
        Assert.Equal(["in_proj_weight", "out_proj.weight"], noBias.state_dict().Keys);
        Assert.Equal(2, noBias.head_dim);

        Assert.Throws<ArgumentException>(() => new MultiheadAttention(8, 3));
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => m.call(torch.ones([2, 5, 6])));
        Assert.Equal("MultiheadAttention", e.Module);
        Assert.Equal("[B, N, 8]", e.Expected);
        Assert.Equal("[2, 5, 6]", e.Actual);
    }

    [Fact]
    public void Scaled_dot_product_attention_is_softmax_of_scaled_scores_times_values()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.randn([2, 3, 5, 4], seed: 1);
        var k = torch.randn([2, 3, 6, 4], seed: 2);
        var v = torch.randn([2, 3, 6, 7], seed: 3);
        var expected = torch.matmul(torch.matmul(q, k.transpose(-2, -1)).div(2.0).softmax(-1), v); // sqrt(4) = 2
        Assert.True(torch.max_abs_diff(expected, F.scaled_dot_product_attention(q, k, v)) < 1e-6);
        var scaled = torch.matmul((torch.matmul(q, k.transpose(-2, -1)) * 0.1).softmax(-1), v);
        Assert.True(torch.max_abs_diff(scaled, F.scaled_dot_product_attention(q, k, v, scale: 0.1)) < 1e-6);
        Assert.Equal(new long[] { 2, 3, 5, 7 }, F.scaled_dot_product_attention(q, k, v, dropout_p: 0.5).shape);
    }

    /// <summary>Registers its tokens inline, so their tensor names are top-level keys (torchvision ViT).</summary>
    private sealed class Encoder : Module<Tensor, Tensor>
    {
        private readonly ClassToken _token;
        private readonly PositionEmbedding _position;

        public Encoder() : base("Encoder")
        {
            _token = RegisterInline(new ClassToken(4));
            _position = RegisterInline(new PositionEmbedding(3, 4));
        }

        public override Tensor forward(Tensor x)
        {
            using var withToken = _token.call(x);
            return _position.call(withToken);
        }
    }

    [Fact]
    public void ClassToken_and_PositionEmbedding_keys_and_forward()
    {
        using var encoder = new Encoder();
        Assert.Equal(["class_token", "pos_embedding"], encoder.state_dict().Keys);
        Assert.Equal(new long[] { 1, 1, 4 }, encoder.state_dict()["class_token"].shape);
        Assert.Equal(new long[] { 1, 3, 4 }, encoder.state_dict()["pos_embedding"].shape);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();   // writes into parameters
        encoder.state_dict()["class_token"].copy_(torch.tensor([1f, 2f, 3f, 4f], [1, 1, 4]));
        var x = torch.arange(0.0, 16.0).reshape(2, 2, 4);
        var y = encoder.call(x);
        var expected = torch.cat([torch.tensor([1f, 2f, 3f, 4f], [1, 1, 4]).expand(2, 1, 4), x], 1) + encoder.state_dict()["pos_embedding"];
        Assert.Equal(0.0, torch.max_abs_diff(expected, y));

        using var global = new ClassToken(8, count: 6, tensor_name: "global_token");
        Assert.Equal(["global_token"], global.state_dict().Keys);
        Assert.All(global.token.data<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(new long[] { 3, 6 + 5, 8 }, global.call(torch.ones([3, 5, 8])).shape);
        Assert.Throws<ShapeMismatchException>(() => global.call(torch.ones([3, 5, 7])));
    }

    [Fact]
    public void PositionEmbedding_init_and_token_count_check()
    {
        using var position = new PositionEmbedding(197, 64);
        var values = position.embedding.data<float>();
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.019, 0.021); // normal(std 0.02), 12,608 samples
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => position.call(torch.ones([1, 196, 64])));
        Assert.Equal("[B, 197, 64]", e.Expected);
        Assert.Equal("[1, 196, 64]", e.Actual);
    }

    [Fact]
    public void LayerScale_shapes_and_forward()
    {
        using var channelsFirst = new LayerScale(3, 1e-6, channels_first: true, tensor_name: "layer_scale");
        Assert.Equal(["layer_scale"], channelsFirst.state_dict().Keys);
        Assert.Equal(new long[] { 3, 1, 1 }, channelsFirst.scale.shape);
        Assert.All(channelsFirst.scale.data<float>(), v => Assert.Equal(1e-6f, v));
        using var last = new LayerScale(3, 0.5, channels_first: false);
        Assert.Equal(["gamma"], last.state_dict().Keys);
        Assert.Equal(new long[] { 3 }, last.scale.shape);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();   // writes into parameters
        channelsFirst.scale.copy_(torch.tensor([1f, 2f, 3f], [3, 1, 1]));
        Assertions.Close([1, 1, 2, 2, 3, 3], channelsFirst.call(torch.ones([1, 3, 1, 2])), [1, 3, 1, 2]);
        Assertions.Close([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], last.call(torch.arange(1.0, 7.0).reshape(1, 2, 3)), [1, 2, 3]);
        Assert.Throws<ShapeMismatchException>(() => channelsFirst.call(torch.ones([1, 2, 3])));
        Assert.Throws<ShapeMismatchException>(() => last.call(torch.ones([1, 3, 2])));
    }

    [Fact]
    public void ResizeToMultiple_resizes_only_what_needs_it()
    {
        using var resize = new ResizeToMultiple(4, InterpolationMode.Bilinear, align_corners: true);
        using var scope = torch.NewDisposeScope();
        var fits = torch.randn([1, 2, 8, 12], seed: 1);
        var same = resize.call(fits);
        Assert.NotSame(fits, same);
        Assert.Equal(0.0, torch.max_abs_diff(fits, same));
        var odd = torch.randn([1, 2, 7, 9], seed: 2);
        var resized = resize.call(odd);
        Assert.Equal(new long[] { 1, 2, 8, 12 }, resized.shape);
        Assert.Equal(0.0, torch.max_abs_diff(F.interpolate(odd, size: (8, 12), mode: InterpolationMode.Bilinear, align_corners: true), resized));
        Assert.Throws<ShapeMismatchException>(() => resize.call(torch.ones([2, 7, 9])));
    }

    [Fact]
    public void ResizeLike_takes_the_reference_size()
    {
        using var resize = new ResizeLike(InterpolationMode.Bilinear, align_corners: false);
        using var scope = torch.NewDisposeScope();
        var map = torch.randn([1, 2, 6, 6], seed: 3);
        var reference = torch.ones([1, 5, 7, 5]);
        var resized = resize.call((map, reference));
        Assert.Equal(new long[] { 1, 2, 7, 5 }, resized.shape);
        Assert.Equal(0.0, torch.max_abs_diff(F.interpolate(map, size: (7, 5), mode: InterpolationMode.Bilinear, align_corners: false), resized));
        var same = resize.call((map, torch.ones([1, 1, 6, 6])));
        Assert.NotSame(map, same);
        Assert.Equal(0.0, torch.max_abs_diff(map, same));
    }

    [Fact]
    public void OffsetSample_samples_the_reference_grid_moved_by_the_offsets_like_grid_sample()
    {
        // PyTorch 1.13 (python3-torch 1.13.0a0):
        //   def offset_sample(x, off, padding_mode):
        //       n, _, ho, wo = off.shape
        //       xs = (2 * torch.arange(wo) + 1) / wo - 1
        //       ys = (2 * torch.arange(ho) + 1) / ho - 1
        //       ref = torch.stack(torch.meshgrid(xs, ys, indexing='xy'), -1).unsqueeze(0)     # [1, Ho, Wo, 2] as (x, y)
        //       grid = off.permute(0, 2, 3, 1) * torch.tensor([2 / wo, 2 / ho]) + ref
        //       return F.grid_sample(x, grid, mode='bilinear', padding_mode=padding_mode, align_corners=False)
        //   x = torch.arange(0., 24.).reshape(1, 2, 3, 4)
        //   off = torch.tensor([0., 0.5, -1., 0.25, 0., 1.5,   0., 0., 0.5, -0.5, 1., 0.]).reshape(1, 2, 2, 3)
        using var zeros = new OffsetSample(2, GridPadding.Zeros);
        using var border = new OffsetSample(2, GridPadding.Border);
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0.0, 24.0).reshape(1, 2, 3, 4);
        var offsets = torch.tensor([0f, 0.5f, -1f, 0.25f, 0f, 1.5f, 0f, 0f, 0.5f, -0.5f, 1f, 0f], [1, 2, 2, 3]);

        // zero offsets on a field of the map's size: every pixel reads itself (PyTorch: x up to 2.4e-7)
        Assert.True(torch.max_abs_diff(x, zeros.call((x, torch.zeros([1, 2, 3, 4])))) < 1e-6);
        // zero offsets on a 2×3 field: the centres of the 2×3 cells of the 3×4 map (a bilinear resize)
        Assertions.Close([1.1666667f, 2.5f, 3.8333333f, 7.1666665f, 8.5f, 9.833333f, 13.166667f, 14.5f, 15.833333f, 19.166668f, 20.5f, 21.833334f],
            zeros.call((x, torch.zeros([1, 2, 2, 3]))), [1, 2, 2, 3]);
        // offset_sample(x, off, 'zeros'): the last two points leave the map and read zeros
        Assertions.Close([1.1666667f, 3.1666667f, 5.5f, 4.5f, 0f, 0f, 13.166667f, 15.166667f, 17.5f, 16.5f, 0f, 0f],
            zeros.call((x, offsets)), [1, 2, 2, 3]);
        // offset_sample(x, off, 'border'): they read the border instead
        Assertions.Close([1.1666667f, 3.1666667f, 5.5f, 4.5f, 9.5f, 10f, 13.166667f, 15.166667f, 17.5f, 16.5f, 21.5f, 22f],
            border.call((x, offsets)), [1, 2, 2, 3]);

        Assert.Empty(zeros.state_dict());
        var e = Assert.Throws<ShapeMismatchException>(() => zeros.call((x, torch.zeros([1, 3, 2, 3]))));
        Assert.Contains("offsets [1, 2, Ho, Wo]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => zeros.call((torch.zeros([1, 3, 3, 4]), offsets)));
    }

    [Fact]
    public void A_zero_initialised_Conv2d_starts_with_zero_weight_and_bias()
    {
        using var conv = new Conv2d(4, 2, 1, zero_init: true);
        Assert.Equal(0.0, conv.weight.abs().sum().item<float>());
        Assert.Equal(0.0, conv.bias!.abs().sum().item<float>());
        using var plain = new Conv2d(4, 2, 1);
        Assert.NotEqual(0.0, plain.weight.abs().sum().item<float>());
    }
}
