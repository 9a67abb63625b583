using System;
using System.Linq;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The op recorder: every numeric op once, at the innermost registered module on the call stack.</summary>
public sealed class OpRecorderTests
{
    /// <summary>Ops of its own, an unregistered activation field, a registered child and a child registered inline.</summary>
    private sealed class Mixer : Module<Tensor, Tensor>
    {
        private readonly GELU _act = new(); // not registered: its op counts as the mixer's
        private readonly Linear _proj;
        private readonly LayerScale _scale;

        public Mixer() : base("Mixer")
        {
            _proj = register_module("proj", new Linear(4, 4));
            _scale = RegisterInline(new LayerScale(4, 0.5, channels_first: false)); // its "gamma" is the mixer's key
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var tokens = x.flatten(2).transpose(1, 2);                         // [B, HW, C]: layout, not recorded
            var scores = torch.matmul(tokens, tokens.transpose(1, 2));          // [B, HW, HW]
            var y = _scale.call(_proj.call(_act.call(scores)));
            return scope.MoveToOuter(y.softmax(-1) + scores);
        }
    }

    private static Sequential Model() => new(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new Mixer());

    /// <summary>(path, op, output shape) per record; shapes as text, which compares by value.</summary>
    private static (string, string, string)[] Summary(OpRecorder recorder) =>
        recorder.Records.Select(r => (r.Path, r.Op, ShapeCheck.Format(r.Output))).ToArray();

