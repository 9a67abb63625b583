using System.Collections.Concurrent;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Resolution;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>One variant, resolved and traced at its declared resolution, with its published numbers checked.</summary>
    public sealed class VariantAnalysis
    {
        private readonly ConcurrentDictionary<(int, int), NetworkTrace> _traces = new ConcurrentDictionary<(int, int), NetworkTrace>();

        internal VariantAnalysis(FamilySpec family, VariantSpec spec, ResolvedVariant resolved, NetworkTrace trace, IReadOnlyList<PublishedCheck> checks)
        {
            Family = family;
            Spec = spec;
            Resolved = resolved;
            Trace = trace;
            Checks = checks;
            _traces[(trace.Height, trace.Width)] = trace;
        }

        public FamilySpec Family { get; }
        public VariantSpec Spec { get; }
        public ResolvedVariant Resolved { get; }

        /// <summary>At the declared input resolution.</summary>
        public NetworkTrace Trace { get; }

        public IReadOnlyList<PublishedCheck> Checks { get; }

        public string Name => Spec.Name;
        public string FullName => $"{Family.Name}.{Spec.ClassName}";
        public long Parameters => Trace.Parameters;

        public long Macs(CountingConvention convention) => Trace.Macs(convention);

        /// <summary>Shapes and costs at another input size (cached; <see cref="NetworkTrace.Failure"/> says if it does not fit).</summary>
        public NetworkTrace At(int height, int width) =>
            _traces.GetOrAdd((height, width), key => NetworkTrace.Run(Resolved, key.Item1, key.Item2));
    }
}
