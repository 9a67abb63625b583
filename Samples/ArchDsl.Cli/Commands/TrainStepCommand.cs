using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>Times one training step (train-mode forward, cross-entropy, backward, SGD with momentum) on random images:
/// warm-up steps, then the median of timed ones. bench/train_step_pytorch.py runs the same step in PyTorch beside it.</summary>
internal static class TrainStepCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Family.Variant", DefaultValueFactory = _ => "CasViT.XS" };
        var batch = new Option<int>("--batch", "-b") { Description = "batch size", DefaultValueFactory = _ => 32 };
        var size = new Option<int?>("--size", "-s") { Description = "input height and width (default: the declared resolution)" };
        var steps = new Option<int>("--steps", "-n") { Description = "timed steps (median reported)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads", "-t") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("train-step", "median time of one training step (forward, cross-entropy, backward, SGD)") { model, batch, size, steps, threads };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(batch), parse.GetValue(size), parse.GetValue(steps), parse.GetValue(threads)));
        return command;
    }

    private static int Run(string name, int batch, int? size, int steps, int threads)
    {
        if (Zoo.Model(name) is not { } found) return 1;
        var (family, variant) = found;
        torch.set_num_threads(threads);
        using var model = family.Create(variant);
        model.train();
        int side = size ?? model.Analysis.Trace.Height;
        using var optimizer = new SGD(ParamGroup.All(model, lr: 0.01, weight_decay: 0), momentum: 0.9);
        using var images = torch.randn([batch, model.Analysis.Resolved.InChannels, side, side], seed: 0);
        // the labels' values do not change the work; every classifier has at least two classes
        using var labels = torch.tensor(Enumerable.Range(0, batch).Select(i => (long)(i % 2)).ToArray());
        double ms = Timing.Median(steps, warmup: 2, () =>
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(images), labels).backward();
            optimizer.step();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Analysis.FullName} batch {batch} at {side}²: {ms:F0} ms per training step (median of {steps}, {threads} thread(s))"));
        return 0;
    }
}
