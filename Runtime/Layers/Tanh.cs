namespace ArchDsl.Runtime;

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    public Tanh(string name = "Tanh") : base(name) { }

    public override Tensor forward(Tensor input) => F.tanh(input);
}
