// Loading Hugging Face checkpoints: locating config.json and the (possibly sharded) safetensors
// files, and the sanitize step that maps Hugging Face weight names and layouts onto this
// module's own parameter paths — strictly: a missing, unused, duplicated or mis-shaped tensor is
// an error naming the key and the file.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TSFCNN
import TSFCTensor

extension CausalDecoder {
    /// Loads a Hugging Face model directory: `config.json` plus `model.safetensors`, or shards
    /// listed in `model.safetensors.index.json`. F16/BF16 weights are converted to Float.
    /// The decoder comes back frozen and in evaluation mode; see `applyLoRA` or `unfreeze()`.
    ///
    /// GPT-2 checkpoints may name weights with or without the `transformer.` prefix (LLaMA: `model.`);
    /// GPT-2's `attn.bias` / `attn.masked_bias` buffers, LLaMA's `rotary_emb.inv_freq` and a tied
    /// model's `lm_head.weight` are ignored.
    /// - Throws: `BackboneError` (missing files, invalid or unsupported configuration, missing,
    ///   unused, duplicated or mis-shaped weights) or `SafetensorsError` (a corrupt file), each
    ///   naming the file.
    public convenience init(contentsOf directory: URL) throws {
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw BackboneError.missingConfiguration(directory: directory.path)
        }
        let config = try DecoderConfiguration.load(contentsOf: configURL)
        if let problem = HuggingFaceLayout.problem(config) {
            throw BackboneError.unsupportedConfiguration(file: configURL.path, detail: problem)
        }
        let checkpoint = try Checkpoint(directory: directory)
        // Placeholder weights: every parameter is overwritten below.
        let factory = WeightFactory { shape, _ in Tensor.zeros(shape) }
        self.init(config, factory: factory, dropoutSeeds: [UInt64](repeating: 0, count: config.layers + 1))
        try load(HuggingFaceLayout.sanitize(checkpoint, configuration: config), strict: true)
        freeze()
        eval()
    }
}

/// The tensors of a checkpoint by name, with the file each comes from.
struct Checkpoint {
    /// Open files by tensor name.
    var files: [String: SafetensorsFile] = [:]
    /// Every file read, for error messages.
    var paths: [String] = []

    init(directory: URL) throws {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        if FileManager.default.fileExists(atPath: single.path) {
            try add(SafetensorsFile(contentsOf: single))
        } else if FileManager.default.fileExists(atPath: index.path) {
            let shards = try Checkpoint.readIndex(index)
            var opened: [String: SafetensorsFile] = [:]
            for name in Set(shards.values).sorted() {
                let file = try SafetensorsFile(contentsOf: directory.appendingPathComponent(name))
                opened[name] = file
                try add(file)
            }
            for (key, shard) in shards.sorted(by: { $0.key < $1.key }) where !opened[shard]!.contains(key) {
                throw BackboneError.missingWeight(key: key, files: [opened[shard]!.url.path])
            }
        } else {
            throw BackboneError.missingWeights(directory: directory.path)
        }
    }

    private mutating func add(_ file: SafetensorsFile) throws {
        paths.append(file.url.path)
        for name in file.names {
            if let other = files[name] {
                throw BackboneError.duplicateWeight(key: name, files: [other.url.path, file.url.path])
            }
            files[name] = file
        }
    }

    /// `weight_map` of a Hugging Face shard index: tensor name → shard file name.
    static func readIndex(_ url: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BackboneError.unreadableFile(file: url.path, reason: "\(error)")
        }
        struct Index: Decodable { var weight_map: [String: String] }
        let index: Index
        do { index = try JSONDecoder().decode(Index.self, from: data) } catch {
            throw BackboneError.invalidIndex(file: url.path, detail: "expected an object with a \"weight_map\" of tensor name → file name (\(error))")
        }
        for (key, file) in index.weight_map where file.isEmpty || file.contains("/") || file.hasPrefix(".") {
            throw BackboneError.invalidIndex(file: url.path, detail: "tensor '\(key)' maps to '\(file)', which is not a file name in the model directory")
        }
        if index.weight_map.isEmpty {
            throw BackboneError.invalidIndex(file: url.path, detail: "the weight_map is empty")
        }
        return index.weight_map
    }

    func path(of key: String) -> String { files[key]?.url.path ?? "" }
}

