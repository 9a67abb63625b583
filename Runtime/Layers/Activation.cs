using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>A parameter-free element-wise activation. Where the generated code declares that nothing else reads its
/// input (<see cref="Module.MayOverwriteInput"/>), the inference plan computes it in place
/// (<see cref="InferenceOptimizations.InPlaceActivations"/>); a forward hook then sees the input overwritten, as with
/// PyTorch's <c>inplace=True</c>.</summary>
public abstract class Activation : Module<Tensor, Tensor>, IPlanned
{
    private protected Activation(string name) : base(name) { }

    /// <summary>The native function.</summary>
    private protected abstract NativeMethods.Unary Function { get; }

    internal bool InputOverwritable { get; set; }

    private bool InPlace => InputOverwritable && !training && optimizations.HasFlag(InferenceOptimizations.InPlaceActivations);

    public string Plan => InPlace ? "in place" : "";

    public sealed override Tensor forward(Tensor input) => InPlace ? input.UnaryInPlace(Function) : input.Unary(Function);
}
