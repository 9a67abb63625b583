using System;
using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>torch.nn.utils.clip_grad_norm_: scales all gradients together so that their joint L2 norm is at most
/// max_norm (coefficient max_norm / (norm + 1e-6), applied only when below 1).</summary>
public static class GradientClipping
{
    /// <summary>Returns the joint norm before clipping.</summary>
    public static double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm)
    {
        if (max_norm <= 0) throw new ArgumentOutOfRangeException(nameof(max_norm), max_norm, "max_norm must be positive");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0) return 0;
        double squares = gradients.Sum(g => (double)(g * g).sum().item<float>());
        double norm = Math.Sqrt(squares);
        double coefficient = max_norm / (norm + 1e-6);
        if (coefficient < 1)
            foreach (var g in gradients) g.mul_(coefficient);
        return norm;
    }
}
