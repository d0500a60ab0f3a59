import XCTest
import Foundation
@testable import TSFC
import TSFCTestSupport

/// Time-LLM adapter: shapes and oracles of each module, the prompt, frozen-backbone training,
/// learning, and the bundle round trip.
final class TimeLLMTests: XCTestCase {
    /// The shared tokenizer fixture folder (TSFCTestSupport).
    func fixtures() -> URL { SharedFixtures.tokenizer }

    func makeTokenizer() throws -> BPETokenizer {
        try BPETokenizer(tokenizerJSON: fixtures().appendingPathComponent("tokenizer.json"))
    }

    /// A random 600-token decoder standing in for a pretrained one (the fixture tokenizer has 600 tokens).
    func makeDecoder(seed: UInt64 = 11, positions: Int = 512) throws -> CausalDecoder {
        var rng = SeededGenerator(seed: seed)
        return try CausalDecoder(configuration: .scratch(layers: 2, width: 16, heads: 2, vocab: 600, maxPositions: positions),
                                 using: &rng)
    }

    func settings(l: Int = 32, h: Int = 8, prompt: Bool) -> TimeLLMSettings {
        var s = TimeLLMSettings(contextLength: l, horizon: h)
        s.patchWidth = 8
        s.heads = 2
        s.keyWidth = 4
        s.prototypes = 10
        s.headChannels = 16
        s.dropout = 0
        s.section.prompt = prompt
        s.maxPromptTokens = 256
        return s
    }

    // MARK: - Modules against naive oracles

    func testPatchingPadsTheEndByReplicationAndCountsLikeTheReference() {
        let p = Patching(length: 16, stride: 8)
        XCTAssertEqual(p.count(contextLength: 512), 64)                 // int((512 − 16)/8 + 2)
        XCTAssertEqual(p.count(contextLength: 32), 4)
        let x = Tensor(shape: [1, 32], scalars: (0..<32).map { Float($0) })
        let patches = p(x)
        XCTAssertEqual(patches.shape, [1, 4, 16])
        XCTAssertEqual(Array(patches.scalars[0..<16]), (0..<16).map { Float($0) })
        XCTAssertEqual(Array(patches.scalars[48..<64]), (24..<32).map { Float($0) } + [Float](repeating: 31, count: 8))
    }

    func testPatchEmbeddingIsACircularConvolutionOverPatches() {
        var rng = SeededGenerator(seed: 1)
        let emb = PatchEmbedding(patchLength: 3, width: 4, dropout: 0, using: &rng)
        let x = Tensor.randomNormal([2, 5, 3], using: &rng)            // [B, P, len]
        let y = emb(x)
        XCTAssertEqual(y.shape, [2, 5, 4])
        let w = emb.weight.value.scalars, xs = x.scalars
        for b in 0..<2 { for p in 0..<5 { for o in 0..<4 {
            var acc: Float = 0
            for c in 0..<3 { for k in 0..<3 {
                let q = (p + k - 1 + 5) % 5                            // wrap-around neighbour
                acc += w[(o * 3 + c) * 3 + k] * xs[(b * 5 + q) * 3 + c]
            } }
            XCTAssertEqual(y.scalars[(b * 5 + p) * 4 + o], acc, accuracy: 1e-5)
        } } }
    }

    func testPrototypesAreALinearMapOfTheVocabulary() {
        var rng = SeededGenerator(seed: 2)
        let protos = TextPrototypes(vocabulary: 7, count: 3, using: &rng)
        let table = Tensor.randomNormal([7, 5], using: &rng)
        let out = protos(table)
        XCTAssertEqual(out.shape, [3, 5])
        let w = protos.weight.value.scalars, bias = protos.bias.value.scalars, e = table.scalars
        for s in 0..<3 { for d in 0..<5 {
            let expected = (0..<7).reduce(bias[s]) { $0 + w[s * 7 + $1] * e[$1 * 5 + d] }
            XCTAssertEqual(out.scalars[s * 5 + d], expected, accuracy: 1e-5)
        } }
    }

