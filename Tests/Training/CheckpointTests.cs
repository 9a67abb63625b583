using System;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Training;

/// <summary>A run saved after two AdamW steps and resumed in a new model and optimizer ends where an uninterrupted run
/// ends (the Adam moments and step counts travel in optimizer.safetensors).</summary>
public class CheckpointTests
{
    private static ArchModule NewModel()
    {
        var model = new ArchDsl.Architectures.CasViT.TinyATrain();
        model.load_safetensors(Path.Combine(Repository.Golden, "casvit_tiny_a_train.weights.safetensors"));
        model.train();
        return model;
    }

    private static void Steps(ArchModule model, Optimizer optimizer, int from, int to)
    {
        for (int step = from; step < to; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(torch.randn([4, 3, 32, 32], seed: step)), torch.tensor([0L, 1L, 2L, 3L])).backward();
            optimizer.step();
        }
    }

    [Fact]
    public void A_resumed_run_ends_where_an_uninterrupted_one_ends()
    {
        using var straight = NewModel();
        using (var optimizer = new AdamW(ParamGroup.NoDecayOnNormsAndBiases(straight, 1e-3, 0.05))) Steps(straight, optimizer, 0, 4);

        var directory = Path.Combine(Path.GetTempPath(), "archdsl-checkpoint-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = NewModel())
            using (var optimizer = new AdamW(ParamGroup.NoDecayOnNormsAndBiases(first, 1e-3, 0.05)))
            {
                Steps(first, optimizer, 0, 2);
                Checkpoint.Save(directory, first, optimizer, new TrainingProgress(epoch: 0, step: 2));
            }
            using var resumed = new ArchDsl.Architectures.CasViT.TinyATrain();
            using var resumedOptimizer = new AdamW(ParamGroup.NoDecayOnNormsAndBiases(resumed, 1e-3, 0.05));
            var progress = Checkpoint.Load(directory, resumed, resumedOptimizer);
            Assert.Equal(new TrainingProgress(0, 2), progress);
            Assert.Equal(3 * resumed.parameters().Count(), resumedOptimizer.state_dict().Count);   // step, exp_avg, exp_avg_sq
            resumed.train();
            Steps(resumed, resumedOptimizer, 2, 4);

            var expected = straight.state_dict();
            foreach (var (key, value) in resumed.state_dict())
                Assert.True(torch.max_abs_diff(value, expected[key]) == 0, $"{key} differs after resuming");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
