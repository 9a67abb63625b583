using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Dsl.Inference;
using ArchDsl.Runtime;
using ArchDsl.Tests.Models;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The inference plan (<see cref="InferenceOptimizations"/>): the same outputs as the model as written, for every
/// variant; the BatchNorm folds where the dataflow allows them and nowhere else; weights changed after eval() are used;
/// train() restores the model as written.</summary>
public class InferencePlanTests
{
    private static ArchModule PlanFolds() =>
        ArchFamilyInfo.InAssembly(typeof(InferencePlanTests).Assembly).Single(f => f.Name == "PlanFolds").Create("A");

    /// <summary>Seeded BatchNorm statistics and affine parameters away from the defaults (mean 0, variance 1, γ 1, β 0),
    /// with which a wrong fold would go unnoticed.</summary>
    internal static void RandomizeBatchNorms(Module model, long seed = 100)
    {
        using var noGrad = GradMode.IsInference ? null : torch.no_grad();  // inference tensors only inference mode may write
        foreach (var bn in model.modules().OfType<BatchNorm2d>())
        {
            using var scope = torch.NewDisposeScope();
            long c = bn.num_features;
            bn.weight!.copy_(torch.rand([c], seed: seed++) * 0.5 + 0.75);
            bn.bias!.copy_(torch.randn([c], seed: seed++) * 0.1);
            bn.running_mean!.copy_(torch.randn([c], seed: seed++) * 0.1);
            bn.running_var!.copy_(torch.rand([c], seed: seed++) * 0.5 + 0.75);
        }
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        return (a - b).abs().max().item<float>();
    }

    /// <summary>The golden tests' bound, 1e-4, relative to the output's scale above 1.</summary>
    private static double Bound(Tensor reference)
    {
        using var scope = torch.NewDisposeScope();
        return 1e-4 * Math.Max(1.0, reference.abs().max().item<float>());
    }

    [Fact]
    public void Folds_are_declared_only_where_nothing_else_reads_the_value_between()
    {
        var analysis = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(File.ReadAllText(Path.Combine(Repository.Root, "Tests", "Models", "Fixtures", "PlanFolds.arch.yaml")));
        var folds = BatchNormFolds.Of(analysis.Variants.Single().Resolved.Root)
            .Select(f => $"{f.First.Path} → {f.Second.Path}").ToList();
        // the fixture's comments name the cases: stem.conv → stem.bn, pre.bn → pre.conv, out.conv → out.bn fold; a BatchNorm
        // before a padded or grouped convolution, a convolution read twice, a stage's feature map do not
        Assert.Equal(new[] { "stem.conv → stem.bn", "pre.bn → pre.conv", "out.conv → out.bn" }, folds);
    }

    [Fact]
    public void Activations_run_in_place_only_on_a_new_value_nothing_else_reads()
    {
        var analysis = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(File.ReadAllText(Path.Combine(Repository.Root, "Tests", "Models", "Fixtures", "PlanFolds.arch.yaml")));
        var inPlace = InPlaceActivations.Of(analysis.Variants.Single().Resolved.Root).Select(n => n.Kind.Name).ToList();
        // the fixture's relu after stem.bn, gelu after out.bn and gelu after proj.fc (which the linear layer applies
        // instead); not its hardswish, whose input the shortcut also reads, nor the relu after mix.fc
        Assert.Equal(new[] { "relu", "gelu", "gelu" }, inPlace);

        using var model = PlanFolds();
        model.MeasuresPlan = false;   // the head's GELU is in place only when the plan drops FuseActivations
        model.eval();
        using var input = torch.randn([1, 3, 16, 16], seed: 4);
        model.call(input).Dispose();
        Assert.Equal(new[] { "ReLU", "GELU" }, model.modules().OfType<Activation>().Where(a => a.Plan == "in place").Select(a => a.GetType().Name));
        Assert.Equal("", model.modules().OfType<Hardswish>().Single().Plan);
    }

