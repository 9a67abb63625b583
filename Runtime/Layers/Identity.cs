namespace ArchDsl.Runtime;

/// <summary>Returns its input (as a new handle, so the caller owns the result like any other module output).</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    public Identity(string name = "Identity") : base(name) { }

    public override Tensor forward(Tensor input) => input.alias();
}
