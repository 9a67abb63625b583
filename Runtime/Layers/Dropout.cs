using System;

namespace ArchDsl.Runtime;

/// <summary>Zeroes elements with probability p in training mode; identity (a new handle) in eval mode.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    public Dropout(double p = 0.5, string name = "Dropout") : base(name)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        this.p = p;
    }

    public double p { get; }

    public override Tensor forward(Tensor input) => training && p > 0 ? F.dropout(input, p, true) : input.alias();
}
