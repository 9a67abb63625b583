using System;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Training;

/// <summary>500 training steps keep no graph and no tensor: the live-tensor count returns to its value before the loop,
/// and the resident set grows by less than 32 MB after a warm-up (as for forward passes, Tests/Models/MemoryTests; one
/// leaked graph per step of this model at batch 16 holds its activations, several MB, which 500 steps would multiply).</summary>
[Collection(nameof(ArchDsl.Tests.Support.ProcessStateCollection))]
public class TrainingMemoryTests
{
    private readonly ITestOutputHelper _output;

    public TrainingMemoryTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Five_hundred_training_steps_leave_memory_flat()
    {
        torch.manual_seed(0);
        using var model = new ArchDsl.Architectures.CasViT.FashionMnist();
        model.train();
        using var optimizer = new AdamW(ParamGroup.NoDecayOnNormsAndBiases(model, 1e-3, 0.05));
        using var input = torch.randn([16, 3, 28, 28], seed: 1);
        using var labels = torch.tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 10)).ToArray());
        void Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(input), labels).backward();
            GradientClipping.clip_grad_norm_(model.parameters(), 5.0);
            optimizer.step();
        }
        for (int i = 0; i < 20; i++) Step();

        long tensorsBefore = ProcessMemory.SettledLiveCount();
        long rssBefore = ProcessMemory.ResidentBytes();
        for (int i = 0; i < 500; i++) Step();
        long rssAfter = ProcessMemory.ResidentBytes();
        long tensorsAfter = ProcessMemory.SettledLiveCount();

        _output.WriteLine($"RSS before {rssBefore / 1e6:F1} MB, after 500 steps {rssAfter / 1e6:F1} MB " +
                          $"(+{(rssAfter - rssBefore) / 1e6:F1} MB); live tensors {tensorsBefore} → {tensorsAfter}");
        Assert.Equal(tensorsBefore, tensorsAfter);
        Assert.True(rssAfter - rssBefore < 32_000_000, $"RSS grew by {(rssAfter - rssBefore) / 1e6:F1} MB");
    }
}
