using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>MAC accounting: matmul/bmm calls seen by an OpObserver, convolutions and linears by forward hooks.</summary>
public sealed class OpObserverTests
{
    [Fact]
    public void Matmuls_are_recorded_with_shapes_and_macs()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.ones([2, 4, 16, 8]);
        var k = torch.ones([2, 4, 8, 16]);
        using var observer = OpObserver.Start();
        torch.matmul(q, k);                                      // 2*4*16*16 outputs, each 8 MACs
        torch.bmm(torch.ones([3, 5, 7]), torch.ones([3, 7, 2])); // 3*5*2 outputs, each 7 MACs
        Assert.Equal(2, observer.MatMuls.Count);
        var first = observer.MatMuls[0];
        Assert.Equal("matmul", first.Op);
        Assert.Equal(new long[] { 2, 4, 16, 8 }, first.A);
        Assert.Equal(new long[] { 2, 4, 8, 16 }, first.B);
        Assert.Equal(new long[] { 2, 4, 16, 16 }, first.Result);
        Assert.Equal(2 * 4 * 16 * 16 * 8, first.Macs);
        Assert.Equal(2 * 4 * 16 * 16 * 8 + 3 * 5 * 2 * 7, observer.MatMulMacs);
    }

    [Fact]
    public void Observers_nest_and_stop_when_disposed()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.ones([2, 3]);
        var b = torch.ones([3, 4]);
        using var outer = OpObserver.Start();
        using (var inner = OpObserver.Start())
        {
            a.matmul(b);
            Assert.Single(inner.MatMuls);
        }
        torch.matmul(a, b);
        Assert.Equal(2, outer.MatMuls.Count);
        outer.Dispose();
        torch.matmul(a, b);
        Assert.Equal(2, outer.MatMuls.Count);
    }

    [Fact]
    public void Hooks_and_observer_together_count_a_forward_pass()
    {
        using var conv = new Conv2d(3, 8, 3, padding: 1, bias: false);
        using var linear = new Linear(8, 4);
        conv.eval();
        long macs = 0;
        using var convHook = conv.register_forward_hook((m, input, output) =>
            macs += output.numel() * conv.in_channels / conv.groups * conv.kernel_size.h * conv.kernel_size.w);
        using var linearHook = linear.register_forward_hook((m, input, output) => macs += output.numel() * linear.in_features);
        using var scope = torch.NewDisposeScope();
        using var observer = OpObserver.Start();
        var features = conv.call(torch.ones([1, 3, 4, 4])).flatten(2).transpose(1, 2); // [1, 16, 8]
        var attention = torch.matmul(features, features.transpose(1, 2));              // [1, 16, 16]
        linear.call(features);
        // conv: 8*4*4 outputs * 3*3*3; linear: 16*4 outputs * 8; matmul: 16*16 outputs * 8
        Assert.Equal(8 * 16 * 27 + 16 * 4 * 8, macs);
        Assert.Equal(16 * 16 * 8, observer.MatMulMacs);
        Assert.Equal(new long[] { 1, 16, 16 }, attention.shape);
    }
}