    [Fact]
    public void Records_each_op_with_its_module_path_and_shapes()
    {
        using var model = Model();
        model.eval(InferenceOptimizations.None);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 3, 2, 2], seed: 1);
        using var recorder = OpRecorder.Start(model);
        model.call(x);

        (string, string, string)[] expected =
        [
            ("0", "conv2d", "[2, 4, 2, 2]"),
            ("1", "batch_norm", "[2, 4, 2, 2]"),
            ("2", "relu", "[2, 4, 2, 2]"),
            ("3", "matmul", "[2, 4, 4]"),
            ("3", "gelu", "[2, 4, 4]"),       // unregistered field: the mixer's
            ("3.proj", "linear", "[2, 4, 4]"),
            ("3", "mul", "[2, 4, 4]"),        // LayerScale registered inline: the mixer's
            ("3", "softmax", "[2, 4, 4]"),
            ("3", "add", "[2, 4, 4]"),
        ];
        Assert.Equal(expected, Summary(recorder));

        var conv = recorder.Records[0];
        Assert.Equal([[2, 3, 2, 2], [4, 3, 3, 3], [4]], conv.Inputs);
        Assert.Equal("stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1", conv.Detail);
        Assert.Equal(2 * 4 * 2 * 2 * 27, conv.Macs);
        Assert.Equal("training=false, eps=1E-05", recorder.Records[1].Detail);
        Assert.Equal([[2, 4, 4], [2, 4, 4]], recorder.Records[3].Inputs);
        Assert.Equal(2 * 4 * 4 * 4, recorder.Records[3].Macs);
        Assert.Equal([[2, 4, 4], [4, 4], [4]], recorder.Records[5].Inputs);
        Assert.Equal(2 * 4 * 4 * 4, recorder.Records[5].Macs);
        Assert.Equal([[2, 4, 4], [4]], recorder.Records[6].Inputs);
        Assert.Equal("dim=-1", recorder.Records[7].Detail);
        Assert.Equal(0, recorder.Records[7].Macs);
        Assert.Equal("3.proj: linear [2, 4, 4] [4, 4] [4] → [2, 4, 4]", recorder.Records[5].ToString());
    }

    [Fact]
    public void Record_macs_agree_with_the_MacCounter()
    {
        using var model = Model();
        model.eval(InferenceOptimizations.None);
        using var scope = torch.NewDisposeScope();
        using var counter = MacCounter.Attach(model);
        using var recorder = OpRecorder.Start(model);
        model.call(torch.randn([1, 3, 2, 2], seed: 2));
        Assert.Equal(counter.Total, recorder.Records.Sum(r => r.Macs));
        Assert.Equal(counter.MatMulMacs, recorder.Records.Where(r => r.Op == "matmul").Sum(r => r.Macs));
    }

    [Fact]
    public void Scalar_ops_reductions_and_layout()
    {
        using var root = new Identity();
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2, 3, 4]);
        using var recorder = OpRecorder.Start(root);
        _ = x * 0.5;
        _ = 2L - x;
        _ = 1.0 / x;
        _ = x + x;
        _ = x.mean([-2, -1], keepdim: true);
        _ = x.sum();
        _ = x.reshape(6, 4).permute(1, 0).contiguous().transpose(0, 1).narrow(0, 0, 2).select(0, 1).expand(3, 4).alias();
        _ = torch.cat([x, x], 1).chunk(2, 1)[0].split(1, 0)[0].view(3, 4);
        _ = x.clone();
        _ = F.interpolate(torch.ones([1, 1, 2, 2]), size: (4, 4), mode: InterpolationMode.Bilinear, align_corners: false);

        Assert.Equal(
        [
            ("mul_scalar", "x * 0.5"), ("sub_scalar", "2 - x"), ("div_scalar", "1 / x"), ("add", ""),
            ("mean", "dims=[-2, -1], keepdim=true"), ("sum", "all"), ("interpolate", "bilinear, align_corners=false"),
        ], recorder.Records.Select(r => (r.Op, r.Detail)).ToArray());
        Assert.All(recorder.Records, r => Assert.Equal("", r.Path)); // ops outside any module go to the root
        Assert.Equal([[2, 3, 4], [2, 3, 4]], recorder.Records[3].Inputs);
        Assert.Equal([[2, 3, 4]], recorder.Records[0].Inputs);
    }

    [Fact]
    public void Dropout_is_recorded_only_when_active_and_drop_path_once()
    {
        using var model = new Sequential(new Dropout(0.5), new DropPath(0.5), new Dropout(0));
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([4, 3]);
        using var recorder = OpRecorder.Start(model);
        model.call(x);
        Assert.Equal([("0", "dropout", "p=0.5"), ("1", "dropout", "p=0.5, mode=row")],
            recorder.Records.Select(r => (r.Path, r.Op, r.Detail)).ToArray());
        Assert.Equal([4, 3], recorder.Records[1].Output);

        model.eval(InferenceOptimizations.None);
        model.call(x);
        Assert.Equal(2, recorder.Records.Count);
    }

    [Fact]
    public void Composite_functions_record_their_parts()
    {
        using var attention = new MultiheadAttention(8, 2);
        attention.eval(InferenceOptimizations.None);
        using var scope = torch.NewDisposeScope();
        using var recorder = OpRecorder.Start(attention);
        attention.call(torch.randn([2, 5, 8], seed: 3));
        Assert.Equal(
        [
            ("", "linear", "[2, 5, 24]"), ("", "mul_scalar", "[2, 2, 5, 4]"), ("", "matmul", "[2, 2, 5, 5]"),
            ("", "softmax", "[2, 2, 5, 5]"), ("", "matmul", "[2, 2, 5, 4]"), ("out_proj", "linear", "[2, 5, 8]"),
        ], Summary(recorder));
        Assert.Equal("x * 0.5", recorder.Records[1].Detail); // 1/sqrt(8 / 2)
    }

    private sealed class Failing : Module<Tensor, Tensor>
    {
        public Failing() : base("Failing") { }

        public override Tensor forward(Tensor x)
        {
            using var y = x.relu();
            throw new InvalidOperationException("fails after one op");
        }
    }

    [Fact]
    public void A_throwing_module_leaves_the_stack_balanced()
    {
        using var model = new Sequential(new Failing());
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2]);
        using var recorder = OpRecorder.Start(model);
        Assert.Throws<InvalidOperationException>(() => model.call(x));
        _ = x.sigmoid();
        Assert.Equal([("0", "relu"), ("", "sigmoid")], recorder.Records.Select(r => (r.Path, r.Op)).ToArray());
    }

    [Fact]
    public void Recorders_nest_each_with_its_own_root_and_stop_when_disposed()
    {
        using var model = Model();
        model.eval(InferenceOptimizations.None);
        var mixer = (Mixer)model[3];
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([1, 3, 2, 2], seed: 4);
        using var outer = OpRecorder.Start(model);
        using (var inner = OpRecorder.Start(mixer))
        {
            model.call(x);
            Assert.Equal(9, inner.Records.Count);
            Assert.Equal(["", "", "", "", "", "proj", "", "", ""], inner.Records.Select(r => r.Path)); // conv, bn, relu: outside the mixer
        }
        model.call(x);
        Assert.Equal(18, outer.Records.Count);
        outer.Dispose();
        model.call(x);
        Assert.Equal(18, outer.Records.Count);
    }

    [Fact]
    public void Paths_follow_named_modules_of_nested_containers()
    {
        using var root = new Sequential(new Sequential(new ReLU(), new Sequential(new Sigmoid())), new Tanh(), new ReLU6(), new Softmax(0));
        using var scope = torch.NewDisposeScope();
        using var recorder = OpRecorder.Start(root);
        root.call(torch.ones([3]));
        Assert.Equal([("0.0", "relu"), ("0.1.0", "sigmoid"), ("1", "tanh"), ("2", "relu6"), ("3", "softmax")],
            recorder.Records.Select(r => (r.Path, r.Op)).ToArray());
    }
}
