using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Graph
{
    /// <summary>One operation of an <see cref="Instance"/>: a C# kind with its evaluated arguments, or a nested block
    /// instance, reading and writing values of the instance by index.</summary>
    public sealed class Node
    {
        public Node(IKind kind, BlockArgs args, string path, bool registered, int[] inputs, SourceSpan span, string origin)
        {
            Kind = kind;
            Args = args;
            Path = path;
            Registered = registered;
            Inputs = inputs;
            Span = span;
            Origin = origin;
        }

        public IKind Kind { get; }

        /// <summary>The evaluated parameters (of a block: every parameter, defaults included).</summary>
        public BlockArgs Args { get; internal set; }

        /// <summary>The module path relative to the instance: a state_dict prefix, the key of a tensor owner
        /// (<see cref="BlockKind.OwnsTensor"/>), or "" for a block whose parts join the instance's own.</summary>
        public string Path { get; }

        /// <summary>Whether the runtime module takes its place in the module tree (named, or numbered like
        /// nn.Sequential); an unnamed parameter-free module is called, not registered.</summary>
        public bool Registered { get; internal set; }

        public int[] Inputs { get; }
        public int[] Outputs { get; internal set; } = System.Array.Empty<int>();

        /// <summary>The nested instance of a block written in YAML.</summary>
        public Instance? Child { get; internal set; }

        /// <summary>Learnable parameters of the node as built at the declared resolution.</summary>
        public long Parameters { get; internal set; }

        /// <summary>The input shapes at the declared resolution, which the runtime module is built for.</summary>
        public Shapes.Shape[] DeclaredInputs { get; internal set; } = System.Array.Empty<Shapes.Shape>();

        /// <summary>Per-convention counts that replace the conventions' rules for this node's operations (a counter's
        /// documented deviation, from the row's <c>counts:</c>).</summary>
        public System.Collections.Generic.IReadOnlyList<(string Convention, Costs.CountRule Rule)> Counts { get; internal set; } =
            System.Array.Empty<(string, Costs.CountRule)>();

        /// <summary>Where the row is written, and in which file ("" for the family file).</summary>
        public SourceSpan Span { get; }
        public string Origin { get; }

        /// <summary>For a row of a family's stem, stages or head: the section's name (for messages).</summary>
        public string? Section { get; internal set; }

        /// <summary>The C# kind, or null for a block instance.</summary>
        public BlockKind? Op => Kind as BlockKind;

        /// <summary>The tracer scope of the node, the module its operations run in: its own when registered; a tensor
        /// owner describes its tensor at the enclosing module; a module that is only called runs in its caller's.</summary>
        internal string TraceScope => Op is { OwnsTensor: true } || !Registered ? OwnerScope : Path;

        /// <summary>The scope of the node while it is expanded (before it is known whether it registers): its own path,
        /// for messages.</summary>
        internal string ExpansionScope => Op is { OwnsTensor: true } ? OwnerScope : Path;

        private string OwnerScope => Op is { OwnsTensor: true } && Path.Contains(".") ? Path.Substring(0, Path.LastIndexOf('.')) : "";

        public override string ToString() => $"{(Path.Length > 0 ? Path : "(unnamed)")}: {Kind.Name}";
    }
}