    func testReprogrammingMatchesNaiveMultiHeadCrossAttention() {
        var rng = SeededGenerator(seed: 3)
        let layer = ReprogrammingLayer(patchWidth: 4, backboneWidth: 6, heads: 2, keyWidth: 3, dropout: 0.1, using: &rng)
        layer.eval()
        let patches = Tensor.randomNormal([2, 5, 4], using: &rng)       // [B, P, d]
        let source = Tensor.randomNormal([7, 6], using: &rng)           // [S, D]
        let out = layer(patches: patches, prototypes: source)
        XCTAssertEqual(out.shape, [2, 5, 6])
        let weights = layer.attentionWeights(patches: patches, prototypes: source)
        XCTAssertEqual(weights.shape, [2, 2, 5, 7])
        // Naive: per sample, head and patch, softmax(q·k/√dk) over the 7 prototypes, then Σ a·v.
        let q = layer.query(patches).scalars, k = layer.key(source).scalars, v = layer.value(source).scalars
        var merged = [Float](repeating: 0, count: 2 * 5 * 6)
        for b in 0..<2 { for p in 0..<5 { for h in 0..<2 {
            var scores = (0..<7).map { s in
                (0..<3).reduce(Float(0)) { $0 + q[(b * 5 + p) * 6 + h * 3 + $1] * k[s * 6 + h * 3 + $1] } / Float(3).squareRoot()
            }
            let m = scores.max()!
            scores = scores.map { Foundation.exp($0 - m) }
            let z = scores.reduce(0, +)
            for s in 0..<7 {
                XCTAssertEqual(weights.scalars[((b * 2 + h) * 5 + p) * 7 + s], scores[s] / z, accuracy: 1e-5)
                for c in 0..<3 { merged[(b * 5 + p) * 6 + h * 3 + c] += scores[s] / z * v[s * 6 + h * 3 + c] }
            }
        } } }
        let expected = layer.output(Tensor(shape: [2, 5, 6], scalars: merged))
        XCTAssertLessThan(out.maxAbsDifference(expected), 1e-5)
    }

    func testHeadFlattensChannelMajorAndKeepsTheFirstChannels() {
        var rng = SeededGenerator(seed: 4)
        let head = FlattenHead(channels: 2, positions: 3, horizon: 4, dropout: 0, using: &rng)
        let hidden = Tensor.randomNormal([1, 3, 5], using: &rng)          // [B, P, D]
        let flat = (0..<2).flatMap { c in (0..<3).map { p in hidden.scalars[p * 5 + c] } }   // index c·P + p
        let expected = head.linear(Tensor(shape: [1, 6], scalars: flat))
        XCTAssertLessThan(head(hidden).maxAbsDifference(expected), 1e-6)
    }

    // MARK: - Prompt

    func testAutocorrelationByFFTMatchesTheNaiveSum() {
        var rng = SeededGenerator(seed: 5)
        for n in [1, 2, 37, 100, 128] {
            let x = (0..<n).map { _ in Double(rng.nextNormal()) }
            let fast = FFT.autocorrelation(x)
            for k in 0..<n {
                let naive = (0..<(n - k)).reduce(0.0) { $0 + x[$1] * x[$1 + k] }
                XCTAssertEqual(fast[k], naive, accuracy: 1e-9 * Double(n))
            }
        }
    }

    func testPromptReportsTheExactStatisticsAndLags() {
        // A period-12 wave plus a slow ramp and a fixed noise pattern, 96 points.
        var rng = SeededGenerator(seed: 6)
        let series: [Float] = (0..<96).map { t in
            Float(sin(2 * Double.pi * Double(t) / 12)) + 0.01 * Float(t) + 0.1 * rng.nextNormal()
        }
        let builder = PromptBuilder(description: "Toy data.", contextLength: 96, horizon: 24)
        let text = builder.text(for: series)
        // Independent truth: sorting, the lower median, a naive O(L²) autocorrelation, printf rounding.
        let sorted = series.sorted()
        let mean = series.reduce(0.0) { $0 + Double($1) } / 96
        let centred = series.map { Double($0) - mean }
        let r = (0..<96).map { k in (0..<(96 - k)).reduce(0.0) { $0 + centred[$1] * centred[$1 + k] } }
        let lags = (1..<96).sorted { r[$0] > r[$1] }.prefix(5)
        XCTAssertTrue(lags.contains(12), "\(Array(lags))")
        func f(_ v: Float) -> String { String(format: "%.3f", Double(v)) }
        let expected = "<|start_prompt|>Dataset description: Toy data.Task description: forecast the next 24 steps given the previous 96 steps information; "
            + "Input statistics: min value \(f(sorted[0])), max value \(f(sorted[95])), median value \(f(sorted[47])), "
            + "the trend of input is \(series[95] > series[0] ? "upward" : "downward"), "
            + "top 5 lags are : [\(lags.map(String.init).joined(separator: ", "))]<|<end_prompt>|>"
        XCTAssertEqual(text, expected)
        XCTAssertTrue(text.contains("the trend of input is upward"))
        XCTAssertEqual(PromptBuilder.format(-0.0004), "0.000")
        XCTAssertEqual(PromptBuilder.format(-1.6875), "-1.688")     // exact in binary: half away from zero
        XCTAssertEqual(PromptBuilder.format(12.5), "12.500")
        XCTAssertEqual(PromptBuilder.format(3e30), "\(Float(3e30))")        // no Int64 overflow
    }

