using System.IO;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Training;

/// <summary>Fine-tuning the head only (README "Fine-tuning"): a frozen backbone gets no gradient and does not move,
/// the head does, and frozen parameters stay out of the optimizer's groups.</summary>
public class FineTuningTests
{
    [Fact]
    public void A_frozen_backbone_stays_put_while_the_head_trains()
    {
        using var model = new ArchDsl.Architectures.CasViT.TinyATrain();
        model.load_safetensors(Path.Combine(Repository.Golden, "casvit_tiny_a_train.weights.safetensors"));
        model.requires_grad_(false);
        model.get_submodule("head").requires_grad_(true);
        var groups = ParamGroup.NoDecayOnNormsAndBiases(model, lr: 1e-3, weight_decay: 0.05);
        Assert.Equal(["head.bias", "head.weight"], groups.SelectMany(g => g.parameters).Select(p => p.name).Order());
        using var optimizer = new AdamW(groups);

        var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone().DetachFromDisposeScope());
        model.train();
        for (int step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(torch.randn([4, 3, 32, 32], seed: step)), torch.tensor([0L, 1L, 2L, 3L])).backward();
            Assert.Null(model.get_submodule("network").parameters().First().grad);
            optimizer.step();
        }
        foreach (var (name, parameter) in model.named_parameters())
        {
            double moved = torch.max_abs_diff(parameter, before[name]);
            if (name.StartsWith("head.")) Assert.True(moved > 0, $"{name} did not move");
            else Assert.True(moved == 0, $"{name} is frozen but moved by {moved}");
        }
        foreach (var t in before.Values) t.Dispose();
    }
}
