using System;

namespace ArchDsl.Runtime;

/// <summary>y = x W^T + b over the last dimension; weight [out_features, in_features], bias [out_features].</summary>
public sealed class Linear : Module<Tensor, Tensor>, IPlanned
{
    public Linear(long in_features, long out_features, bool bias = true, string name = "Linear") : base(name)
    {
        if (in_features <= 0 || out_features <= 0) throw new ArgumentException($"{name}: in_features and out_features must be positive");
        this.in_features = in_features;
        this.out_features = out_features;
        double bound = 1.0 / Math.Sqrt(in_features);
        weight = Init.Uniform([out_features, in_features], bound);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_features], bound);
            register_parameter("bias", this.bias);
        }
    }

    public long in_features { get; }
    public long out_features { get; }
    public Tensor weight { get; }
    public Tensor? bias { get; }

    public string Plan => !Planned(this) ? "" : FusedActivation is { } a ? $"oneDNN matmul, {a.GetType().Name} applied" : "oneDNN matmul";

    /// <summary>The activation of this layer's output, when the generated code declared it the only reader.</summary>
    internal Activation? Activation { get; set; }

    /// <summary>The activation this layer applies in its matmul under the current plan, or null.</summary>
    internal Activation? FusedActivation =>
        Activation is { AppliesInMatmul: true } a && Planned(this) && optimizations.HasFlag(InferenceOptimizations.FuseActivations) ? a : null;

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.LastDim(input, in_features, name);
        return FusedActivation is { } activation
            ? F.linear_onednn(input, weight, bias, activation)
            : Product(this, input, weight, bias);
    }

    /// <summary>input @ weight^T + bias as <paramref name="owner"/>'s inference plan says: through oneDNN's matmul in
    /// eval mode with <see cref="InferenceOptimizations.OneDnnLinear"/>, else as written (always in training).</summary>
    internal static Tensor Product(Module owner, Tensor input, Tensor weight, Tensor? bias) =>
        Planned(owner) ? F.linear_onednn(input, weight, bias) : F.linear(input, weight, bias);

    private static bool Planned(Module owner) => !owner.training && owner.optimizations.HasFlag(InferenceOptimizations.OneDnnLinear);
}