    func testModelTokenisesOnePromptPerRowOfTheNormalisedContext() throws {
        var rng = SeededGenerator(seed: 7)
        let decoder = try makeDecoder()
        let tokenizer = try makeTokenizer()
        let model = TimeLLM(settings: settings(prompt: true), backbone: decoder, tokenizer: tokenizer, using: &rng)
        let x = Tensor.randomNormal([3, 32], using: &rng)
        let texts = model.promptTexts(x)
        XCTAssertEqual(texts.count, 3)
        XCTAssertEqual(texts[1], PromptBuilder(contextLength: 32, horizon: 8).text(for: Array(x.scalars[32..<64])))
        XCTAssertEqual(model.promptTokens(x)[2], tokenizer.encode(texts[2]))
        XCTAssertEqual(tokenizer.decode(model.promptTokens(x)[0]), texts[0])
    }

    // MARK: - Model behaviour

    func testForecastOfARowDoesNotDependOnItsBatch() throws {
        // Prompts of different lengths go through the backbone in separate groups; each row's
        // forecast equals the forecast of that row alone, and equals a manual prefix + patches pass.
        var rng = SeededGenerator(seed: 8)
        let decoder = try makeDecoder()
        let model = TimeLLM(settings: settings(prompt: true), backbone: decoder, tokenizer: try makeTokenizer(), using: &rng)
        model.eval()
        let x = Tensor.randomNormal([6, 32], using: &rng) * 3
        let lengths = Set(model.promptTokens(x).map(\.count))
        XCTAssertGreaterThan(lengths.count, 1, "the test needs prompts of different lengths")
        let batched = model(x, backbone: decoder)
        XCTAssertEqual(batched.shape, [6, 8])
        for row in 0..<6 {
            let single = model(x.slice(axis: 0, row..<(row + 1)), backbone: decoder)
            XCTAssertLessThan(single.maxAbsDifference(batched.slice(axis: 0, row..<(row + 1))), 1e-5)
        }
        let row = x.slice(axis: 0, 2..<3)
        let ids = model.promptTokens(row)[0]
        let source = model.prototypes(decoder.tokenEmbeddingTable)
        let patches = model.reprogrammed(row, prototypes: source)
        let sequence = Tensor.concat([decoder.embedTokens(ids, shape: [1, ids.count]), patches], axis: 1)
        let hidden = decoder.hiddenStates(sequence).slice(axis: 1, ids.count..<(ids.count + 4))
        XCTAssertLessThan(model.head(hidden).maxAbsDifference(batched.slice(axis: 0, 2..<3)), 1e-5)
    }

