using System;

namespace ArchDsl.Runtime;

/// <summary>Batch normalisation over (N, C, H, W). Keys in PyTorch's order: weight, bias, running_mean,
/// running_var, num_batches_tracked (int64 scalar). Eval normalises with the running statistics; training
/// uses the batch statistics and updates the running ones.</summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>, IPlanned
{
    public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true,
        bool track_running_stats = true, string name = "BatchNorm2d") : base(name)
    {
        if (num_features <= 0) throw new ArgumentException($"{name}: num_features must be positive");
        this.num_features = num_features;
        this.eps = eps;
        this.momentum = momentum;
        if (affine)
        {
            weight = torch.ones([num_features]);
            bias = torch.zeros([num_features]);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
        if (track_running_stats)
        {
            running_mean = torch.zeros([num_features]);
            running_var = torch.ones([num_features]);
            num_batches_tracked = torch.zeros([], ScalarType.Int64);
            register_buffer("running_mean", running_mean);
            register_buffer("running_var", running_var);
            register_buffer("num_batches_tracked", num_batches_tracked);
        }
    }

    public long num_features { get; }
    public double eps { get; }
    public double momentum { get; }
    public Tensor? weight { get; }
    public Tensor? bias { get; }
    public Tensor? running_mean { get; }
    public Tensor? running_var { get; }
    public Tensor? num_batches_tracked { get; }

    /// <summary>The convolution this BatchNorm is folded into by the inference plan (eval mode only): it then passes its
    /// input through.</summary>
    internal Conv2d? FoldedInto { get; set; }

    public string Plan => FoldedInto is null ? "" : "folded into a convolution";

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.NCHW(input, num_features, name);
        if (FoldedInto is not null && !training) return input.alias();
        bool useBatchStats = training || running_mean is null;
        if (training && num_batches_tracked is not null)
        {
            using var next = num_batches_tracked + 1L;
            num_batches_tracked.copy_(next);
        }
        return F.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, momentum, eps);
    }
}
