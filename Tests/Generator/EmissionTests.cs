using System.Globalization;
using System.Linq;
using System.Threading;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Generator;

public class EmissionTests
{
    /// <summary>Emission uses the invariant culture: under a culture with a decimal comma (de-DE) the generated
    /// code is identical, so literals such as 4.0 and 1E-05 stay valid C#.</summary>
    [Fact]
    public void Generated_code_does_not_depend_on_the_current_culture()
    {
        // fractional values everywhere they are emitted: constructor arguments, MACs and published numbers in the docs
        const string yaml = """
            family: Fractions
            title: "Fractional values"
            input: { channels: 3, size: 32 }
            stages:
              s1:
                - { name: mv2, kind: mv2, out: 16, stride: 2, expand: 2.5, hidden_divisor: 8, act: silu }
                - { name: bn, kind: batchnorm, eps: 0.001 }
            head:
              - { kind: mean_pool }
              - { name: fc, kind: linear, out: 10, bias: true }
            variants:
              A: { published: { params: { value: 1.25K, tolerance: 99%, source: "test" } } }
            """;
        string Generate() => GeneratorHarness.Run(GeneratorHarness.File("/test/Fractions.arch.yaml", yaml)).Results[0].GeneratedSources.Single().SourceText.ToString();
        var invariant = Generate();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture)); // the culture is really in effect
            Assert.Equal(invariant, Generate());
            Assert.Contains("expand: 2.5", invariant);
            Assert.Contains("eps: 0.001", invariant);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>JSON is YAML's subset: the same family written as JSON generates the same module, and its
    /// diagnostics are located in the JSON text.</summary>
    [Fact]
    public void Json_architecture_files_are_read_like_yaml()
    {
        const string json = """
            {
              "family": "TinyJson",
              "title": "A family written as JSON",
              "input": { "channels": 3, "size": 32 },
              "stages": {
                "s1": [
                  { "name": "conv", "kind": "conv2d", "out": 8, "kernel": 3, "stride": 2, "padding": 1, "bias": false },
                  { "name": "bn", "kind": "batchnorm" }
                ]
              },
              "head": [
                { "kind": "mean_pool" },
                { "name": "fc", "kind": "linear", "out": 10, "bias": true }
              ],
              "variants": { "A": { "published": { "params": { "value": "322", "exact": 322, "source": "hand count: 8·3·9 (conv) + 2·8 (batchnorm) + 8·10 + 10 (linear)" } } } }
            }
            """;
        var result = GeneratorHarness.Run(GeneratorHarness.File("/test/TinyJson.arch.json", json));
        Assert.Empty(result.Diagnostics);
        Assert.Contains("public const long Parameters = 322;", result.Results[0].GeneratedSources.Single().SourceText.ToString());

        var broken = GeneratorHarness.Run(GeneratorHarness.File("/test/TinyJson.arch.json", json.Replace("\"kind\": \"batchnorm\"", "\"kind\": \"batchnorn\"")));
        var diagnostic = Assert.Single(broken.Diagnostics);
        Assert.Equal("ADSL006", diagnostic.Id);
        Assert.Equal(8, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }
}
