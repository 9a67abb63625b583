namespace ArchDsl.Runtime;

/// <summary>min(max(x, 0), 6).</summary>
public sealed class ReLU6 : Module<Tensor, Tensor>
{
    public ReLU6(string name = "ReLU6") : base(name) { }

    public override Tensor forward(Tensor input) => F.relu6(input);
}
