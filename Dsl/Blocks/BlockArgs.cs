using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>The evaluated parameters of one row, checked against its kind's declarations.</summary>
    public sealed record BlockArgs(EquatableArray<BlockArg> Items)
    {
        public Value Get(string name)
        {
            for (int i = 0; i < Items.Count; i++)
            {
                if (Items[i].Name == name) return Items[i].Value;
            }
            throw new InvalidOperationException($"block parameter '{name}' was not resolved");
        }

        public bool Has(string name) => Items.Any(a => a.Name == name);

        public int Int(string name) => checked((int)Math.Round(Get(name).Number));
        public double Number(string name) => Get(name).Number;
        public bool Bool(string name) => Get(name).Bool;
        public string Text(string name) => Get(name).Text;

        public override string ToString() => string.Join(", ", Items.Select(a => $"{a.Name}: {a.Value}"));
    }

    /// <param name="Provenance">Where the value comes from when the file says so (paper, code, inferred…).</param>
    public sealed record BlockArg(string Name, Value Value, string? Provenance);
}