/// One Hugging Face tensor and the parameters it becomes.
struct WeightSource {
    /// Name without the family's optional prefix.
    let key: String
    /// Shape the configuration implies, as stored in the checkpoint.
    let shape: [Int]
    /// Converts the stored tensor into (parameter path, value) pairs.
    let convert: (Tensor) -> [(String, Tensor)]

    static func direct(_ key: String, _ path: String, _ shape: [Int]) -> WeightSource {
        WeightSource(key: key, shape: shape) { [(path, $0)] }
    }

    /// A GPT-2 `Conv1D` weight `[in, out]` → a Linear weight `[out, in]`.
    static func conv1D(_ key: String, _ path: String, input: Int, output: Int) -> WeightSource {
        WeightSource(key: key, shape: [input, output]) { [(path, $0.transposed())] }
    }
}

/// The Hugging Face naming and layout of each family.
enum HuggingFaceLayout {
    /// Why `config` cannot describe a Hugging Face checkpoint of its family (nil when it can).
    static func problem(_ c: DecoderConfiguration) -> String? {
        switch c.family {
        case .gpt2:
            if c.positionEncoding != .learned || c.normalization != .layerNorm || c.mlpKind != .plain
                || !c.attentionBias || !c.attentionOutputBias || !c.mlpBias || c.kvHeads != c.heads
                || c.headDim * c.heads != c.width {
                return "GPT-2 checkpoint layout with non-GPT-2 components (GPT-2 needs learned positions, LayerNorm, a plain MLP, biases everywhere and width = heads × headDim)"
            }
        case .llama:
            if c.positionEncoding != .rotary || c.normalization != .rmsNorm || c.mlpKind != .gated {
                return "LLaMA checkpoint layout with non-LLaMA components (LLaMA needs rotary positions, RMSNorm and a gated MLP)"
            }
        }
        return nil
    }

    /// The optional prefix of the family's base-model weights.
    static func prefix(_ family: DecoderConfiguration.Family) -> String {
        family == .gpt2 ? "transformer." : "model."
    }

    /// Whether a checkpoint tensor is a buffer or duplicate the model ignores.
    static func isIgnored(_ key: String, _ c: DecoderConfiguration) -> Bool {
        if key == "lm_head.weight" { return c.tiedEmbeddings }
        switch c.family {
        case .gpt2: return key.hasSuffix(".attn.bias") || key.hasSuffix(".attn.masked_bias")
        case .llama: return key.hasSuffix(".rotary_emb.inv_freq")
        }
    }