    [Fact]
    public void Activations_are_applied_by_the_linear_layer_only_where_it_alone_reads_its_output()
    {
        var analysis = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(File.ReadAllText(Path.Combine(Repository.Root, "Tests", "Models", "Fixtures", "PlanFolds.arch.yaml")));
        var fusions = ActivationFusions.Of(analysis.Variants.Single().Resolved.Root).Select(f => $"{f.Linear.Path} → {f.Activation.Path}");
        Assert.Equal(new[] { "proj.fc → proj.act" }, fusions);   // not mix.fc, whose output the sum reads too

        using var model = PlanFolds();
        model.MeasuresPlan = false;
        model.eval();
        using var input = torch.randn([1, 3, 16, 16], seed: 17);
        model.call(input).Dispose();
        Assert.Equal("oneDNN matmul, GELU applied", ((Linear)model.get_submodule("proj.fc")).Plan);
        Assert.Equal("applied by the linear layer", ((Activation)model.get_submodule("proj.act")).Plan);
        Assert.Equal("oneDNN matmul", ((Linear)model.get_submodule("mix.fc")).Plan);
        Assert.Equal("", ((Activation)model.get_submodule("mix.act")).Plan);
    }

    [Fact]
    public void The_oneDNN_pointwise_convolution_computes_the_convolution()
    {
        using var guard = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var weight = torch.randn([24, 16, 1, 1], seed: 24);
        var bias = torch.randn([24], seed: 25);
        var nchw = torch.randn([2, 16, 7, 9], seed: 26);
        var channelsLast = torch.randn([2, 7, 9, 16], seed: 27).permute(0, 3, 1, 2);
        foreach (var input in new[] { nchw, channelsLast })
        {
            foreach (var b in new[] { bias, null })
            {
                var expected = F.conv2d(input, weight, b);
                var actual = F.conv1x1_onednn(input, weight, b);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(MaxDifference(expected, actual) <= 1e-5, $"{MaxDifference(expected, actual)}");
            }
        }
        Assert.Throws<TorchException>(() => F.conv1x1_onednn(nchw, torch.randn([24, 16, 3, 3])));
    }

