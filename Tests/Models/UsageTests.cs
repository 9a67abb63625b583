using System.IO;
using ArchDsl.Architectures;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>The README's "Using a model" example, kept running.</summary>
public class UsageTests
{
    [Fact]
    public void The_readme_example_runs()
    {
        var weights = Path.Combine(Path.GetTempPath(), $"archdsl-usage-{System.Guid.NewGuid():N}.safetensors");
        try
        {
            using (var trained = new CasViT.XS()) trained.save_safetensors(weights); // stands in for a converted checkpoint

            using var model = new CasViT.XS();
            model.load_safetensors(weights);
            model.eval();
            using var scope = torch.NewDisposeScope();
            var logits = model.call(torch.randn([1, 3, 224, 224]));
            var maps = model.ForwardFeatures(torch.randn([1, 3, 224, 224]));

            Assert.Equal(new long[] { 1, 1000 }, logits.shape);
            Assert.Equal(4, maps.Count);
            Assert.Equal(3_200_700, CasViT.XS.Parameters);                        // MODEL_ZOO.md's 3.20M, exactly
            Assert.True(CasViT.XS.Macs.Mmcv > CasViT.XS.Macs.Weights);             // bias adds and norms on top
            Assert.True(CasViT.XS.MacsAt(384, 384, "fvcore") > CasViT.XS.Macs.Fvcore);
        }
        finally
        {
            File.Delete(weights);
        }
    }
}
