namespace ArchDsl.Runtime;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    public ReLU(string name = "ReLU") : base(name) { }

    public override Tensor forward(Tensor input) => F.relu(input);
}