    /// Every tensor a checkpoint of `c` holds, and where each goes.
    static func sources(_ c: DecoderConfiguration) -> [WeightSource] {
        let d = c.width, f = c.mlpHidden, qd = c.heads * c.headDim, kvd = c.kvHeads * c.headDim
        var out: [WeightSource] = []
        switch c.family {
        case .gpt2:
            out.append(.direct("wte.weight", "tokenEmbedding.weight", [c.vocab, d]))
            out.append(.direct("wpe.weight", "positionEmbedding.weight", [c.maxPositions, d]))
            for i in 0..<c.layers {
                let h = "h.\(i).", p = "blocks.\(i)."
                out.append(.direct(h + "ln_1.weight", p + "attentionNorm.weight", [d]))
                out.append(.direct(h + "ln_1.bias", p + "attentionNorm.bias", [d]))
                // Fused c_attn: Conv1D [D, q + k + v] → three Linear weights [·, D].
                out.append(WeightSource(key: h + "attn.c_attn.weight", shape: [d, qd + 2 * kvd]) { w in
                    let t = w.transposed()                                      // [q + 2kv, D]
                    return [(p + "attention.query.weight", t.slice(axis: 0, 0..<qd)),
                            (p + "attention.key.weight", t.slice(axis: 0, qd..<(qd + kvd))),
                            (p + "attention.value.weight", t.slice(axis: 0, (qd + kvd)..<(qd + 2 * kvd)))]
                })
                out.append(WeightSource(key: h + "attn.c_attn.bias", shape: [qd + 2 * kvd]) { b in
                    [(p + "attention.query.bias", b.slice(axis: 0, 0..<qd)),
                     (p + "attention.key.bias", b.slice(axis: 0, qd..<(qd + kvd))),
                     (p + "attention.value.bias", b.slice(axis: 0, (qd + kvd)..<(qd + 2 * kvd)))]
                })
                out.append(.conv1D(h + "attn.c_proj.weight", p + "attention.output.weight", input: qd, output: d))
                out.append(.direct(h + "attn.c_proj.bias", p + "attention.output.bias", [d]))
                out.append(.direct(h + "ln_2.weight", p + "mlpNorm.weight", [d]))
                out.append(.direct(h + "ln_2.bias", p + "mlpNorm.bias", [d]))
                out.append(.conv1D(h + "mlp.c_fc.weight", p + "mlp.up.weight", input: d, output: f))
                out.append(.direct(h + "mlp.c_fc.bias", p + "mlp.up.bias", [f]))
                out.append(.conv1D(h + "mlp.c_proj.weight", p + "mlp.down.weight", input: f, output: d))
                out.append(.direct(h + "mlp.c_proj.bias", p + "mlp.down.bias", [d]))
            }
            out.append(.direct("ln_f.weight", "finalNorm.weight", [d]))
            out.append(.direct("ln_f.bias", "finalNorm.bias", [d]))
        case .llama:
            out.append(.direct("embed_tokens.weight", "tokenEmbedding.weight", [c.vocab, d]))
            for i in 0..<c.layers {
                let h = "layers.\(i).", p = "blocks.\(i)."
                out.append(.direct(h + "input_layernorm.weight", p + "attentionNorm.weight", [d]))
                let projections: [(String, String, Int, Int, Bool)] = [
                    ("self_attn.q_proj", "attention.query", d, qd, c.attentionBias),
                    ("self_attn.k_proj", "attention.key", d, kvd, c.attentionBias),
                    ("self_attn.v_proj", "attention.value", d, kvd, c.attentionBias),
                    ("self_attn.o_proj", "attention.output", qd, d, c.attentionOutputBias),
                    ("mlp.gate_proj", "mlp.gate", d, f, c.mlpBias),
                    ("mlp.up_proj", "mlp.up", d, f, c.mlpBias),
                    ("mlp.down_proj", "mlp.down", f, d, c.mlpBias),
                ]
                for (hf, ours, input, output, bias) in projections {
                    out.append(.direct(h + hf + ".weight", p + ours + ".weight", [output, input]))
                    if bias { out.append(.direct(h + hf + ".bias", p + ours + ".bias", [output])) }
                }
                out.append(.direct(h + "post_attention_layernorm.weight", p + "mlpNorm.weight", [d]))
            }
            out.append(.direct("norm.weight", "finalNorm.weight", [d]))
        }
        if !c.tiedEmbeddings { out.append(.direct("lm_head.weight", "lmHead.weight", [c.vocab, d])) }
        return out
    }

    /// Maps a checkpoint onto parameter paths, checking that every tensor the configuration
    /// implies is present with its shape and that nothing else is in the files.
    static func sanitize(_ checkpoint: Checkpoint, configuration c: DecoderConfiguration) throws -> [String: Tensor] {
        let prefix = prefix(c.family)
        // Canonical (prefix-free) name → name in the file.
        var stored: [String: String] = [:]
        for name in checkpoint.files.keys.sorted() where !isIgnored(name, c) {
            let canonical = name != "lm_head.weight" && name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
            if let other = stored[canonical] {
                throw BackboneError.duplicateWeight(key: canonical, files: [
                    "\(other) in \(checkpoint.path(of: other))", "\(name) in \(checkpoint.path(of: name))"])
            }
            stored[canonical] = name
        }
        let usesPrefix = stored.values.contains { $0 != "lm_head.weight" && $0.hasPrefix(prefix) }
        let sources = sources(c)
        for source in sources where stored[source.key] == nil {
            let shown = usesPrefix && source.key != "lm_head.weight" ? prefix + source.key : source.key
            throw BackboneError.missingWeight(key: shown, files: checkpoint.paths)
        }
        let expected = Set(sources.map(\.key))
        for (canonical, name) in stored.sorted(by: { $0.key < $1.key }) where !expected.contains(canonical) {
            throw BackboneError.unusedWeight(key: name, file: checkpoint.path(of: name))
        }
        var result: [String: Tensor] = [:]
        for source in sources {
            let name = stored[source.key]!
            let file = checkpoint.files[name]!
            let shape = try file.shape(of: name)
            guard shape == source.shape else {
                throw BackboneError.shapeMismatch(key: name, file: file.url.path, expected: source.shape, found: shape)
            }
            for (path, value) in source.convert(try file.tensor(named: name)) { result[path] = value }
        }
        return result
    }
}
