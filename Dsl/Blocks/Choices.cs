namespace ArchDsl.Dsl.Blocks
{
    /// <summary>Choice parameters shared by several block kinds, and the runtime enums they map to.</summary>
    public static class Choices
    {
        public const string ActivationEnum = "ArchDsl.Runtime.Activation";

        /// <summary>Activations the runtime implements; gelu is PyTorch's exact (erf) GELU.</summary>
        public static readonly string[] Activations = { "relu", "gelu", "silu", "sigmoid", "hardswish", "none" };

        public static ParamDecl Act(string doc = "activation") =>
            ParamDecl.Choice("act", doc, ActivationEnum, Activations);
    }
}
