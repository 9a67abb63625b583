using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>One optimizer step's report: the epoch (0-based), the batch within it, the running mean loss of the epoch
/// and the throughput of the epoch so far.</summary>
public sealed record StepReport(int epoch, int batch, int batches, double loss, double images_per_second);

/// <summary>One epoch's result: mean training loss, test accuracy (0–1) and the wall time since the run started.</summary>
public sealed record EpochReport(int epoch, double train_loss, double test_accuracy, TimeSpan elapsed);

/// <summary>
/// Trains a generated model on an image classification set (<see cref="FashionMnist"/>) with the recipe of
/// <see cref="TrainingOptions"/>: shuffled augmented batches, AdamW on timm's parameter groups (parameters frozen with
/// <see cref="Module.requires_grad_"/> are left out), a cosine schedule with warm-up, gradient clipping, evaluation on
/// the test split after every epoch, a checkpoint after every epoch and resumption from one.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ArchModule _model;
    private readonly TrainingOptions _options;
    private readonly AdamW _optimizer;

    public Trainer(ArchModule model, TrainingOptions options)
    {
        _model = model;
        _options = options;
        _optimizer = new AdamW(ParamGroup.NoDecayOnNormsAndBiases(model, options.lr, options.weight_decay));
    }

    public Optimizer optimizer => _optimizer;

    public IReadOnlyList<EpochReport> Fit(FashionMnist train, FashionMnist test, Action<StepReport>? onStep = null, Action<EpochReport>? onEpoch = null)
    {
        var batches = new ImageBatches(train, _options.batch_size, _model.Analysis.Resolved.InChannels);
        long totalSteps = (long)_options.epochs * batches.TrainBatchesPerEpoch;
        if (_options.max_steps is long limit) totalSteps = Math.Min(totalSteps, limit);
        var schedule = new CosineSchedule(totalSteps, Math.Min(_options.warmup_steps, totalSteps - 1));
        var progress = new TrainingProgress(0, 0);
        if (_options.checkpoint_directory is { } directory && Checkpoint.Exists(directory))
            progress = Checkpoint.Load(directory, _model, _optimizer);
        torch.manual_seed(_options.seed + progress.epoch);

        var reports = new List<EpochReport>();
        var clock = Stopwatch.StartNew();
        long step = progress.step;
        for (int epoch = progress.epoch; epoch < _options.epochs && step < totalSteps; epoch++)
        {
            _model.train();
            var epochClock = Stopwatch.StartNew();
            double lossSum = 0;
            int batch = 0;
            foreach (var (images, labels) in batches.Train(_options.seed, epoch))
            {
                using var scope = torch.NewDisposeScope();
                scope.Attach(images);
                scope.Attach(labels);
                lossSum += Step(images, labels, schedule, step++);
                batch++;
                onStep?.Invoke(new StepReport(epoch, batch, batches.TrainBatchesPerEpoch, lossSum / batch,
                    batch * (double)_options.batch_size / epochClock.Elapsed.TotalSeconds));
                if (step >= totalSteps) break;
            }
            var report = new EpochReport(epoch, lossSum / Math.Max(batch, 1), Evaluate(test, _options.eval_limit), clock.Elapsed);
            reports.Add(report);
            if (_options.checkpoint_directory is { } dir) Checkpoint.Save(dir, _model, _optimizer, new TrainingProgress(epoch + 1, step));
            onEpoch?.Invoke(report);
        }
        return reports;
    }

    /// <summary>One optimizer step on a batch; returns its loss.</summary>
    public double Step(Tensor images, Tensor labels, LrSchedule schedule, long step)
    {
        schedule.Apply(_optimizer, step);
        _optimizer.zero_grad();
        using var logits = _model.call(images);
        using var loss = F.cross_entropy(logits, labels, _options.label_smoothing);
        loss.backward();
        if (_options.clip_grad_norm is double maxNorm) GradientClipping.clip_grad_norm_(_model.parameters(), maxNorm);
        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Top-1 accuracy (0–1) in eval mode on the first <paramref name="limit"/> images of <paramref name="test"/>.</summary>
    public double Evaluate(FashionMnist test, int? limit = null)
    {
        bool wasTraining = _model.training;
        _model.eval();
        long correct = 0, seen = 0;
        foreach (var (images, labels) in new ImageBatches(test, 256, _model.Analysis.Resolved.InChannels).Evaluation(limit))
        {
            using var scope = torch.NewDisposeScope();
            scope.Attach(images);
            scope.Attach(labels);
            correct += _model.call(images).argmax(1).eq(labels).sum().item<long>();
            seen += labels.numel();
        }
        _model.train(wasTraining);
        return seen == 0 ? 0 : correct / (double)seen;
    }

    public void Dispose() => _optimizer.Dispose();
}
