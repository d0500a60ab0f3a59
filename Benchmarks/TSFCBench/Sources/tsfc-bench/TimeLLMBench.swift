// tsfc-bench timellm-train: training steps of Time-LLM and AutoTimes on the same frozen
// GPT-2-shaped decoder (vocabulary 50257, as GPT-2's token table), batch B, timed in one process.
// Time-LLM: L = 512, H = 96, patches 16/8 (64 tokens), d_model 32, 8 heads × 128, 1000
// prototypes, dropout 0.1, Adam; without the prompt, and with the prompt as UTF-8 bytes (a BPE
// tokenizer would give about a third as many tokens). AutoTimes: the autotimes-train step
// (672 + 96 points, MLP 96-512-D in and out). Also the prototype map alone (S·V·D MACs per step).
import TSFC
import TSFCModels
import TSFCBackbone
import TSFCNN
import TSFCOptim
import TSFCTensor

func runTimeLLMTrainBench(shape: Shape, configName: String, repeats: Int, batch b: Int, rate: Double) throws {
    let decoder = try scratchDecoder(shape, dropout: 0.1)
    decoder.freeze()
    var rng = SeededGenerator(seed: 5)
    for prompt in [false, true] {
        var config = ModelConfiguration()
        config.adapter = .timeLLM
        config.contextLengthPoints = 512
        config.horizon = 96
        config.timeLLM.prompt = prompt
        let settings = TimeLLMSettings(contextLength: 512, horizon: 96, section: config.timeLLM)
        let model = TimeLLM(settings: settings, backbone: decoder, tokenizer: prompt ? ByteTokenizer() : nil, using: &rng)
        let forecaster = TimeLLMForecaster(configuration: config, adapter: model, backbone: decoder)
        let windows = Tensor.randomNormal([b, 512 + 96], using: &rng)
        let params = forecaster.trainableParameters()
        let adam = Adam(learningRate: 1e-3)
        forecaster.train()
        let step = timeit(warmup: 1, repeats: repeats) {
            _ = TSFCNN.valueAndGradient(for: params) { forecaster.loss(windows: windows, marks: nil) }
            adam.step(params)
        }
        let promptTokens = prompt ? model.promptTokens(windows.slice(axis: 1, 0..<512)).map(\.count) : [0]
        let meanPrompt = Double(promptTokens.reduce(0, +)) / Double(promptTokens.count)
        forecaster.eval()
        let context = windows.slice(axis: 1, 0..<512)
        let infer = timeit(warmup: 1, repeats: repeats) { _ = forecaster.forecast(context: context, horizon: 96) }
        emitValues([("bench", "timellm"), ("impl", "tsfc"), ("config", configName), ("phase", "train"),
                    ("prompt", prompt ? "bytes" : "none"), ("batch", b), ("prompt_tokens_mean", meanPrompt),
                    ("patch_tokens", settings.patchCount), ("trainable_params", forecaster.parameterCount(trainableOnly: true)),
                    ("step_ms", step * 1e3), ("series_windows_per_s", Double(b) / step),
                    ("infer_h96_ms", infer * 1e3), ("sgemm_gflops", rate), ("peak_rss_mib", peakRSSMiB())])
    }
    // The prototype map alone: forward + weight gradient, [1000, V]·[V, D].
    let protos = TextPrototypes(vocabulary: decoder.configuration.vocab, count: 1000, using: &rng)
    let protoStep = timeit(warmup: 1, repeats: repeats) {
        _ = TSFCNN.valueAndGradient(for: protos.parameters()) { protos(decoder.tokenEmbeddingTable).sum() }
    }
    let protoFlops = 2 * 2 * 1000 * Double(decoder.configuration.vocab) * Double(shape.width)
    emitValues([("bench", "timellm"), ("impl", "tsfc"), ("config", configName), ("phase", "prototypes_fwd_bwd"),
                ("vocab", decoder.configuration.vocab), ("ms", protoStep * 1e3), ("gflops", protoFlops / protoStep / 1e9)])
    // AutoTimes on the same decoder and batch.
    var config = ModelConfiguration()
    config.embeddingHidden = 512
    config.embeddingDropout = 0.1
    var arng = SeededGenerator(seed: 6)
    let adapter = AutoTimesAdapter(segmentLength: 96, width: shape.width, hidden: 512, activation: .tanh,
                                   dropout: 0.1, using: &arng)
    let autotimes = Forecaster(configuration: config, adapter: adapter, backbone: decoder)
    let windows = Tensor.randomNormal([b, 672 + 96], using: &arng)
    let params = autotimes.trainableParameters()
    let adam = Adam(learningRate: 0.002)
    autotimes.train()
    let step = timeit(warmup: 1, repeats: repeats) {
        _ = TSFCNN.valueAndGradient(for: params) { autotimes.loss(windows: windows) }
        adam.step(params)
    }
    emitValues([("bench", "autotimes"), ("impl", "tsfc"), ("config", configName), ("phase", "train"), ("batch", b),
                ("trainable_params", autotimes.parameterCount(trainableOnly: true)),
                ("step_ms", step * 1e3), ("series_windows_per_s", Double(b) / step), ("sgemm_gflops", rate)])
}
