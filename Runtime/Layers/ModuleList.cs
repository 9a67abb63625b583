using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace ArchDsl.Runtime;

/// <summary>An indexed list of children named "0", "1", ...; holds them for registration only (no forward).</summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    public ModuleList(params Module[] modules) : base("ModuleList")
    {
        foreach (var m in modules) append(m);
    }

    public int Count => ChildCount;

    public Module this[int index] => ChildAt(index);

    public ModuleList append(Module module)
    {
        register_module(ChildCount.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    public IEnumerator<Module> GetEnumerator() => children().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
