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
};
return root.Parse(args).Invoke();
