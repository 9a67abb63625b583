using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>A parameter-free element-wise activation. Where the generated code declares that nothing else reads its
/// input (<see cref="Module.MayOverwriteInput"/>), the inference plan computes it in place
/// (<see cref="InferenceOptimizations.InPlaceActivations"/>); a forward hook then sees the input overwritten, as with
/// PyTorch's <c>inplace=True</c>. Where it declares that the activation alone reads a linear layer's output
/// (<see cref="Module.FuseActivation"/>), the plan applies it in that layer's matmul
/// (<see cref="InferenceOptimizations.FuseActivations"/>) and this module passes its input through.</summary>
public abstract class Activation : Module<Tensor, Tensor>, IPlanned
{
    private protected Activation(string name) : base(name) { }

    /// <summary>The native function.</summary>
    private protected abstract NativeMethods.Unary Function { get; }

    internal NativeMethods.Unary Op => Function;

    /// <summary>Whether oneDNN's matmul can apply this activation as a post-op (the shim's archdsl_linear_onednn maps
    /// each of these functions to a oneDNN eltwise algorithm; oneDNN 2.6 has no hard sigmoid).</summary>
    public bool AppliesInMatmul => Function is NativeMethods.Unary.Gelu or NativeMethods.Unary.GeluTanh or NativeMethods.Unary.Relu
        or NativeMethods.Unary.Relu6 or NativeMethods.Unary.Silu or NativeMethods.Unary.Sigmoid or NativeMethods.Unary.Tanh
        or NativeMethods.Unary.Hardswish;

    internal bool InputOverwritable { get; set; }

    /// <summary>The linear layer before this activation, when the generated code declared it the only reader of that
    /// layer's output.</summary>
    internal Linear? AppliedBy { get; set; }

    private bool Applied => AppliedBy?.FusedActivation == this;

    private bool InPlace => InputOverwritable && !training && optimizations.HasFlag(InferenceOptimizations.InPlaceActivations);

    public string Plan => Applied ? "applied by the linear layer" : InPlace ? "in place" : "";

    public sealed override Tensor forward(Tensor input) =>
        Applied ? input.alias() : InPlace ? input.UnaryInPlace(Function) : input.Unary(Function);
}
