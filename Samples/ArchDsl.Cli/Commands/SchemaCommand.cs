using System;
using System.CommandLine;
using System.IO;
using ArchDsl.Cli.Schema;

namespace ArchDsl.Cli.Commands;

/// <summary>Writes the JSON Schema of the files (<see cref="ArchSchema"/>); the repository's copy is regenerated with
/// <c>archdsl schema -o schema/archdsl.schema.json</c> and a test checks it is up to date.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "write to this file (default: standard output)" };
        var command = new Command("schema", "the JSON Schema of *.arch.yaml / *.arch.json files, for editors") { output };
        command.SetAction(parse =>
        {
            string text = ArchSchema.Text(ArchSchema.Build());
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, text);
            else Console.Write(text);
            return 0;
        });
        return command;
    }
}
