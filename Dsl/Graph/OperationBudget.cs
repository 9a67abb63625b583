namespace ArchDsl.Dsl.Graph
{
    /// <summary>How many operations the variants of one file may unroll to, together: every repeat of every block use
    /// counted (a block repeated 1,000 times inside a block repeated 1,000 times is a million operations to trace, even
    /// though it is expanded once). The analysis and the generator run on every edit in an IDE, so their work is bounded.</summary>
    public sealed class OperationBudget
    {
        /// <summary>Operations per file: over twice the zoo's largest file (EMSNet's thirteen variants: 7,487), and about
        /// half a second of analysis on one core (measured: ViT's encoder block 1,000 times in each of five variants,
        /// 100,000 operations, took 2 s).</summary>
        public const long Limit = 20_000;

        /// <summary>Operations of the variants already expanded.</summary>
        public long Spent { get; internal set; }
    }
}
