using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Graph;

namespace ArchDsl.Dsl.Inference
{
    /// <summary>
    /// Where the inference plan may fold a BatchNorm into a convolution, read off an instance's dataflow: a conv2d whose
    /// output only a batchnorm reads, or a batchnorm whose output only a conv2d without padding and groups reads. The value
    /// between them must be read by nothing else — no other operation, not the instance's output, not a stage's feature
    /// map — since folding changes it. Each convolution and each BatchNorm takes part in one fold at most.
    /// </summary>
    public static class BatchNormFolds
    {
        /// <summary>A fold, its two nodes in dataflow order (the BatchNorm first or second).</summary>
        public sealed class Fold
        {
            public Fold(Node first, Node second)
            {
                First = first;
                Second = second;
            }

            public Node First { get; }
            public Node Second { get; }
        }

        public static IReadOnlyList<Fold> Of(Instance instance)
        {
            var dataflow = new Dataflow(instance);
            var used = new HashSet<Node>();
            var folds = new List<Fold>();
            foreach (var first in instance.Nodes)
            {
                if (first.Child != null || first.Outputs.Length != 1 || used.Contains(first)) continue;
                var second = dataflow.SoleReader(first.Outputs[0]);
                if (second == null || second.Child != null || second.Inputs.Length != 1 || used.Contains(second)) continue;
                bool after = Is(first, "conv2d") && Is(second, "batchnorm");
                bool before = Is(first, "batchnorm") && Is(second, "conv2d") && Unpadded(second) && second.Args.Int("groups") == 1;
                if (!after && !before) continue;
                used.Add(first);
                used.Add(second);
                folds.Add(new Fold(first, second));
            }
            return folds;
        }

        private static bool Is(Node node, string kind) => node.Op?.Name == kind;

        private static bool Unpadded(Node conv) =>
            conv.Args.Int("padding") == 0 && conv.Args.Int("padding_w") <= 0;
    }
}
