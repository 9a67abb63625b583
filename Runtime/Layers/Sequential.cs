using System;
using System.Globalization;

namespace ArchDsl.Runtime;

/// <summary>Children "0", "1", ... called in order, each through <c>call</c> (hooks run); the intermediate
/// results are disposed, the input is left to the caller.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    public Sequential(params Module<Tensor, Tensor>[] modules) : base("Sequential")
    {
        foreach (var m in modules) append(m);
    }

    public int Count => ChildCount;

    public Module<Tensor, Tensor> this[int index] => (Module<Tensor, Tensor>)ChildAt(index);

    public Sequential append(Module<Tensor, Tensor> module)
    {
        register_module(ChildCount.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    public override Tensor forward(Tensor input)
    {
        if (Count == 0) return input.alias();
        var x = this[0].call(input);
        for (int i = 1; i < Count; i++)
        {
            var next = this[i].call(x);
            if (!ReferenceEquals(next, x)) x.Dispose();
            x = next;
        }
        return x;
    }
}
