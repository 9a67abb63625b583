using Xunit;

namespace ArchDsl.Tests.Support;

/// <summary>Tests that read or reseed process-wide state (the live-handle count, the process's memory, libtorch's
/// default random generator, which every module's initialisation draws from) run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(ProcessStateCollection), DisableParallelization = true)]
public sealed class ProcessStateCollection { }
