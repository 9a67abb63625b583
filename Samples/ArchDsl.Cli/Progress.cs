using System;
using System.Collections.Generic;
using Spectre.Console;

namespace ArchDsl.Cli;

/// <summary>A progress bar on standard error for commands that take minutes (zoo, bench, plot --latency), so that
/// standard output stays the report; nothing is drawn when standard error is not a terminal (CI logs, scripts).</summary>
internal static class Progress
{
    public static void ForEach<T>(string title, IReadOnlyList<T> items, Func<T, string> label, Action<T> body)
    {
        if (Console.IsErrorRedirected)
        {
            foreach (var item in items) body(item);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: items.Count);
                foreach (var item in items)
                {
                    task.Description = Markup.Escape($"{title}: {label(item)}");
                    body(item);
                    task.Increment(1);
                }
                task.Description = Markup.Escape(title);
            });
    }
}
