using System;
using System.Collections.Generic;
using System.Diagnostics;
using ArchDsl.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Training;

/// <summary>The short version of README's Fashion-MNIST run: 300 steps of batch 64 (a third of an epoch) with the
/// default recipe, then the accuracy on the first 2,000 test images.</summary>
public class FashionMnistTrainingTests
{
    private readonly ITestOutputHelper _output;

    public FashionMnistTrainingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Three_hundred_steps_lower_the_loss_and_beat_chance_by_far()
    {
        var train = FashionMnist.Load("train");
        var test = FashionMnist.Load("test");
        Assert.Equal((60_000, 10_000, 28, 28), (train.Count, test.Count, train.height, train.width));   // the dataset's paper, Table 1

        torch.manual_seed(0);
        using var model = new ArchDsl.Architectures.CasViT.FashionMnist();
        using var trainer = new Trainer(model, new TrainingOptions { epochs = 1, batch_size = 64, max_steps = 300, warmup_steps = 30, eval_limit = 2000 });
        var running = new List<double>();   // the epoch's running mean loss after each step
        var clock = Stopwatch.StartNew();
        var epochs = trainer.Fit(train, test, step => running.Add(step.loss));

        double first = running[49];                                // mean of steps 1–50
        double last = (300 * running[299] - 250 * running[249]) / 50;   // mean of steps 251–300
        double accuracy = epochs[0].test_accuracy;
        _output.WriteLine($"loss {first:F3} (steps 1–50) → {last:F3} (steps 251–300); test accuracy {accuracy:P1}; {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(300, running.Count);
        // measured on this recipe: 1.49 → 0.98 (× 0.65) and 80.7 %; chance is 10 % (a loss of ln 10 = 2.30)
        Assert.True(last < 0.8 * first, $"the loss fell only from {first:F3} to {last:F3}");
        Assert.True(accuracy > 0.5, $"test accuracy {accuracy:P1} after 300 steps");
    }
}
