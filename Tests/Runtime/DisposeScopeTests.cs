using System;
using System.Collections.Generic;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

[Collection(nameof(ProcessStateCollection))]
public sealed class DisposeScopeTests
{
    /// <summary>Lets the finalizer free what earlier tests dropped, so the live count only moves with this test.</summary>

    [Fact]
    public void Tensors_created_in_a_scope_are_disposed_with_it()
    {
        Tensor inside;
        Tensor kept;
        using (var scope = torch.NewDisposeScope())
        {
            inside = torch.ones([2]);
            var sum = inside + inside;
            kept = scope.MoveToOuter(sum * 2);
            Assert.Equal(2, scope.DisposablesCount); // inside and sum; the product moved out
            Assert.Same(scope, inside.OwningDisposeScope);
        }
        Assert.True(inside.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Null(kept.OwningDisposeScope); // no outer scope: detached
        Assert.Equal(new[] { 4f, 4f }, kept.data<float>());
        kept.Dispose();
    }

    [Fact]
    public void Nested_scopes_move_results_outward_one_level()
    {
        using var outer = torch.NewDisposeScope();
        Tensor fromInner;
        using (var inner = torch.NewDisposeScope())
        {
            Assert.Same(outer, inner.OuterScope);
            fromInner = torch.zeros([1]).MoveToOuterDisposeScope();
            Assert.Same(outer, fromInner.OwningDisposeScope);
        }
        Assert.False(fromInner.IsDisposed);
        var created = torch.zeros([1]);
        Assert.Same(outer, created.OwningDisposeScope); // the inner scope is closed: new tensors join the outer one
        outer.Dispose();
        Assert.True(fromInner.IsDisposed);
        Assert.True(created.IsDisposed);
    }

    [Fact]
    public void Detached_tensors_survive_every_scope()
    {
        Tensor detached;
        using (torch.NewDisposeScope())
        {
            using (torch.NewDisposeScope())
            {
                detached = torch.ones([1]).DetachFromDisposeScope();
            }
        }
        Assert.False(detached.IsDisposed);
        detached.Dispose();
    }

    [Fact]
    public void Explicit_dispose_removes_the_tensor_from_its_scope()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.ones([1]);
        t.Dispose();
        Assert.Equal(0, scope.DisposablesCount);
        var a = torch.ones([1]);
        var b = torch.ones([1]);
        scope.DisposeEverythingBut(b);
        Assert.True(a.IsDisposed);
        Assert.False(b.IsDisposed);
        Assert.Equal(1, scope.DisposablesCount);
    }

    [Fact]
    public void Wrapped_scope_keeps_only_the_result()
    {
        var before = ProcessMemory.SettledLiveCount();
        var result = torch.WrappedTensorDisposeScope(() => torch.ones([2]) * 3 + 1);
        Assert.Equal(before + 1, Tensor.LiveCount);
        Assert.Equal(new[] { 4f, 4f }, result.data<float>());
        result.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void A_forward_loop_in_scopes_leaks_no_native_handles()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new AdaptiveAvgPool2d(1));
        model.eval();
        // the tensors stay referenced, so only the scopes (not the finalizer) can have freed them
        var seen = new List<Tensor>();
        long before = ProcessMemory.SettledLiveCount();
        for (int i = 0; i < 50; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([1, 3, 8, 8]);
            var y = model.call(x);
            seen.Add(x);
            seen.Add(y);
        }
        Assert.Equal(before, Tensor.LiveCount);
        Assert.All(seen, t => Assert.True(t.IsDisposed));
    }

    [Fact]
    public void Disposing_a_module_frees_its_tensors()
    {
        long before = ProcessMemory.SettledLiveCount();
        var conv = new Conv2d(3, 4, 3);
        var bn = new BatchNorm2d(4);
        Assert.Equal(before + 2 + 5, Tensor.LiveCount); // weight, bias; weight, bias, running_mean, running_var, num_batches_tracked
        conv.Dispose();
        bn.Dispose();
        bn.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Split_results_join_the_scope()
    {
        long before = ProcessMemory.SettledLiveCount();
        using (torch.NewDisposeScope())
        {
            var parts = torch.arange(0.0, 6.0).chunk(3);
            var (values, indexes) = torch.ones([2, 2]).max(1);
            Assert.Equal(3, parts.Length);
            Assert.False(values.IsDisposed || indexes.IsDisposed);
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Failed_ops_leave_no_handles_behind()
    {
        long before = ProcessMemory.SettledLiveCount();
        using (torch.NewDisposeScope())
        {
            var a = torch.ones([2, 3]);
            for (int i = 0; i < 10; i++) Assert.Throws<TorchException>(() => torch.matmul(a, a));
        }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
