using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks.Primitives;
using ArchDsl.Dsl.Graph;

namespace ArchDsl.Dsl.Inference
{
    /// <summary>
    /// Activations the inference plan may compute in place, overwriting their input, read off an instance's dataflow:
    /// the input must be a new tensor made in this instance (by an operation that returns one, not a view of a tensor
    /// that may live on), read by the activation alone, and neither the instance's output nor a stage's feature map.
    /// The instance's own inputs belong to its caller and are never overwritten.
    /// </summary>
    public static class InPlaceActivations
    {
        /// <summary>Kinds whose output is a new tensor (never a view of their input).</summary>
        private static readonly HashSet<string> s_fresh = new HashSet<string>(ActivationKind.Names.Concat(new[]
        {
            "conv2d", "conv_transpose2d", "linear", "batchnorm", "layernorm", "groupnorm", "add", "sub", "mul", "matmul", "scale",
        }));

        public static IReadOnlyList<Node> Of(Instance instance)
        {
            var readers = new Dictionary<int, int>();
            foreach (var node in instance.Nodes)
            {
                foreach (int v in node.Inputs) readers[v] = readers.TryGetValue(v, out int n) ? n + 1 : 1;
            }
            var producer = new Dictionary<int, Node>();
            foreach (var node in instance.Nodes)
            {
                foreach (int v in node.Outputs) producer[v] = node;
            }
            var visible = new HashSet<int>(instance.Outputs.Concat(instance.StageValues));
            return instance.Nodes.Where(node =>
                    node.Op is ActivationKind && node.Inputs.Length == 1
                    && node.Inputs[0] >= instance.InputCount
                    && readers[node.Inputs[0]] == 1
                    && !visible.Contains(node.Inputs[0])
                    && producer.TryGetValue(node.Inputs[0], out var source)
                    && source.Child == null && source.Outputs.Length == 1 && s_fresh.Contains(source.Kind.Name))
                .ToList();
        }
    }
}