    [Fact]
    public void The_oneDNN_linear_is_right_from_threads_running_the_same_shape_at_once()
    {
        // the shim keeps one oneDNN primitive per shape; tests and services run models from several threads at once
        using var guard = torch.inference_mode();
        using var weight = torch.randn([1024, 256], seed: 21);
        using var bias = torch.randn([1024], seed: 22);
        using var input = torch.randn([394, 256], seed: 23);
        using var expected = F.linear(input, weight, bias);
        double worst = 0;
        System.Threading.Tasks.Parallel.For(0, 4, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            using var inner = torch.inference_mode();
            for (int i = 0; i < 50; i++)
            {
                using var scope = torch.NewDisposeScope();
                double difference = MaxDifference(expected, F.linear_onednn(input, weight, bias));
                lock (weight) worst = Math.Max(worst, difference);
            }
        });
        Assert.True(worst <= 1e-4, $"max difference {worst}");
    }

    /// <summary>Each activation oneDNN's matmul applies (<c>Activation.AppliesInMatmul</c>, mapped to oneDNN algorithms in
    /// the shim) gives the result of the linear layer followed by the activation.</summary>
    [Theory]
    [InlineData("gelu")]
    [InlineData("gelu_tanh")]
    [InlineData("relu")]
    [InlineData("relu6")]
    [InlineData("silu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("hardswish")]
    public void A_linear_layer_applies_each_fusable_activation_as_the_activation_does(string kind)
    {
        Activation activation = kind switch
        {
            "gelu" => new GELU(),
            "gelu_tanh" => new GELU("tanh"),
            "relu" => new ReLU(),
            "relu6" => new ReLU6(),
            "silu" => new SiLU(),
            "sigmoid" => new Sigmoid(),
            "tanh" => new Tanh(),
            _ => new Hardswish(),
        };
        using var _ = activation;
        Assert.True(activation.AppliesInMatmul);
        using var guard = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var weight = torch.randn([24, 16], seed: 18);
        var bias = torch.randn([24], seed: 19);
        var input = torch.randn([2, 49, 16], seed: 20) * 2.0;   // values across every activation's bends (±6 for ReLU6)
        var expected = activation.call(F.linear(input, weight, bias));
        var actual = F.linear_onednn(input, weight, bias, activation);
        Assert.True(MaxDifference(expected, actual) <= 1e-5, $"{kind}: {MaxDifference(expected, actual)}");
        using var hardsigmoid = new Hardsigmoid();
        Assert.False(hardsigmoid.AppliesInMatmul);   // oneDNN 2.6 has no hard sigmoid
        Assert.Throws<ArgumentException>(() => F.linear_onednn(input, weight, bias, hardsigmoid));
    }

    [Fact]
    public void The_plan_folds_the_declared_batchnorms_and_computes_the_same_outputs()
    {
        using var plain = PlanFolds();
        using var planned = PlanFolds();
        RandomizeBatchNorms(plain);
        planned.load_state_dict(plain.state_dict());
        plain.eval(InferenceOptimizations.None);
        planned.eval();
        using var input = torch.randn([2, 3, 16, 16], seed: 5);
        using var expected = plain.call(input);
        using var actual = planned.call(input);
        Assert.True(MaxDifference(expected, actual) <= 1e-5, $"max difference {MaxDifference(expected, actual)}");

        var folded = planned.named_modules().Where(m => m.module is BatchNorm2d { Plan: not "" }).Select(m => m.name).ToList();
        Assert.Equal(new[] { "stem.bn", "pre.bn", "out.bn" }, folded);
        Assert.All(plain.modules().OfType<IPlanned>(), m => Assert.Equal("", m.Plan));
    }

    [Fact]
    public void Weights_changed_after_eval_are_used()
    {
        using var model = PlanFolds();
        using var other = PlanFolds();
        RandomizeBatchNorms(model, seed: 1);
        RandomizeBatchNorms(other, seed: 2);
        using var input = torch.randn([1, 3, 16, 16], seed: 6);
        model.eval();
        model.call(input).Dispose();  // folds computed from the first weights

        model.load_state_dict(other.state_dict());
        other.eval(InferenceOptimizations.None);
        using (var expected = other.call(input))
        using (var actual = model.call(input))
            Assert.True(MaxDifference(expected, actual) <= 1e-5, "after load_state_dict");

        // an in-place change of a running statistic (its version counter moves)
        using (torch.no_grad())
        {
            var bn = (BatchNorm2d)model.get_submodule("stem.bn");
            var otherBn = (BatchNorm2d)other.get_submodule("stem.bn");
            bn.running_var!.mul_(2.0);
            otherBn.running_var!.mul_(2.0);
        }
        using (var expected = other.call(input))
        using (var actual = model.call(input))
            Assert.True(MaxDifference(expected, actual) <= 1e-5, "after an in-place change");
    }

    [Fact]
    public void Train_restores_the_model_as_written()
    {
        // CAS-ViT's training golden configuration: the train-mode output and gradients of a model that was in eval mode
        // with the plan equal, bit for bit, those of a model that never was
        using var fresh = new ArchDsl.Architectures.CasViT.TinyATrain();
        using var visited = new ArchDsl.Architectures.CasViT.TinyATrain();
        RandomizeBatchNorms(fresh);
        visited.load_state_dict(fresh.state_dict());
        using var input = torch.randn([2, 3, 32, 32], seed: 7);
        visited.eval();
        visited.call(input).Dispose();
        visited.train();
        Assert.All(visited.modules(), m => Assert.Equal(InferenceOptimizations.None, m.optimizations));
        Assert.All(visited.modules().OfType<IPlanned>(), m => Assert.Equal("", m.Plan));

        using var scope = torch.NewDisposeScope();
        var expected = fresh.call(input);
        var actual = visited.call(input);
        Assert.Equal(0.0, MaxDifference(expected, actual));
        expected.sum().backward();
        actual.sum().backward();
        foreach (var ((name, a), (_, b)) in fresh.named_parameters().Zip(visited.named_parameters()))
        {
            if (a.grad is null) continue;
            Assert.True(MaxDifference(a.grad, b.grad!) == 0.0, name);
        }
    }

    [Theory]
    [MemberData(nameof(ModelConformanceTests.AllVariants), MemberType = typeof(ModelConformanceTests))]
    public void Every_variant_computes_the_same_outputs_and_features_with_the_plan(string family, string variant)
    {
        using var plain = ModelConformanceTests.Create(family, variant);
        RandomizeBatchNorms(plain);
        plain.eval(InferenceOptimizations.None);
        using var guard = torch.inference_mode();
        // built, loaded and run under inference mode, as archdsl bench does: its parameters are inference tensors
        using var planned = ModelConformanceTests.Create(family, variant);
        planned.load_state_dict(plain.state_dict());
        planned.MeasuresPlan = false;   // every transformation, whichever would measure faster here
        planned.eval();
        Assert.Equal(InferenceOptimizations.All, planned.optimizations);
        var trace = plain.Analysis.Trace;
        using var scope = torch.NewDisposeScope();
        var input = torch.randn([2, trace.Variant.InChannels, trace.Height, trace.Width], seed: 8);
        var expected = plain.call(input);
        var actual = planned.call(input);
        Assert.True(MaxDifference(expected, actual) <= Bound(expected), $"outputs differ by {MaxDifference(expected, actual)}");
        foreach (var (e, a) in plain.ForwardFeatures(input).Zip(planned.ForwardFeatures(input)))
            Assert.True(MaxDifference(e, a) <= Bound(e), $"a feature map differs by {MaxDifference(e, a)}");
    }

    [Fact]
    public void Models_built_under_inference_mode_load_weights_and_run_with_the_plan()
    {
        // archdsl bench builds its models under inference mode: their parameters are inference tensors, which only
        // inference mode may write (MAT's zero-initialised offset convolution, load_state_dict)
        using var guard = torch.inference_mode();
        using (ModelConformanceTests.Create("MAT", "MAT1")) { }
        using var source = PlanFolds();
        using var model = PlanFolds();
        RandomizeBatchNorms(source);
        model.load_state_dict(source.state_dict());
        model.eval();
        source.eval(InferenceOptimizations.None);
        using var input = torch.randn([1, 3, 16, 16], seed: 10);
        using var expected = source.call(input);
        using var actual = model.call(input);
        Assert.True(MaxDifference(expected, actual) <= 1e-5);
    }

    [Fact]
    public void The_oneDNN_linear_computes_the_linear_layer()
    {
        using var guard = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var weight = torch.randn([24, 16], seed: 11);
        var bias = torch.randn([24], seed: 12);
        var inputs = new[]
        {
            torch.randn([70, 16], seed: 13),                         // rows
            torch.randn([2, 49, 16], seed: 14),                      // tokens
            torch.randn([2, 16, 49], seed: 15).transpose(1, 2),      // not contiguous
        };
        foreach (var input in inputs)
        {
            foreach (var b in new[] { bias, null })
            {
                var expected = F.linear(input, weight, b);
                var actual = F.linear_onednn(input, weight, b);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(MaxDifference(expected, actual) <= 1e-5, $"{string.Join("×", input.shape)}: {MaxDifference(expected, actual)}");
            }
        }
        Assert.Throws<TorchException>(() => F.linear_onednn(torch.randn([4, 15]), weight));
    }

    [Fact]
    public void Plans_are_named_as_the_cli_writes_them()
    {
        Assert.Equal(InferenceOptimizations.All, InferencePlan.Parse("all"));
        Assert.Equal(InferenceOptimizations.None, InferencePlan.Parse("none"));
        Assert.Equal(InferenceOptimizations.FoldBatchNorm | InferenceOptimizations.ChannelsLast, InferencePlan.Parse("FoldBatchNorm, channelslast"));
        Assert.Equal("foldbatchnorm,channelslast", InferencePlan.Format(InferenceOptimizations.FoldBatchNorm | InferenceOptimizations.ChannelsLast));
        Assert.Equal("none", InferencePlan.Format(InferenceOptimizations.None));
        Assert.Equal(InferenceOptimizations.All, InferencePlan.Parse(InferencePlan.Format(InferenceOptimizations.All)));
        var error = Assert.Throws<ArgumentException>(() => InferencePlan.Parse("fold"));
        Assert.Contains("foldbatchnorm", error.Message);
        Assert.Throws<ArgumentException>(() => InferencePlan.Parse("3"));
    }

    [Fact]
    public void The_layer_profile_names_each_kind_and_its_plan()
    {
        using var model = PlanFolds();
        model.eval();
        using var input = torch.randn([1, 3, 16, 16], seed: 9);
        var rows = LayerProfile.Measure(model, input, passes: 2);
        Assert.Equal("other operations", rows[^1].Kind);
        Assert.Contains(rows, r => r.Kind == "BatchNorm2d" && r.Plan == "folded into a convolution" && r.Calls == 3);
        Assert.Contains(rows, r => r.Kind == "BatchNorm2d" && r.Plan == "" && r.Calls == 3);
        Assert.Contains(rows, r => r.Kind == "Conv2d depthwise 3×3" && r.Plan.StartsWith("BatchNorm after folded in", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Milliseconds >= 0));
    }
}
