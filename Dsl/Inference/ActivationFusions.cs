using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks.Primitives;
using ArchDsl.Dsl.Graph;

namespace ArchDsl.Dsl.Inference
{
    /// <summary>
    /// Where the inference plan may apply an activation inside the linear layer before it (oneDNN's matmul with the
    /// activation as a post-op), read off an instance's dataflow: a linear layer whose output only an activation reads,
    /// and which the caller does not see, since that value is never materialised.
    /// </summary>
    public static class ActivationFusions
    {
        /// <summary>A linear layer and the activation of its output.</summary>
        public sealed class Fusion
        {
            public Fusion(Node linear, Node activation)
            {
                Linear = linear;
                Activation = activation;
            }

            public Node Linear { get; }
            public Node Activation { get; }
        }

        public static IReadOnlyList<Fusion> Of(Instance instance)
        {
            var dataflow = new Dataflow(instance);
            return instance.Nodes
                .Where(node => node.Child == null && node.Op?.Name == "linear" && node.Outputs.Length == 1)
                .Select(linear => (linear, reader: dataflow.SoleReader(linear.Outputs[0])))
                .Where(pair => pair.reader != null && pair.reader.Op is ActivationKind && pair.reader.Inputs.Length == 1)
                .Select(pair => new Fusion(pair.linear, pair.reader!))
                .ToList();
        }
    }
}
