using System.Collections.Generic;
using ArchDsl.Dsl.Blocks;

namespace ArchDsl.Dsl.Graph
{
    /// <summary>
    /// A network or one use of a block written in YAML, expanded: every <c>when</c>, <c>repeat</c>, parameter and name
    /// evaluated, combinators turned into plain operations (a residual is its body, its shortcut and an add), and the
    /// operations in order over numbered values (the inputs first). Its structure does not depend on the input size
    /// (expressions never see H or W), so one expansion is traced at any resolution and emitted as straight-line code.
    /// </summary>
    public sealed class Instance
    {
        private static int s_next;

        public Instance(BlockDefinition? definition, BlockArgs args, int inputs)
        {
            Id = System.Threading.Interlocked.Increment(ref s_next);
            Definition = definition;
            Args = args;
            InputCount = inputs;
            ValueCount = inputs;
        }

        /// <summary>Unique in the process (a key for caches of traces).</summary>
        public int Id { get; }

        /// <summary>The block, or null for a whole network.</summary>
        public BlockDefinition? Definition { get; }
        public BlockArgs Args { get; }
        public int InputCount { get; }
        public List<Node> Nodes { get; } = new List<Node>();
        public int ValueCount { get; private set; }
        public int[] Outputs { get; internal set; } = System.Array.Empty<int>();

        /// <summary>The operations one use of this instance runs, every use of a block inside it counted (its size unrolled).</summary>
        public long Operations { get; internal set; }

        /// <summary>For a network: the value that ends each stage (what ForwardFeatures returns), by stage index.</summary>
        public List<int> StageValues { get; } = new List<int>();

        internal int NewValue() => ValueCount++;
    }
}
