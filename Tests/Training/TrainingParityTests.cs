using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Training;

/// <summary>Train-mode forward, backward and optimizer steps against the official PyTorch code (training goldens, see
/// Tests/Data/golden/README.md): loss and logits within 1e-4, every gradient and every updated tensor within 1e-4 of the
/// tensor's largest magnitude plus 1e-6 (float32 reductions run in a different order), the BatchNorm running statistics
/// and counters after the steps. The tolerances are issue 10's.</summary>
[Collection(nameof(ProcessStateCollection))]   // sets the process-wide thread count
public sealed class TrainingParityTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly int _threads = torch.get_num_threads();

    // The goldens were computed with PyTorch's default of 2 intra-op threads on a 2-core machine, and libtorch splits
    // reductions by thread count: 2 threads reproduce their summation order. Measured: LightViT's
    // patch_embed.norm.weight gradient is at 413 % of its bound with 1 thread and at 0.4 % with 2.
    public TrainingParityTests(ITestOutputHelper output)
    {
        _output = output;
        torch.set_num_threads(2);
    }

    public void Dispose() => torch.set_num_threads(_threads);

    // the recipes of Tests/Data/golden/train-meta.json
    private const double SgdLr = 0.05, SgdMomentum = 0.9, SgdWeightDecay = 5e-4;
    private const double AdamWLr = 1e-3, AdamWWeightDecay = 0.05;

    public static IEnumerable<object[]> Cases() => [["casvit_tiny_a_train"], ["lightvit_tiny_a_train"]];

    private static ArchModule Create(string name) => name switch
    {
        "casvit_tiny_a_train" => new ArchDsl.Architectures.CasViT.TinyATrain(),
        "lightvit_tiny_a_train" => new ArchDsl.Architectures.LightViT.TinyA(),
        _ => throw new ArgumentException(name),
    };

    private static ArchModule Load(string name)
    {
        var model = Create(name);
        model.load_safetensors(Path.Combine(Repository.Golden, name + ".weights.safetensors"));
        model.train();
        return model;
    }

    /// <summary>The first forward's logits and loss; then the gradients, which the golden files hold for the SGD run's
    /// second backward (at the parameters after one step, see Tests/Data/golden/README.md).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_logits_and_every_gradient_match_the_official_code(string name)
    {
        using var model = Load(name);
        var golden = Safetensors.Load(Path.Combine(Repository.Golden, name + ".train.safetensors"));
        using var optimizer = new SGD(ParamGroup.All(model, SgdLr, SgdWeightDecay), momentum: SgdMomentum);
        using (var scope = torch.NewDisposeScope())
        {
            var logits = model.call(golden["input"]);
            var loss = F.cross_entropy(logits, golden["labels"]);
            double logitError = torch.max_abs_diff(logits, golden["logits"]);
            double lossError = Math.Abs(loss.item<float>() - golden["loss"].item<float>());
            _output.WriteLine($"{name}: |Δlogits| {logitError:E2}, |Δloss| {lossError:E2}");
            Assert.True(logitError <= 1e-4, $"logits differ by {logitError}");
            Assert.True(lossError <= 1e-4, $"loss differs by {lossError}");
            loss.backward();
            optimizer.step();
        }
        optimizer.zero_grad();
        using (var scope = torch.NewDisposeScope()) F.cross_entropy(model.call(golden["input"]), golden["labels"]).backward();

        var gradients = model.named_parameters().Select(p => (p.name, p.parameter.grad ?? throw new Xunit.Sdk.XunitException($"{p.name} has no gradient")));
        AssertWithinScale(gradients, golden, "grad.");
        foreach (var t in golden.Values) t.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_SGD_steps_reproduce_the_official_state(string name) =>
        AssertSteps(name, "sgd2.", groups => new SGD(groups, momentum: SgdMomentum), SgdLr, SgdWeightDecay, roundingAllowance: 0);

    /// <summary>Adam divides every gradient element by its own magnitude, so an element whose gradient is rounding noise
    /// (a conv bias before a BatchNorm, which removes it: its true gradient is zero) moves by up to Adam's step bound in a
    /// direction the rounding picks, differently in any two implementations. Such elements, |g| ≤ 1e-6 × the model's
    /// largest gradient at the first step (measured: every element outside the tight bound has |g| ≤ 3e-7 × it), are
    /// held to the difference of two such walks: 2 steps × 2 × lr·(1 − β1)/√(1 − β2) (Kingma &amp; Ba 2015, §2.1), and
    /// the BatchNorm running means behind them to momentum (0.1) times that.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_AdamW_steps_reproduce_the_official_state(string name) =>
        AssertSteps(name, "adamw2.", groups => new AdamW(groups), AdamWLr, AdamWWeightDecay,
            roundingAllowance: 2 * 2 * AdamWLr * (1 - 0.9) / Math.Sqrt(1 - 0.999));

    private void AssertSteps(string name, string prefix, Func<IReadOnlyList<ParamGroup>, Optimizer> create, double lr, double weightDecay,
        double roundingAllowance)
    {
        using var model = Load(name);
        var golden = Safetensors.Load(Path.Combine(Repository.Golden, name + ".train.safetensors"));
        // the official recipe gives every parameter the same decay (no timm grouping)
        using var optimizer = create(ParamGroup.All(model, lr, weightDecay));
        var allowance = new Dictionary<string, Tensor>();
        for (int step = 0; step < 2; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(golden["input"]), golden["labels"]).backward();
            if (step == 0) allowance = RoundingAllowance(model, roundingAllowance);
            optimizer.step();
        }
        var state = model.state_dict();
        // BatchNorm's num_batches_tracked (and index buffers, which must stay as they are)
        foreach (var (key, integers) in state.Where(e => e.Value.dtype == ScalarType.Int64))
            Assert.True(torch.max_abs_diff(integers, golden[prefix + key]) == 0, $"{key} differs from the official {prefix + key}");
        foreach (var key in state.Keys.Where(k => k.EndsWith(".running_mean", StringComparison.Ordinal)))
            allowance[key] = torch.full([], 0.1 * roundingAllowance).DetachFromDisposeScope();
        AssertWithinScale(state.Where(e => e.Value.dtype == ScalarType.Float32).Select(e => (e.Key, e.Value)), golden, prefix, allowance, dispose: false);
        foreach (var t in golden.Values.Concat(allowance.Values)) t.Dispose();
    }

    /// <summary>Per parameter, <paramref name="bound"/> where the element's gradient is rounding noise, 0 elsewhere.</summary>
    private static Dictionary<string, Tensor> RoundingAllowance(Module model, double bound)
    {
        var result = new Dictionary<string, Tensor>();
        if (bound == 0) return result;
        var gradients = model.named_parameters().Select(p => (p.name, grad: p.parameter.grad!)).ToList();
        double largest = gradients.Max(g => g.grad.abs().max().item<float>());
        foreach (var (name, grad) in gradients)
        {
            using var noise = grad.abs().le(1e-6 * largest);
            using var zero = torch.zeros([]);
            using var allowed = torch.full([], bound);
            result[name] = torch.where(noise, allowed, zero).DetachFromDisposeScope();
        }
        return result;
    }

    /// <summary>|ours − official| ≤ 1e-4 · max |official| + 1e-6 (+ the element's allowance) for every tensor; reports
    /// the worst ratio to the tight bound among elements without allowance.</summary>
    private void AssertWithinScale(IEnumerable<(string name, Tensor value)> ours, IReadOnlyDictionary<string, Tensor> golden, string prefix,
        IReadOnlyDictionary<string, Tensor>? allowance = null, bool dispose = true)
    {
        var failures = new List<string>();
        double worst = 0;
        string worstName = "";
        int count = 0;
        foreach (var (name, value) in ours)
        {
            Assert.True(golden.ContainsKey(prefix + name), $"the golden file has no {prefix + name}");
            using var scope = torch.NewDisposeScope();
            var official = golden[prefix + name];
            double bound = 1e-4 * official.abs().max().item<float>() + 1e-6;
            var error = (value - official).abs();
            var extra = allowance?.GetValueOrDefault(name);
            var tight = extra is null ? error : torch.where(extra.gt(0.0), torch.zeros([]), error);
            double ratio = tight.max().item<float>() / bound;
            if (ratio > worst) (worst, worstName) = (ratio, name);
            long outside = (extra is null ? error.gt(bound) : error.gt(extra + bound)).sum().item<long>();
            if (outside > 0) failures.Add($"{name}: {outside} of {value.numel()} elements outside the bound, max error {error.max().item<float>():E2}, tight bound {bound:E2}");
            count++;
            if (dispose) value.Dispose();
        }
        _output.WriteLine($"{prefix}: {count} tensors, worst {worstName} at {worst:P1} of its bound");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
