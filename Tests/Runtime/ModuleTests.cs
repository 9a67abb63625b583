using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>Module naming, registration, state dicts, modes and hooks. The expected keys and shapes are
/// those PyTorch 1.13 prints for the equivalent nn.Module (written out in <see cref="PyTorchKeys"/>).</summary>
public sealed class ModuleTests
{
    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv;
        private readonly BatchNorm2d _bn;
        private readonly Tensor _layerScale;

        public Block() : base("Block")
        {
            _conv = register_module("conv", new Conv2d(8, 8, 3, padding: 1, groups: 8, bias: false));
            _bn = register_module("bn", new BatchNorm2d(8));
            // registered after the children, listed before them: PyTorch puts own parameters first
            _layerScale = torch.ones([8, 1, 1]);
            register_parameter("layer_scale", _layerScale);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(x + _layerScale * _bn.call(_conv.call(x)));
        }
    }

    /// <summary>A head whose parts are top-level keys of the model (as in CAS-ViT).</summary>
    private sealed class Head : Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d _norm = new(8);
        private readonly Linear _head = new(8, 10);
        private readonly Linear _distHead = new(8, 10);

        public Head() : base("Head")
        {
            register_module("norm", _norm);
            register_module("head", _head);
            register_module("dist_head", _distHead);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var pooled = _norm.call(x).mean([2, 3]);
            return scope.MoveToOuter((_head.call(pooled) + _distHead.call(pooled)) / 2.0);
        }
    }

    private sealed class Net : Module<Tensor, Tensor>
    {
        public Net() : base("Net")
        {
            Stem = register_module("stem", new Sequential(new Conv2d(3, 8, 3, stride: 2, padding: 1), new BatchNorm2d(8), new ReLU()));
            Blocks = [RegisterAt("network.0.0", new Block()), RegisterAt("network.0.1", new Block()), RegisterAt("network.1", new Block())];
            Head = RegisterInline(new Head());
        }

        public Sequential Stem { get; }
        public Block[] Blocks { get; }
        public Head Head { get; }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            x = Stem.call(x);
            foreach (var block in Blocks) x = block.call(x);
            return scope.MoveToOuter(Head.call(x));
        }
    }

    private static readonly (string key, long[] shape)[] PyTorchKeys =
    [
        ("stem.0.weight", [8, 3, 3, 3]), ("stem.0.bias", [8]),
        ("stem.1.weight", [8]), ("stem.1.bias", [8]), ("stem.1.running_mean", [8]), ("stem.1.running_var", [8]), ("stem.1.num_batches_tracked", []),
        ("network.0.0.layer_scale", [8, 1, 1]), ("network.0.0.conv.weight", [8, 1, 3, 3]),
        ("network.0.0.bn.weight", [8]), ("network.0.0.bn.bias", [8]), ("network.0.0.bn.running_mean", [8]), ("network.0.0.bn.running_var", [8]),
        ("network.0.0.bn.num_batches_tracked", []),
        ("network.0.1.layer_scale", [8, 1, 1]), ("network.0.1.conv.weight", [8, 1, 3, 3]),
        ("network.0.1.bn.weight", [8]), ("network.0.1.bn.bias", [8]), ("network.0.1.bn.running_mean", [8]), ("network.0.1.bn.running_var", [8]),
        ("network.0.1.bn.num_batches_tracked", []),
        ("network.1.layer_scale", [8, 1, 1]), ("network.1.conv.weight", [8, 1, 3, 3]),
        ("network.1.bn.weight", [8]), ("network.1.bn.bias", [8]), ("network.1.bn.running_mean", [8]), ("network.1.bn.running_var", [8]),
        ("network.1.bn.num_batches_tracked", []),
        ("norm.weight", [8]), ("norm.bias", [8]), ("norm.running_mean", [8]), ("norm.running_var", [8]), ("norm.num_batches_tracked", []),
        ("head.weight", [10, 8]), ("head.bias", [10]), ("dist_head.weight", [10, 8]), ("dist_head.bias", [10]),
    ];

    [Fact]
    public void Layer_keys_shapes_and_order_equal_pytorch()
    {
        using var bn = new BatchNorm2d(4);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.state_dict().Keys);
        Assert.Equal(ScalarType.Int64, bn.state_dict()["num_batches_tracked"].dtype);
        Assert.Empty(bn.state_dict()["num_batches_tracked"].shape);
        Assert.Equal(["weight", "bias"], bn.named_parameters().Select(p => p.name));

        using var conv = new Conv2d(6, 12, (3, 5), (1, 1), (1, 2), (1, 1), groups: 3);
        Assert.Equal(new long[] { 12, 2, 3, 5 }, conv.weight.shape);
        Assert.Equal(["weight", "bias"], conv.state_dict().Keys);
        using var linear = new Linear(7, 3, bias: false);
        Assert.Equal(new long[] { 3, 7 }, linear.weight.shape);
        Assert.Equal(["weight"], linear.state_dict().Keys);
        using var transposed = new ConvTranspose2d(4, 6, 2, stride: 2, groups: 2);
        Assert.Equal(new long[] { 4, 3, 2, 2 }, transposed.weight.shape);
        using var ln = new LayerNorm([4, 5]);
        Assert.Equal(new long[] { 4, 5 }, ln.weight!.shape);
        using var gn = new GroupNorm(2, 6);
        Assert.Equal(["weight", "bias"], gn.state_dict().Keys);
    }

    [Fact]
    public void Nested_model_keys_follow_pytorch_with_RegisterAt_and_RegisterInline()
    {
        using var net = new Net();
        var sd = net.state_dict();
        Assert.Equal(PyTorchKeys.Select(k => k.key), sd.Keys);
        foreach (var (key, shape) in PyTorchKeys) Assert.Equal(shape, sd[key].shape);
        Assert.Equal(724, net.parameters().Sum(p => p.numel())); // sum(p.numel() for p in net.parameters()) in PyTorch
        Assert.IsType<ModuleList>(net.get_submodule("network"));
        Assert.IsType<ModuleList>(net.get_submodule("network.0"));
        Assert.Same(net.Blocks[1], net.get_submodule("network.0.1"));
        Assert.Equal(["stem", "network", "norm", "head", "dist_head"], net.named_children().Select(c => c.name));
        var names = net.named_modules().Select(m => m.name).ToList();
        Assert.Equal("", names[0]);
        Assert.Contains("network.0.1.bn", names);
        Assert.DoesNotContain(names, n => n.Contains("Head", StringComparison.Ordinal));
    }

    [Fact]
    public void Untrained_model_produces_finite_non_trivial_output()
    {
        using var net = new Net();
        net.eval();
        using var scope = torch.NewDisposeScope();
        var y = net.call(torch.randn([2, 3, 16, 16], seed: 1));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        var values = y.data<float>();
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        Assert.True(values.Max() - values.Min() > 1e-3);
    }

    [Fact]
    public void Registration_rejects_bad_names_and_out_of_order_indices()
    {
        using var net = new Net();
        Assert.Throws<ArgumentException>(() => net.register_module("stem", new ReLU()));
        Assert.Throws<ArgumentException>(() => net.register_parameter("a.b", torch.ones([1])));
        Assert.Throws<ArgumentException>(() => net.register_buffer("", torch.ones([1])));
        var e = Assert.Throws<ArgumentException>(() => net.RegisterAt("network.3", new ReLU()));
        Assert.Contains("expected 2", e.Message);
        net.RegisterAt("network.2", new ReLU());
        net.RegisterAt("extra.branch.0", new ReLU());
        Assert.IsType<ModuleDict>(net.get_submodule("extra"));
        Assert.IsType<ModuleList>(net.get_submodule("extra.branch"));
    }

    [Fact]
    public void Non_persistent_buffers_stay_out_of_state_dict()
    {
        using var m = new Identity();
        m.register_buffer("cache", torch.zeros([2]), persistent: false);
        m.register_buffer("stat", torch.zeros([2]));
        m.register_parameter("missing_bias", null);
        Assert.Equal(["stat"], m.state_dict().Keys);
        Assert.Equal(["cache", "stat"], m.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void Registered_tensors_leave_the_dispose_scope()
    {
        Conv2d conv;
        using (torch.NewDisposeScope())
        {
            conv = new Conv2d(2, 2, 1);
        }
        Assert.False(conv.weight.IsDisposed);
        Assert.Null(conv.weight.OwningDisposeScope);
        conv.Dispose();
        Assert.True(conv.weight.IsDisposed);
    }

    [Fact]
    public void Strict_load_reports_every_problem_at_once_and_changes_nothing()
    {
        using var net = new Net();
        using var scope = torch.NewDisposeScope();
        // every value differs from the module's, so a partial load would show
        var sd = new Dictionary<string, Tensor>();
        foreach (var (key, value) in net.state_dict()) sd[key] = value.dtype == ScalarType.Int64 ? value + 1L : value + 1.0;
        sd.Remove("stem.0.bias");
        sd.Remove("head.weight");
        sd["stem.2.weight"] = torch.ones([1]);
        sd["network.1.conv.weight"] = torch.ones([8, 1, 1, 1]);
        sd["norm.num_batches_tracked"] = torch.zeros([]);
        var before = net.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());

        var e = Assert.Throws<StateDictException>(() => net.load_state_dict(sd));
        Assert.Equal(["stem.0.bias", "head.weight"], e.MissingKeys);
        Assert.Equal(["stem.2.weight"], e.UnexpectedKeys);
        Assert.Equal([new StateDictMismatch("network.1.conv.weight", "[8, 1, 3, 3]", "[8, 1, 1, 1]")], e.ShapeMismatches);
        Assert.Equal([new StateDictMismatch("norm.num_batches_tracked", "Int64", "Float32")], e.DtypeMismatches);
        foreach (var text in new[] { "stem.0.bias", "head.weight", "stem.2.weight", "network.1.conv.weight", "norm.num_batches_tracked" })
            Assert.Contains(text, e.Message);
        foreach (var (key, value) in net.state_dict()) Assert.Equal(0.0, torch.max_abs_diff(before[key], value));
    }

    [Fact]
    public void Non_strict_load_returns_missing_and_unexpected_and_loads_the_rest()
    {
        using var net = new Net();
        using var scope = torch.NewDisposeScope();
        var sd = new Dictionary<string, Tensor> { ["head.bias"] = torch.full([10], 7.0), ["unknown"] = torch.ones([1]) };
        var (missing, unexpected) = net.load_state_dict(sd, strict: false);
        Assert.Equal(PyTorchKeys.Length - 1, missing.Count);
        Assert.Equal(["unknown"], unexpected);
        Assert.All(net.state_dict()["head.bias"].data<float>(), v => Assert.Equal(7f, v));
        sd["head.bias"] = torch.ones([11]);
        Assert.Throws<StateDictException>(() => net.load_state_dict(sd, strict: false)); // shapes must match even when not strict
    }

    [Fact]
    public void Loaded_weights_reproduce_outputs()
    {
        using var a = new Net();
        using var b = new Net();
        a.eval();
        b.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([1, 3, 8, 8], seed: 3);
        Assert.True(torch.max_abs_diff(a.call(x), b.call(x)) > 1e-4); // different random initialisations
        b.load_state_dict(a.state_dict());
        Assert.Equal(0.0, torch.max_abs_diff(a.call(x), b.call(x)));
    }

    [Fact]
    public void Train_and_eval_propagate_to_every_module()
    {
        using var net = new Net();
        Assert.All(net.modules(), m => Assert.True(m.training));
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        Assert.False(net.Head.training); // registered inline, still switched
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
        Assert.True(net.Head.training);
    }

    [Fact]
    public void BatchNorm_training_mode_counts_batches_and_eval_does_not()
    {
        using var bn = new BatchNorm2d(2);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 2, 3, 3], seed: 5);
        bn.call(x);
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        Assert.NotEqual(0f, bn.running_mean!.abs().sum().item<float>());
        bn.eval();
        var runningMean = bn.running_mean.clone();
        var y = bn.call(x);
        Assert.Equal(1L, bn.num_batches_tracked.item<long>());
        Assert.Equal(0.0, torch.max_abs_diff(runningMean, bn.running_mean));
        // eval output is (x - running_mean) / sqrt(running_var + eps) with weight 1, bias 0
        var expected = (x - bn.running_mean.reshape(1, 2, 1, 1)) / (bn.running_var!.reshape(1, 2, 1, 1) + 1e-5).sqrt();
        Assert.True(torch.max_abs_diff(expected, y) < 1e-5);
    }

    [Fact]
    public void Forward_hooks_run_through_call_not_forward_and_can_be_removed()
    {
        using var net = new Net();
        net.eval();
        using var scope = torch.NewDisposeScope();
        var events = new List<string>();
        var block = net.Blocks[0];
        using var pre = block.register_forward_pre_hook((m, input) => events.Add($"pre {ShapeCheck.Format(input.shape)}"));
        var post = block.register_forward_hook((m, input, output) => events.Add($"post {m.name} {ShapeCheck.Format(output.shape)}"));
        var x = torch.randn([1, 3, 8, 8], seed: 2);

        net.call(x);
        Assert.Equal(["pre [1, 8, 4, 4]", "post Block [1, 8, 4, 4]"], events);

        events.Clear();
        block.forward(torch.zeros([1, 8, 4, 4]));
        Assert.Empty(events);

        post.remove();
        net.call(x);
        Assert.Equal(["pre [1, 8, 4, 4]"], events);
        post.Dispose(); // removing twice is harmless
    }

    [Fact]
    public void Sequential_chains_children_and_frees_intermediates()
    {
        using var seq = new Sequential(new ReLU(), new Identity(), new Sigmoid());
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([-1f, 0f]);
        int before = scope.DisposablesCount;
        var y = seq.call(x);
        Assert.Equal(new[] { 0.5f, 0.5f }, y.data<float>());
        Assert.False(x.IsDisposed);
        Assert.Equal(before + 1, scope.DisposablesCount); // only the result is left
        Assert.Equal(["0", "1", "2"], seq.named_children().Select(c => c.name));
        Assert.IsType<Identity>(seq[1]);
    }

    [Fact]
    public void Dropout_follows_the_mode()
    {
        using var dropout = new Dropout(0.5);
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([1000]);
        Assert.True(dropout.call(x).eq(0).sum().item<long>() > 0);
        dropout.eval();
        Assert.Equal(1000f, dropout.call(x).sum().item<float>());
    }
}
