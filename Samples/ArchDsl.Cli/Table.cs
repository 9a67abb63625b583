using System;
using System.Collections.Generic;
using System.Linq;
using Spectre.Console;

namespace ArchDsl.Cli;

/// <summary>A table printed with Spectre.Console, or as GitHub markdown (for the README).</summary>
internal sealed class Table
{
    private readonly string[] _columns;
    private readonly List<string[]> _rows = new();

    public Table(params string[] columns) => _columns = columns;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Print(bool markdown)
    {
        if (markdown)
        {
            Console.WriteLine("| " + string.Join(" | ", _columns) + " |");
            Console.WriteLine("|" + string.Concat(_columns.Select(_ => "---|")));
            foreach (var row in _rows)
                Console.WriteLine("| " + string.Join(" | ", row.Select(c => c.Replace("\n", "<br>").Replace("|", "\\|"))) + " |");
            return;
        }
        // without a terminal (CI logs, files) Spectre assumes 80 columns and wraps every cell
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 250;
        var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
        foreach (var column in _columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        foreach (var row in _rows) table.AddRow(row.Select(c => new Text(c)).ToArray());
        AnsiConsole.Write(table);
    }
}