    func testFrozenBackboneIsBitIdenticalAfterAStepAndOnlyAdaptersLearn() throws {
        var rng = SeededGenerator(seed: 9)
        let decoder = try makeDecoder()
        decoder.freeze()
        let before = decoder.parameterDictionary()
        var config = ModelConfiguration()
        config.adapter = .timeLLM
        config.contextLengthPoints = 32
        config.horizon = 8
        let model = TimeLLM(settings: settings(prompt: true), backbone: decoder, tokenizer: try makeTokenizer(), using: &rng)
        let forecaster = TimeLLMForecaster(configuration: config, adapter: model, backbone: decoder)
        let trainable = forecaster.namedParameters().filter { !$0.1.isFrozen }
        XCTAssertFalse(trainable.contains { $0.0.hasPrefix("backbone.") })
        XCTAssertEqual(Set(trainable.map { $0.0.split(separator: ".")[1] }),
                       ["patchEmbedding", "prototypes", "reprogramming", "head"])
        let adapterBefore = Dictionary(uniqueKeysWithValues: trainable.map { ($0.0, $0.1.value.scalars) })
        let windows = Tensor.randomNormal([4, 40], using: &rng)
        let params = forecaster.parameters()
        _ = TSFCNN.valueAndGradient(for: params) { forecaster.loss(windows: windows, marks: nil) }
        for (name, p) in trainable {
            let g = try XCTUnwrap(p.gradient, name)
            XCTAssertGreaterThan(g.scalars.map(abs).max()!, 0, "\(name) got no gradient")
        }
        Adam(learningRate: 1e-2).step(params)
        for (name, value) in decoder.parameterDictionary() {
            XCTAssertEqual(value.scalars, before[name]!.scalars, "backbone \(name) changed")
        }
        for (name, p) in trainable { XCTAssertNotEqual(p.value.scalars, adapterBefore[name]!, "\(name) did not move") }
    }

