using System;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

[Collection(nameof(ProcessStateCollection))]
public class MemoryTests
{
    private readonly ITestOutputHelper _output;

    public MemoryTests(ITestOutputHelper output) => _output = output;

    /// <summary>1,000 forward passes of CAS-ViT-XS at batch 1 free every native tensor: the live-tensor count returns
    /// to its value before the loop, and the resident set grows by less than 32 MB after a warm-up
    /// (allocator caches and the JIT settle within the warm-up; a leak of one 224² activation per pass would be
    /// over 600 MB).</summary>
    [Fact]
    public void A_thousand_forward_passes_leak_no_native_tensor()
    {
        using var model = CasViT.Create("XS");
        model.eval();
        using var input = torch.randn([1, 3, 224, 224], seed: 3);
        using var guard = torch.no_grad();
        for (int i = 0; i < 20; i++) model.call(input).Dispose();

        // tensors other tests dropped without disposing are freed by the finalizer; settle that first, so the
        // count only moves with this loop
        long tensorsBefore = ProcessMemory.SettledLiveCount();
        long rssBefore = ProcessMemory.ResidentBytes();
        for (int i = 0; i < 1000; i++)
            model.call(input).Dispose();
        long rssAfter = ProcessMemory.ResidentBytes();

        long tensorsAfter = ProcessMemory.SettledLiveCount();

        _output.WriteLine($"RSS before {rssBefore / 1e6:F1} MB, after 1,000 passes {rssAfter / 1e6:F1} MB " +
                          $"(+{(rssAfter - rssBefore) / 1e6:F1} MB); live tensors {tensorsBefore} → {tensorsAfter}");
        Assert.Equal(tensorsBefore, tensorsAfter);
        Assert.True(rssAfter - rssBefore < 32_000_000, $"RSS grew by {(rssAfter - rssBefore) / 1e6:F1} MB");
    }

    /// <summary>Issue 11: a service fed many input sizes must stay flat. Each input size a model has not seen creates
    /// new oneDNN primitives (27 for CAS-ViT-XS at 64², counted with DNNL_VERBOSE=2), each holding a JIT-compiled
    /// kernel whose size grows with the input's width, in oneDNN's process-wide cache; oneDNN's default bound is 1024
    /// entries. The runtime bounds it to 256 (NativeRuntime.DefaultPrimitiveCacheCapacity). After one pass at the
    /// largest size, 99 passes at ascending sizes (the worst order: every pass needs more than any before) grew the
    /// resident set, measured on the 2-core machine, by 53 MB with the bound and by 157 MB with oneDNN's default
    /// (ONEDNN_PRIMITIVE_CACHE_CAPACITY=1024), still rising; with no cache at all (capacity 0, every primitive
    /// re-created, 2.8× slower) it grew by ~15 MB, the heap's own share of the varied activation sizes.</summary>
    [Fact]
    public void Forward_passes_over_many_input_sizes_keep_the_resident_set_bounded()
    {
        using var model = CasViT.Create("XS");
        model.eval();
        using var guard = torch.no_grad();
        int[] sizes = Enumerable.Range(0, 100).Select(i => 64 + 2 * i).ToArray(); // 64 … 262
        Forward(sizes[^1]);

        long rssBefore = ProcessMemory.ResidentBytes();
        foreach (int size in sizes[..^1]) Forward(size);
        long rssAfter = ProcessMemory.ResidentBytes();

        _output.WriteLine($"RSS after one pass at {sizes[^1]}² {rssBefore / 1e6:F1} MB, after {sizes.Length - 1} more sizes " +
                          $"{rssAfter / 1e6:F1} MB (+{(rssAfter - rssBefore) / 1e6:F1} MB)");
        Assert.True(rssAfter - rssBefore < 80_000_000, $"RSS grew by {(rssAfter - rssBefore) / 1e6:F1} MB over {sizes.Length - 1} input sizes");

        void Forward(int size)
        {
            using var input = torch.randn([1, 3, size, size], seed: size);
            model.call(input).Dispose();
        }
    }
}
