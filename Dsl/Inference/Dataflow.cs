using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Graph;

namespace ArchDsl.Dsl.Inference
{
    /// <summary>
    /// Who reads and who makes each value of an instance, for the inference plan's rewrites: a value may be changed or
    /// never materialised only when one operation reads it and the caller does not see it (not the instance's output,
    /// not a stage's feature map).
    /// </summary>
    public sealed class Dataflow
    {
        private readonly Dictionary<int, List<Node>> _readers = new Dictionary<int, List<Node>>();
        private readonly Dictionary<int, Node> _producers = new Dictionary<int, Node>();
        private readonly HashSet<int> _visible;

        public Dataflow(Instance instance)
        {
            foreach (var node in instance.Nodes)
            {
                foreach (int v in node.Inputs)
                {
                    if (!_readers.TryGetValue(v, out var list)) _readers[v] = list = new List<Node>();
                    list.Add(node);
                }
                foreach (int v in node.Outputs) _producers[v] = node;
            }
            _visible = new HashSet<int>(instance.Outputs.Concat(instance.StageValues));
        }

        /// <summary>The one operation that reads <paramref name="value"/>, when nothing else does and the caller does not
        /// see it; otherwise null.</summary>
        public Node? SoleReader(int value) =>
            !_visible.Contains(value) && _readers.TryGetValue(value, out var list) && list.Count == 1 ? list[0] : null;

        /// <summary>The operation inside this instance that makes <paramref name="value"/>, or null (an input).</summary>
        public Node? Producer(int value) => _producers.TryGetValue(value, out var node) ? node : null;
    }
}
