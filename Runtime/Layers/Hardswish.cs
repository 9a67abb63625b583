namespace ArchDsl.Runtime;

/// <summary>x * relu6(x + 3) / 6.</summary>
public sealed class Hardswish : Module<Tensor, Tensor>
{
    public Hardswish(string name = "Hardswish") : base(name) { }

    public override Tensor forward(Tensor input) => F.hardswish(input);
}
