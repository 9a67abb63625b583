using Xunit;

namespace ArchDsl.Tests.Support;

/// <summary>Tests reading the process-wide live-handle count (or the process's memory) run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(LiveHandleCollection), DisableParallelization = true)]
public sealed class LiveHandleCollection { }
