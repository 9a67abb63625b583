using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>One observed matrix product: operand and result shapes and its multiply-accumulates
/// (result elements times the contracted size).</summary>
public sealed record MatMulRecord(string Op, long[] A, long[] B, long[] Result, long Macs);

/// <summary>Records the <c>matmul</c>/<c>bmm</c> calls made on this thread while it is open, for MAC
/// accounting next to forward hooks on Conv2d/Linear. Observers nest: every open observer of the
/// thread sees each call. When none is open the ops pay one thread-static read.</summary>
public sealed class OpObserver : IDisposable
{
    [ThreadStatic] private static OpObserver? t_current;

    private readonly OpObserver? _outer;
    private readonly List<MatMulRecord> _matmuls = new();
    private bool _disposed;

    private OpObserver(OpObserver? outer) => _outer = outer;

    public static OpObserver Start() => t_current = new OpObserver(t_current);

    [ThreadStatic] private static int t_suppressed;

    internal static bool IsActive => t_current is not null && t_suppressed == 0;

    /// <summary>Leaves the products computed inside the scope unobserved: work that is not part of the forward pass
    /// (the inference plan's folded weights).</summary>
    internal static SuppressScope Suppress()
    {
        t_suppressed++;
        return new SuppressScope();
    }

    internal readonly struct SuppressScope : IDisposable
    {
        public void Dispose() => t_suppressed--;
    }

    public IReadOnlyList<MatMulRecord> MatMuls => _matmuls;

    public long MatMulMacs
    {
        get
        {
            long total = 0;
            foreach (var m in _matmuls) total += m.Macs;
            return total;
        }
    }

    internal static void Report(string op, Tensor a, Tensor b, Tensor result)
    {
        var aShape = a.shape;
        var resultShape = result.shape;
        long macs = result.numel() * (aShape.Length == 0 ? 1 : aShape[^1]);
        var record = new MatMulRecord(op, aShape, b.shape, resultShape, macs);
        for (var o = t_current; o is not null; o = o._outer)
        {
            if (!o._disposed) o._matmuls.Add(record);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!ReferenceEquals(t_current, this)) return;
        var outer = _outer;
        while (outer is { _disposed: true }) outer = outer._outer;
        t_current = outer;
    }
}