    func testMappingGradientMatchesFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 10)
        let decoder = try makeDecoder()
        decoder.freeze()
        let model = TimeLLM(settings: settings(prompt: true), backbone: decoder, tokenizer: try makeTokenizer(), using: &rng)
        model.eval()
        let x = Tensor.randomNormal([2, 32], using: &rng)
        let target = Tensor.randomNormal([2, 8], using: &rng)
        let w = model.prototypes.weight
        let (_, grads) = TSFCNN.valueAndGradient(for: [w]) { Loss.meanSquaredError(model(x, backbone: decoder), target) }
        for index in [0, 1234, 5999] {
            let saved = w.value
            var plus = saved.scalars, minus = saved.scalars
            plus[index] += 1e-2; minus[index] -= 1e-2
            w.value = Tensor(shape: saved.shape, scalars: plus); let fp = Loss.meanSquaredError(model(x, backbone: decoder), target).item
            w.value = Tensor(shape: saved.shape, scalars: minus); let fm = Loss.meanSquaredError(model(x, backbone: decoder), target).item
            w.value = saved
            let numeric = (fp - fm) / 2e-2
            XCTAssertEqual(grads[0].scalars[index], numeric, accuracy: 2e-3 + 0.05 * abs(numeric))
        }
    }

    func testTinyModelOverfitsASine() throws {
        var config = ModelConfiguration()
        config.adapter = .timeLLM
        config.contextLengthPoints = 32
        config.horizon = 8
        config.backbone.layers = 1
        config.backbone.width = 16
        config.backbone.heads = 2
        config.backbone.dropout = 0
        config.timeLLM.patchWidth = 8
        config.timeLLM.heads = 2
        config.timeLLM.keyWidth = 8
        config.timeLLM.prototypes = 16
        config.timeLLM.dropout = 0
        config.timeLLM.prompt = false
        let forecaster = try ModelFactory.makeTimeLLM(config, seed: 1)
        // 16 windows of a period-10 sine at different phases.
        let windows = Tensor(shape: [16, 40], scalars: (0..<16).flatMap { w in
            (0..<40).map { t in Float(sin(2 * Double.pi * Double(t + 3 * w) / 10)) }
        })
        let optimizer = Adam(learningRate: 3e-3)
        let params = forecaster.trainableParameters()
        let first = forecaster.loss(windows: windows, marks: nil).item
        var last = first
        for _ in 0..<150 {
            last = TSFCNN.valueAndGradient(for: params) { forecaster.loss(windows: windows, marks: nil) }.value.item
            optimizer.step(params)
        }
        XCTAssertLessThan(last, 0.01 * first, "loss \(first) → \(last)")
        XCTAssertLessThan(last, 5e-3)
    }

    func testRolloutSlidesTheWindowByTheHeadsHorizon() throws {
        var config = ModelConfiguration()
        config.adapter = .timeLLM
        config.contextLengthPoints = 32
        config.horizon = 8
        config.backbone.layers = 1
        config.backbone.width = 16
        config.backbone.heads = 2
        config.timeLLM.prototypes = 8
        config.timeLLM.patchWidth = 8
        config.timeLLM.keyWidth = 4
        config.timeLLM.heads = 2
        let forecaster = try ModelFactory.makeTimeLLM(config, seed: 2)
        forecaster.eval()
        var rng = SeededGenerator(seed: 12)
        let x = Tensor.randomNormal([2, 32], using: &rng)
        let f = forecaster.forecast(context: x, horizon: 20)
        XCTAssertEqual(f.shape, [2, 20])
        var window = x, manual: [Tensor] = []
        for _ in 0..<3 {
            let p = forecaster.predict(window)
            manual.append(p)
            window = Tensor.concat([window.slice(axis: 1, 8..<32), p], axis: 1)
        }
        XCTAssertLessThan(Tensor.concat(manual, axis: 1).slice(axis: 1, 0..<20).maxAbsDifference(f), 1e-5)
        // Instance normalisation: shifting and scaling the context shifts and scales the forecast.
        let g = forecaster.forecast(context: x * 2 + 7, horizon: 8)
        XCTAssertLessThan((forecaster.forecast(context: x, horizon: 8) * 2 + 7).maxAbsDifference(g), 1e-3)
    }

    // MARK: - Factory, configuration, bundles

    func testScratchBackboneGetsAByteVocabularyAndRoomForThePrompt() throws {
        var config = ModelConfiguration()
        config.adapter = .timeLLM
        config.contextLengthPoints = 64
        config.horizon = 16
        config.backbone.layers = 1
        config.backbone.width = 16
        config.backbone.heads = 2
        let withPrompt = try ModelFactory.makeTimeLLM(config, seed: 3)
        let dc = try XCTUnwrap(withPrompt.decoderConfiguration)
        XCTAssertEqual(dc.vocab, 256)
        XCTAssertEqual(dc.maxPositions, 512 + 8)
        XCTAssertTrue(withPrompt.adapter.tokenizer is ByteTokenizer)
        XCTAssertEqual(withPrompt.adapter.prototypes.weight.shape, [1000, 256])
        config.timeLLM.prompt = false
        let without = try ModelFactory.makeTimeLLM(config, seed: 3)
        XCTAssertEqual(without.decoderConfiguration?.maxPositions, 8)
        XCTAssertNil(without.adapter.tokenizer)
    }

    func testConfigurationSectionParsesAndIsValidated() throws {
        let yaml = """
        model:
          adapter: time-llm
          context_length: 64
          horizon: 16
          time_llm:
            patch_length: 8
            stride: 4
            prototypes: 50
            prompt: false
            description: Hourly load.
        """
        let c = try ConfigurationLoader.load(yaml: yaml, file: "t.yaml")
        XCTAssertEqual(c.model.timeLLM.patchLength, 8)
        XCTAssertEqual(c.model.timeLLM.prototypes, 50)
        XCTAssertEqual(c.model.timeLLM.description, "Hourly load.")
        XCTAssertFalse(c.model.timeLLM.prompt)
        XCTAssertEqual(c.model.timeLLM.keyWidth, 128)
        for (bad, key) in [("time_llm: {prototypes: 0}", "model.time_llm.prototypes"),
                           ("time_llm: {dropout: 1.5}", "model.time_llm.dropout"),
                           ("backbone: {kind: none}", "model.backbone.kind")] {
            let text = "model:\n  adapter: time-llm\n  \(bad)\n"
            XCTAssertThrowsError(try ConfigurationLoader.load(yaml: text, file: "t.yaml")) { error in
                XCTAssertTrue("\(error)".contains(key), "\(error)")
            }
        }
    }

    func testPretrainedBackboneReadsItsTokenizerAndBundlesRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-timellm-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A "pretrained" directory: the random 600-token decoder's weights + the fixture tokenizer.
        var drng = SeededGenerator(seed: 13)
        let decoder = try CausalDecoder(configuration: .scratch(style: .llama, layers: 1, width: 16, heads: 2, vocab: 600),
                                        using: &drng)
        try writeLlamaCheckpoint(decoder, to: folder)
        try FileManager.default.copyItem(at: fixtures().appendingPathComponent("tokenizer.json"),
                                         to: folder.appendingPathComponent("tokenizer.json"))
        var run = RunConfiguration()
        run.model.adapter = .timeLLM
        run.model.contextLengthPoints = 32
        run.model.horizon = 8
        run.model.backbone.kind = .pretrained
        run.model.backbone.path = folder.path
        run.model.timeLLM.prototypes = 20
        run.model.timeLLM.keyWidth = 8
        let model = try ModelFactory.makeModel(run.model, seed: 5)
        let forecaster = try XCTUnwrap(model as? TimeLLMForecaster)
        XCTAssertTrue(forecaster.adapter.tokenizer is BPETokenizer)
        XCTAssertTrue(forecaster.backbone.parameters().allSatisfy(\.isFrozen))
        // Move the adapters away from their initial values so the round trip is not trivial.
        var rng = SeededGenerator(seed: 6)
        for p in forecaster.trainableParameters() { p.value = p.value + Tensor.randomNormal(p.shape, standardDeviation: 0.01, using: &rng) }
        forecaster.eval()
        let x = Tensor.randomNormal([3, 32], using: &rng)
        let expected = forecaster.forecast(context: x, horizon: 20)
        let url = folder.appendingPathComponent("m.tsfc")
        let metadata = BundleMetadata(configuration: run, columns: ["x"], mean: [0], std: [1], frequencySeconds: nil,
                                      trainingSteps: 0, trainingSeconds: 0, bestValidationLoss: 0,
                                      backbone: forecaster.decoderConfiguration)
        try ModelBundle.write(forecaster, metadata: metadata, to: url)
        let (loaded, _) = try ModelBundle.loadForecaster(contentsOf: url)
        XCTAssertTrue(loaded is TimeLLMForecaster)
        XCTAssertEqual(loaded.forecast(context: x, horizon: 20).scalars, expected.scalars)
    }

    func testPretrainedBackboneWithoutAMatchingTokenizerIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-timellm-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var drng = SeededGenerator(seed: 14)
        // 300 tokens: fewer than the fixture tokenizer's 600.
        let decoder = try CausalDecoder(configuration: .scratch(style: .llama, layers: 1, width: 16, heads: 2, vocab: 300),
                                        using: &drng)
        try writeLlamaCheckpoint(decoder, to: folder)
        let yaml = "model:\n  adapter: time-llm\n  context_length: 32\n  horizon: 8\n  backbone: {kind: pretrained, path: \(folder.path)}\n"
        // No tokenizer beside the weights: the configuration is refused, naming the fix.
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("model.time_llm.prompt") && "\(error)".contains("prompt: false"), "\(error)")
        }
        var config = try ConfigurationLoader.load(yaml: yaml + "  time_llm: {prompt: false, prototypes: 4}\n", file: "t.yaml").model
        XCTAssertNil(try ModelFactory.makeTimeLLM(config, seed: 1).adapter.tokenizer)
        // A tokenizer with more tokens than the decoder: a build error, not a crash.
        try FileManager.default.copyItem(at: fixtures().appendingPathComponent("tokenizer.json"),
                                         to: folder.appendingPathComponent("tokenizer.json"))
        config.timeLLM.prompt = true
        XCTAssertThrowsError(try ModelFactory.makeTimeLLM(config, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("600 tokens but the decoder only 300"), "\(error)")
        }
    }

    /// Writes `decoder` as a Hugging Face LLaMA directory (tsfc-format config.json, HF weight names).
    func writeLlamaCheckpoint(_ decoder: CausalDecoder, to folder: URL) throws {
        try JSONEncoder().encode(decoder.configuration).write(to: folder.appendingPathComponent("config.json"))
        let renames = [("tokenEmbedding", "embed_tokens"), ("finalNorm", "norm"), ("blocks.", "layers."),
                       ("attentionNorm", "input_layernorm"), ("mlpNorm", "post_attention_layernorm"),
                       ("attention.query", "self_attn.q_proj"), ("attention.key", "self_attn.k_proj"),
                       ("attention.value", "self_attn.v_proj"), ("attention.output", "self_attn.o_proj"),
                       ("mlp.gate", "mlp.gate_proj"), ("mlp.up", "mlp.up_proj"), ("mlp.down", "mlp.down_proj")]
        var tensors: [String: Tensor] = [:]
        for (name, value) in decoder.parameterDictionary() {
            var hf = name
            for (a, b) in renames { hf = hf.replacingOccurrences(of: a, with: b) }
            tensors["model." + hf] = value
        }
        try Safetensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"), metadata: [:])
    }
}
