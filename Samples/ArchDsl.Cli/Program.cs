using System;
using System.CommandLine;
using ArchDsl.Cli.Commands;

// archdsl: the zoo report (the README's main job), per-model summaries, file checks, benchmarks.
var root = new RootCommand("ArchDsl: vision-transformer architectures declared from paper tables, counted and run on libtorch")
{
    ZooCommand.Create(),
    SummaryCommand.Create(),
    CheckCommand.Create(),
    BenchCommand.Create(),
    GeneratorTimingCommand.Create(),
    PlotCommand.Create(),
    KindsCommand.Create(),
    SchemaCommand.Create(),
    TrainCommand.Create(),
    TrainStepCommand.Create(),
    BenchWorkerCommand.Create(),
};
// bad input is reported by the commands as one located line; anything else that escapes is one line too, never a
// stack trace, and exit code 1
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    Console.Error.WriteLine($"archdsl: {e.GetType().Name}: {e.Message}");
    return 1;
}
