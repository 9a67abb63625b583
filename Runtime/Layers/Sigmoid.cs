namespace ArchDsl.Runtime;

/// <summary>1 / (1 + exp(-x)).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    public Sigmoid(string name = "Sigmoid") : base(name) { }

    public override Tensor forward(Tensor input) => F.sigmoid(input);
}
