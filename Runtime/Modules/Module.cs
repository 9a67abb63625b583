using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>A network component owning parameters, buffers and child modules, with PyTorch's naming:
/// dotted <c>state_dict</c> keys in PyTorch order (own parameters, own persistent buffers, then each
/// child in registration order). Registered tensors belong to the module (they leave any dispose
/// scope) and are disposed with it.</summary>
public abstract class Module : IDisposable
{
    private readonly OrderedDictionary<string, Tensor> _parameters = new();
    private readonly OrderedDictionary<string, Tensor> _buffers = new();
    private readonly HashSet<string> _nonPersistentBuffers = new();
    private readonly OrderedDictionary<string, Module> _modules = new();
    private readonly List<Module> _inlined = new();
    private readonly List<BatchNormFold> _folds = new();
    private readonly List<CachedTensors> _caches = new();
    private bool _disposed;

    protected Module(string name) => this.name = name;

    public string name { get; }

    /// <summary>True after construction, as in PyTorch; <see cref="eval"/> before inference.</summary>
    public bool training { get; private set; } = true;

    // ---- registration ----

    public T register_module<T>(string name, T module) where T : Module
    {
        CheckNewName(name);
        ArgumentNullException.ThrowIfNull(module);
        _modules.Add(name, module);
        return module;
    }

    /// <summary>Registers a parameter, which then requires grad (unless frozen later with <see cref="requires_grad_"/>);
    /// a null tensor (e.g. no bias) registers nothing, as PyTorch leaves None out of state_dict.</summary>
    public void register_parameter(string name, Tensor? parameter)
    {
        CheckNewName(name);
        if (parameter is null) return;
        _parameters.Add(name, parameter.DetachFromDisposeScope());
        parameter.requires_grad_(true);
    }

    /// <summary>Registers a buffer; non-persistent buffers are left out of state_dict.</summary>
    public void register_buffer(string name, Tensor? buffer, bool persistent = true)
    {
        CheckNewName(name);
        if (buffer is null) return;
        _buffers.Add(name, buffer.DetachFromDisposeScope());
        if (!persistent) _nonPersistentBuffers.Add(name);
    }

