using System;

namespace ArchDsl.Runtime;

/// <summary>
/// Stochastic depth (torchvision's StochasticDepth; timm's DropPath is mode "row"): in training mode with p &gt; 0 the
/// input is multiplied by a Bernoulli(1 − p) mask divided by 1 − p, one draw per sample ("row", mask [B, 1, 1, …]) or
/// one for the whole batch ("batch", mask [1, 1, …]); otherwise the input is returned (as a new handle). The mask comes
/// from libtorch's default generator exactly as torchvision draws it, so torch.manual_seed reproduces PyTorch's masks.
/// Recorded as one <c>dropout</c> op.
/// </summary>
public sealed class DropPath : Module<Tensor, Tensor>
{
    public DropPath(double p, string mode = "row", string name = "DropPath") : base(name)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "drop probability must be in [0, 1]");
        if (mode is not ("row" or "batch")) throw new ArgumentException($"mode must be \"row\" or \"batch\", got \"{mode}\"", nameof(mode));
        this.p = p;
        this.mode = mode;
    }

    public double p { get; }
    public string mode { get; }

    public override Tensor forward(Tensor input)
    {
        if (!training || p == 0) return input.alias();
        var s = input.Shape;
        if (s.Length == 0) throw new ShapeMismatchException(name, "[B, ...]", ShapeCheck.Format(s));
        var size = new long[s.Length];
        Array.Fill(size, 1L);
        if (mode == "row") size[0] = s[0];
        Tensor result;
        using (OpRecorder.Suppress())
        {
            using var scope = torch.NewDisposeScope();
            // at::dropout of ones draws empty(size).bernoulli_(1 - p) and divides by 1 - p (leaving zeros when p = 1):
            // torchvision's noise, from the same generator state
            var noise = F.dropout(torch.ones(size, input.dtype), p, training: true);
            result = scope.MoveToOuter(input * noise);
        }
        if (OpRecorder.IsActive) OpRecorder.Record("dropout", result, $"p={OpRecorder.Number(p)}, mode={mode}", input);
        return result;
    }
}
