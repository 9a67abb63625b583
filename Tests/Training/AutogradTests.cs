using System;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Training;

/// <summary>Gradients, grad-mode scopes and the train-mode behaviour of the stochastic and statistical layers.</summary>
[Collection(nameof(ProcessStateCollection))]   // reseeds the default generator
public class AutogradTests
{
    [Fact]
    public void Backward_gives_the_analytic_gradient_and_scopes_switch_recording()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, -2f, 3f]).requires_grad_();
        (x * x).sum().backward();
        Assert.Equal([2f, -4f, 6f], x.grad!.data<float>());   // d/dx Σ x² = 2x
        x.clear_grad();
        Assert.Null(x.grad);

        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((x * 2.0).requires_grad);
            using (torch.enable_grad()) Assert.True((x * 2.0).requires_grad);
        }
        using (torch.inference_mode()) Assert.True((x * 2.0).is_inference());
        Assert.True(torch.is_grad_enabled());
        Assert.False((x * 2.0).detach().requires_grad);
    }

    [Fact]
    public void An_eval_modules_output_feeds_a_trained_module()
    {
        using var frozen = new Linear(4, 4);
        using var head = new Linear(4, 2);
        frozen.eval();
        using var scope = torch.NewDisposeScope();
        var features = frozen.call(torch.randn([3, 4], seed: 1));
        Assert.False(features.requires_grad);   // eval outside every scope: no graph
        Assert.False(features.is_inference());  // but an ordinary tensor, which autograd can save
        head.call(features).sum().backward();
        Assert.NotNull(head.weight.grad);
        Assert.Null(frozen.weight.grad);
    }

    [Fact]
    public void Writing_into_a_parameter_needs_no_grad_as_in_PyTorch()
    {
        using var linear = new Linear(2, 2);
        var e = Assert.Throws<TorchException>(() => linear.weight.fill_(0.0));
        Assert.Contains("leaf Variable that requires grad", e.Message);
        using (torch.no_grad()) linear.weight.fill_(0.0);
        Assert.All(linear.weight.data<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Dropout_in_training_passes_gradient_through_the_kept_elements_only()
    {
        using var dropout = new Dropout(0.5);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var x = torch.ones([1000]).requires_grad_();
        var y = dropout.call(x);
        y.sum().backward();
        var output = y.data<float>();
        var grad = x.grad!.data<float>();
        // the kept elements are scaled by 1 / (1 − p) = 2 in value and gradient, the others are zero in both
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(output[i], grad[i]));
        Assert.All(grad, g => Assert.True(g is 0f or 2f));
        Assert.InRange(grad.Count(g => g == 0f), 400, 600);   // Binomial(1000, 0.5): ±6.3 standard deviations
    }

    [Fact]
    public void BatchNorm_in_training_normalises_by_the_batch_and_updates_its_running_statistics()
    {
        using var bn = new BatchNorm2d(1);
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f, 3f, 6f], [4, 1, 1, 1]);   // mean 3, biased variance 3.5, unbiased 14/3
        var y = bn.call(x);
        Assert.Equal(0f, y.mean().item<float>(), 6);
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        Assert.Equal(0.1f * 3f, bn.running_mean!.item<float>(), 6);                      // (1 − 0.1)·0 + 0.1·3
        Assert.Equal(0.9f + 0.1f * 14f / 3f, bn.running_var!.item<float>(), 6);         // (1 − 0.1)·1 + 0.1·14/3
    }

    /// <summary>libtorch 1.13 computes exact GELU's gradient with oneDNN and got it wrong (zeros, stale memory, NaN)
    /// when the gradient reaching it had other strides than GELU's input (pytorch/pytorch#107876, fixed in PyTorch 2.1);
    /// MAT's training gradients were sometimes non-finite from it. Each case writes one loss twice: with a transpose
    /// or permute after the GELU, so that its gradient arrives strided, and with the same reordering elsewhere.</summary>
    [Fact]
    public void GELU_gradient_does_not_depend_on_the_layout_after_it()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 6, 6], seed: 1).requires_grad_();
        var w = torch.randn([4, 6, 6], seed: 2);
        AssertSameGradient(x,
            () => (F.gelu(x).transpose(1, 2) * w).sum(),
            () => (F.gelu(x) * w.transpose(1, 2)).sum());

        var map = torch.randn([2, 7, 7, 16], seed: 3).requires_grad_();   // [N, H, W, C], as after LayerNorm2d
        var v = torch.randn([2, 16], seed: 4);
        AssertSameGradient(map,
            () => (F.gelu(map).permute(0, 3, 1, 2).mean([2L, 3L]) * v).sum(),
            () => (F.gelu(map).mean([1L, 2L]) * v).sum());
    }

    private static void AssertSameGradient(Tensor leaf, Func<Tensor> strided, Func<Tensor> contiguous)
    {
        contiguous().backward();
        var expected = leaf.grad!.data<float>().ToArray();
        leaf.clear_grad();
        strided().backward();
        var actual = leaf.grad!.data<float>().ToArray();
        leaf.clear_grad();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);   // float rounding only
    }
}