    /// <summary>Registers <paramref name="module"/>'s own parameters, buffers and children directly on this module,
    /// so their keys carry no extra prefix (heads whose parts are top-level keys such as <c>norm</c>, <c>head</c>).
    /// <paramref name="module"/> stays callable and follows train/eval; register it once it is fully built.</summary>
    public T RegisterInline<T>(T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var (key, value) in module._parameters) register_parameter(key, value);
        foreach (var (key, value) in module._buffers) register_buffer(key, value, !module._nonPersistentBuffers.Contains(key));
        foreach (var (key, value) in module._modules) register_module(key, value);
        _inlined.Add(module);
        return module;
    }

    /// <summary>Registers <paramref name="module"/> at a dotted path such as <c>network.0.0</c>, creating missing
    /// intermediate containers: a <see cref="ModuleList"/> where the next segment is an index, a
    /// <see cref="ModuleDict"/> otherwise. Indices into a ModuleList must be appended in order.</summary>
    public T RegisterAt<T>(string path, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        var segments = path.Split('.');
        Module parent = this;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            if (parent._modules.TryGetValue(segment, out var existing))
            {
                parent = existing;
                continue;
            }
            Module container = IsIndex(segments[i + 1]) ? new ModuleList() : new ModuleDict();
            parent.AddAt(segment, container, path);
            parent = container;
        }
        parent.AddAt(segments[^1], module, path);
        return module;
    }

    /// <summary>Registers a module that owns one tensor (a class token, a layer scale) so that the tensor's key is
    /// <paramref name="path"/>, e.g. <c>encoder.pos_embedding</c>: the module's parameters join the container at the
    /// path's prefix (created if missing), as torchvision registers such tensors directly on their block.</summary>
    public T RegisterTensorAt<T>(string path, T owner) where T : Module
    {
        ArgumentNullException.ThrowIfNull(owner);
        int dot = path.LastIndexOf('.');
        Module container = this;
        if (dot > 0)
        {
            var prefix = path[..dot];
            container = TryGetDescendant(prefix) ?? RegisterAt(prefix, new ModuleDict());
        }
        container.RegisterInline(owner);
        return owner;
    }

    private Module? TryGetDescendant(string path)
    {
        Module current = this;
        foreach (var segment in path.Split('.'))
        {
            if (!current._modules.TryGetValue(segment, out var child)) return null;
            current = child;
        }
        return current;
    }

    private void AddAt(string segment, Module child, string path)
    {
        if (this is ModuleList list)
        {
            string next = list.Count.ToString(CultureInfo.InvariantCulture);
            if (segment != next)
                throw new ArgumentException($"cannot register '{path}': '{segment}' is not the next index of its ModuleList (expected {next})", nameof(path));
        }
        register_module(segment, child);
    }

    private static bool IsIndex(string segment) =>
        segment.Length > 0 && segment.All(char.IsAsciiDigit) && (segment == "0" || segment[0] != '0');

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.')) throw new ArgumentException($"name '{name}' must not contain '.'", nameof(name));
        if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _modules.ContainsKey(name))
            throw new ArgumentException($"{this.name} already has a member named '{name}'", nameof(name));
    }

    internal bool TryGetChild(string name, out Module child) => _modules.TryGetValue(name, out child!);

    /// <summary>The descendant at a dotted path, e.g. <c>network.0.0</c>.</summary>
    public Module get_submodule(string target)
    {
        Module current = this;
        foreach (var segment in target.Split('.'))
        {
            if (!current._modules.TryGetValue(segment, out var child))
                throw new ArgumentException($"{name} has no submodule '{target}'", nameof(target));
            current = child;
        }
        return current;
    }

    internal int ChildCount => _modules.Count;

    internal Module ChildAt(int index) => _modules.GetAt(index).Value;

    // ---- enumeration (PyTorch order) ----

    /// <summary>Parameters with dotted names; a parameter shared by several modules is listed once.</summary>
    public IEnumerable<(string name, Tensor parameter)> named_parameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in named_modules())
        {
            foreach (var (key, value) in module._parameters)
            {
                if (seen.Add(value)) yield return (Join(prefix, key), value);
            }
        }
    }

    public IEnumerable<Tensor> parameters() => named_parameters().Select(p => p.parameter);

    /// <summary>All buffers (persistent or not) with dotted names.</summary>
    public IEnumerable<(string name, Tensor buffer)> named_buffers()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in named_modules())
        {
            foreach (var (key, value) in module._buffers)
            {
                if (seen.Add(value)) yield return (Join(prefix, key), value);
            }
        }
    }

    public IEnumerable<Tensor> buffers() => named_buffers().Select(b => b.buffer);

    public IEnumerable<(string name, Module module)> named_children() => _modules.Select(m => (m.Key, m.Value));

    public IEnumerable<Module> children() => _modules.Values;

    /// <summary>This module (name "") and every descendant, depth first in registration order, each once.</summary>
    public IEnumerable<(string name, Module module)> named_modules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(string, Module)>();
        pending.Push(("", this));
        while (pending.Count > 0)
        {
            var (prefix, module) = pending.Pop();
            if (!seen.Add(module)) continue;
            yield return (prefix, module);
            for (int i = module._modules.Count - 1; i >= 0; i--)
            {
                var (key, child) = module._modules.GetAt(i);
                pending.Push((Join(prefix, key), child));
            }
        }
    }

    public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

    /// <summary>Parameters and persistent buffers by dotted key, in PyTorch order. The values are the module's
    /// own tensors (not copies): do not dispose them.</summary>
    public OrderedDictionary<string, Tensor> state_dict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        AddState(result, "");
        return result;
    }

    private void AddState(OrderedDictionary<string, Tensor> into, string prefix)
    {
        foreach (var (key, value) in _parameters) into[Join(prefix, key)] = value;
        foreach (var (key, value) in _buffers)
        {
            if (!_nonPersistentBuffers.Contains(key)) into[Join(prefix, key)] = value;
        }
        foreach (var (key, child) in _modules) child.AddState(into, Join(prefix, key));
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    // ---- loading ----

    /// <summary>Copies <paramref name="state_dict"/> into this module's tensors. Shape and dtype mismatches are always
    /// errors; with <paramref name="strict"/> missing and unexpected keys are too. All problems are reported together in
    /// one <see cref="StateDictException"/> before anything is modified.</summary>
    public (IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys) load_state_dict(
        IReadOnlyDictionary<string, Tensor> state_dict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        var own = this.state_dict();
        var missing = own.Keys.Where(k => !state_dict.ContainsKey(k)).ToList();
        var unexpected = state_dict.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var shapes = new List<StateDictMismatch>();
        var dtypes = new List<StateDictMismatch>();
        foreach (var (key, target) in own)
        {
            if (!state_dict.TryGetValue(key, out var source)) continue;
            var (expected, actual) = (target.Shape, source.Shape);
            if (!expected.AsSpan().SequenceEqual(actual))
                shapes.Add(new StateDictMismatch(key, ShapeCheck.Format(expected), ShapeCheck.Format(actual)));
            if (target.dtype != source.dtype)
                dtypes.Add(new StateDictMismatch(key, target.dtype.ToString(), source.dtype.ToString()));
        }
        if (shapes.Count > 0 || dtypes.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException(name, missing, unexpected, shapes, dtypes);

        using (GradMode.ForParameterWrites())
        {
            foreach (var (key, target) in own)
            {
                if (state_dict.TryGetValue(key, out var source)) target.copy_(source);
            }
        }
        ForgetPlan();
        return (missing, unexpected);
    }

    /// <summary>Loads a safetensors checkpoint (see <see cref="load_state_dict"/>); a dtype that differs from the
    /// module's is a <see cref="SafetensorsFormatException"/> naming the keys.</summary>
    public (IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys) load_safetensors(string path, bool strict = true)
    {
        var loaded = Safetensors.Load(path);
        try
        {
            var own = state_dict();
            var wrong = loaded
                .Where(e => own.TryGetValue(e.Key, out var target) && target.dtype != e.Value.dtype)
                .Select(e => $"{e.Key} is {Safetensors.DtypeName(e.Value.dtype)}, the module holds {Safetensors.DtypeName(own[e.Key].dtype)}")
                .ToList();
            if (wrong.Count > 0) throw new SafetensorsFormatException(path, "dtype mismatch: " + string.Join("; ", wrong));
            return load_state_dict(loaded, strict);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    public void save_safetensors(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(path, state_dict(), metadata);

    // ---- gradients ----

    /// <summary>Drops the gradient of every parameter (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void zero_grad()
    {
        foreach (var p in parameters()) p.clear_grad();
    }

    /// <summary>Freezes (false) or unfreezes (true) every parameter of this module and its descendants, e.g. a backbone
    /// when only the head is fine-tuned.</summary>
    public Module requires_grad_(bool requires_grad = true)
    {
        foreach (var p in parameters()) p.requires_grad_(requires_grad);
        return this;
    }

    // ---- mode ----

    /// <summary>The inference plan's transformations in force (none in training mode).</summary>
    public InferenceOptimizations optimizations { get; private set; }

    /// <summary>Sets training mode on this module and every descendant; <c>train(false)</c> is <see cref="eval"/> with
    /// every optimization.</summary>
    public void train(bool on = true) => SetMode(on, on ? InferenceOptimizations.None : InferenceOptimizations.All);

    /// <summary>Eval mode with the inference plan: <paramref name="optimizations"/> (default all) computes the same
    /// outputs faster; <see cref="train"/> undoes them. Weights changed afterwards are picked up by the next call.</summary>
    public void eval(InferenceOptimizations optimizations = InferenceOptimizations.All) => SetMode(false, optimizations);

    private void SetMode(bool on, InferenceOptimizations plan)
    {
        training = on;
        optimizations = plan;
        foreach (var child in _modules.Values) child.SetMode(on, plan);
        foreach (var inlined in _inlined) inlined.SetMode(on, plan);
        bool fold = !on && plan.HasFlag(InferenceOptimizations.FoldBatchNorm);
        foreach (var cache in _caches) cache.Forget();
        foreach (var pair in _folds)
        {
            bool applies = fold && pair.Applies;
            pair.Conv.Fold = applies ? pair : null;
            pair.Norm.FoldedInto = applies ? pair.Conv : null;
        }
        OnModeChanged();
    }

    /// <summary>Declares that <paramref name="norm"/> reads only <paramref name="conv"/>'s output (and nothing else does),
    /// so the inference plan may fold it into the convolution (<see cref="BatchNormFold"/>). Generated code calls this
    /// where the architecture's dataflow shows the pattern.</summary>
    protected void FoldBatchNorm(Conv2d conv, BatchNorm2d norm) => AddFold(conv, norm, normFirst: false);

    /// <summary>Declares that <paramref name="conv"/> alone reads <paramref name="norm"/>'s output, so the inference plan may
    /// fold the BatchNorm into the convolution's input side (when it has no padding and no groups).</summary>
    protected void FoldBatchNorm(BatchNorm2d norm, Conv2d conv) => AddFold(conv, norm, normFirst: true);

    /// <summary>Declares that nothing but <paramref name="activation"/> reads its input, a new tensor: the inference plan may
    /// compute it in place. Generated code calls this where the architecture's dataflow shows it.</summary>
    protected void MayOverwriteInput(Activation activation) => activation.InputOverwritable = true;

    /// <summary>Declares that only <paramref name="activation"/> reads <paramref name="linear"/>'s output, which the caller
    /// does not see: the inference plan may apply the activation inside the linear layer's matmul
    /// (<see cref="InferenceOptimizations.FuseActivations"/>). Generated code calls this where the dataflow shows it.</summary>
    protected void FuseActivation(Linear linear, Activation activation)
    {
        linear.Activation = activation;
        activation.AppliedBy = linear;
    }

    private void AddFold(Conv2d conv, BatchNorm2d norm, bool normFirst) =>
        _folds.Add(new BatchNormFold(conv, norm, normFirst,
            Cache(() => BatchNormFold.Sources(conv, norm), () => BatchNormFold.Compute(conv, norm, normFirst))));

    /// <summary>Tensors derived from this module's own for inference (see <see cref="CachedTensors"/>): forgotten on every
    /// change of mode and after loading weights, disposed with the module.</summary>
    protected internal CachedTensors Cache(Func<Tensor?[]> sources, Func<Tensor[]> compute)
    {
        var cache = new CachedTensors(sources, compute);
        _caches.Add(cache);
        return cache;
    }

    /// <summary>Derived tensors computed again on next use (after loading weights).</summary>
    private void ForgetPlan()
    {
        foreach (var module in modules())
        {
            foreach (var cache in module._caches) cache.Forget();
        }
    }

    /// <summary>Runs after <see cref="training"/> and <see cref="optimizations"/> changed here and in every descendant.</summary>
    protected virtual void OnModeChanged() { }

    // ---- lifetime ----

    /// <summary>Disposes the parameters, buffers and child modules.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        foreach (var p in _parameters.Values) p.Dispose();
        foreach (var b in _buffers.Values) b.Dispose();
        foreach (var child in _modules.Values) child.Dispose();
        foreach (var inlined in _inlined) inlined.Dispose();
        foreach (var cache in _caches) cache.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hook for modules holding other disposables; registered tensors and children need no code here.</summary>
    protected virtual void Dispose(bool disposing) { }

    public override string ToString() => name;
}
