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
            var dataflow = new Dataflow(instance);
            return instance.Nodes.Where(node =>
                    node.Op is ActivationKind && node.Inputs.Length == 1
                    && node.Inputs[0] >= instance.InputCount
                    && dataflow.SoleReader(node.Inputs[0]) == node
                    && dataflow.Producer(node.Inputs[0]) is Node source
                    && source.Child == null && source.Outputs.Length == 1 && s_fresh.Contains(source.Kind.Name))
                .ToList();
        }
    }
}
