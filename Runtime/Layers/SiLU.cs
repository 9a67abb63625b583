namespace ArchDsl.Runtime;

/// <summary>x * sigmoid(x) (swish).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    public SiLU(string name = "SiLU") : base(name) { }

    public override Tensor forward(Tensor input) => F.silu(input);
}
