using System;
using System.CommandLine;
using System.Globalization;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>Trains a zoo model on Fashion-MNIST (Trainer's recipe) with a progress bar, the test accuracy after every
/// epoch, a checkpoint after every epoch and resumption from it.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Family.Variant", DefaultValueFactory = _ => "CasViT.FashionMnist" };
        var epochs = new Option<int>("--epochs", "-e") { Description = "epochs", DefaultValueFactory = _ => new TrainingOptions().epochs };
        var batch = new Option<int>("--batch", "-b") { Description = "batch size", DefaultValueFactory = _ => new TrainingOptions().batch_size };
        var lr = new Option<double>("--lr") { Description = "peak learning rate (AdamW)", DefaultValueFactory = _ => new TrainingOptions().lr };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop after this many steps" };
        var evalLimit = new Option<int?>("--eval-limit") { Description = "test images evaluated per epoch (default: all 10,000)" };
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "directory for a checkpoint per epoch; resumes from one found there" };
        var threads = new Option<int>("--threads", "-t") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { Description = "seed of the batch order, augmentation and initial weights" };
        var data = new Option<string>("--data") { Description = "directory of the gzipped IDX files", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var command = new Command("train", "train a model on Fashion-MNIST (dataset-fashion-mnist) and report the test accuracy per epoch")
        {
            model, epochs, batch, lr, maxSteps, evalLimit, checkpoint, threads, seed, data,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, new TrainingOptions
        {
            epochs = parse.GetValue(epochs),
            batch_size = parse.GetValue(batch),
            lr = parse.GetValue(lr),
            max_steps = parse.GetValue(maxSteps),
            eval_limit = parse.GetValue(evalLimit),
            checkpoint_directory = parse.GetValue(checkpoint),
            seed = parse.GetValue(seed),
        }, parse.GetValue(threads), parse.GetValue(data)!));
        return command;
    }

    private static int Run(string name, TrainingOptions options, int threads, string directory)
    {
        if (Zoo.Model(name) is not { } found) return 1;
        var (family, variant) = found;
        torch.set_num_threads(threads);
        torch.manual_seed(options.seed);
        using var model = family.Create(variant);
        var train = FashionMnist.Load("train", directory);
        var test = FashionMnist.Load("test", directory);
        Console.WriteLine($"{model.Analysis.FullName}: {model.ParameterCount():N0} parameters; Fashion-MNIST {train.Count:N0} train / {test.Count:N0} test " +
                          $"images at {train.height}×{train.width}; batch {options.batch_size}, {threads} thread(s)");
        if (options.checkpoint_directory is { } dir && Checkpoint.Exists(dir)) Console.WriteLine($"resuming from {dir}");
        using var trainer = new Trainer(model, options);
        trainer.Fit(train, test, Progress, epoch =>
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch.epoch + 1}: train loss {epoch.train_loss:F4}, test accuracy {100 * epoch.test_accuracy:F2}%, {epoch.elapsed.TotalSeconds:F0} s"));
        });
        return 0;
    }

    private static void Progress(StepReport step)
    {
        const int width = 30;
        int filled = (int)((long)width * step.batch / step.batches);
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"\repoch {step.epoch + 1} [{new string('#', filled)}{new string('.', width - filled)}] {step.batch}/{step.batches} loss {step.loss:F4} {step.images_per_second:F0} img/s"));
    }
}
