namespace ArchDsl.Runtime;

/// <summary>relu6(x + 3) / 6.</summary>
public sealed class Hardsigmoid : Module<Tensor, Tensor>
{
    public Hardsigmoid(string name = "Hardsigmoid") : base(name) { }

    public override Tensor forward(Tensor input) => F.hardsigmoid(input);
}
