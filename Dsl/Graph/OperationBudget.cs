namespace ArchDsl.Dsl.Graph
{
    /// <summary>How many operations the variants of one file may unroll to, together: every repeat of every block use
    /// counted (a block repeated 1,000 times inside a block repeated 1,000 times is a million operations to trace, even
    /// though it is expanded once). The analysis and the generator run on every edit in an IDE, so their work is bounded.</summary>
    public sealed class OperationBudget
    {
        /// <summary>Operations per file: about 20 times the zoo's largest file (EMSNet's thirteen variants), and about a
        /// second of analysis on one core.</summary>
        public const long Limit = 300_000;

        /// <summary>Operations of the variants already expanded.</summary>
        public long Spent { get; internal set; }
    }
}
