// Model benchmarks of tsfc-bench: the shared backbone (issue 4) and the AutoTimes forecaster
// (issue 5), shaped like the PyTorch peers (Benchmarks/torch_backbone_bench.py and
// shared/peers/torch_autotimes_bench.py) so the two can be interleaved in one run.
// Prints one JSON object per line.
#if canImport(Glibc)
import Glibc
#endif
import TSFC
import TSFCBackbone
import TSFCNN
import TSFCOptim
import TSFCTensor

/// Median seconds of `body` over `repeats` runs after `warmup` runs.
func timeit(warmup: Int, repeats: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    return median(times)
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Median GFLOP/s of a square sgemm of size n through `MatmulKernel` (the reference rate).
func sgemmRate(n: Int = 512) -> Double {
    var rng = SeededGenerator(seed: 1)
    let a = Tensor.randomNormal([n, n], using: &rng), b = Tensor.randomNormal([n, n], using: &rng)
    let t = timeit(warmup: 2, repeats: 7) { _ = a.matmul(b) }
    return 2 * Double(n * n * n) / t / 1e9
}

func emitValues(_ pairs: [(String, Any)]) {
    func enc(_ v: Any) -> String {
        switch v {
        case let s as String: return "\"\(s)\""
        case let d as Double: return d.isFinite ? String((d * 1e4).rounded() / 1e4) : "null"
        default: return "\(v)"
        }
    }
    print("{" + pairs.map { "\"\($0.0)\": \(enc($0.1))" }.joined(separator: ", ") + "}")
}

struct Shape { let layers: Int, width: Int, heads: Int }
let shapes = ["small": Shape(layers: 4, width: 256, heads: 4), "full": Shape(layers: 12, width: 768, heads: 12)]

/// Forward FLOPs of a GPT-2 decoder over `tokens` tokens with attention spans `keys` per query
/// (QKV + output + MLP sgemms, plus the two attention products).
func decoderFlops(_ s: Shape, tokens: Int, keysPerQuery: Double) -> Double {
    let d = Double(s.width), l = Double(s.layers)
    return l * (2 * Double(tokens) * 12 * d * d + 4 * Double(tokens) * keysPerQuery * d)
}


func scratchDecoder(_ s: Shape, dropout: Float) throws -> CausalDecoder {
    var rng = SeededGenerator(seed: 0)
    // GPT-2 style, 1024 positions and a 50257-row token table as GPT2Model has (unused here).
    return try CausalDecoder(configuration: .scratch(style: .gpt2, layers: s.layers, width: s.width, heads: s.heads,
                                                     vocab: 50257, maxPositions: 1024, dropout: dropout), using: &rng)
}

/// Runs `tsfc-bench backbone|autotimes-train|autotimes-infer|timellm-train [--config small|full] [--repeats N]`.
func runModelBench(_ args: [String]) throws {
    func option(_ name: String, _ fallback: String) -> String {
        if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
        return fallback
    }
    let mode = args.first ?? "backbone"
    let configName = option("--config", "small")
    let repeats = Int(option("--repeats", "5")) ?? 5
    guard let shape = shapes[configName] else {
        print("--config must be small or full")
        exit(2)
    }
    let rate = sgemmRate()
    switch mode {
    case "backbone":
        // Frozen decoder, B = 32, N = 7: forward; forward + backward to the inputs; cached decode.
        let decoder = try scratchDecoder(shape, dropout: 0)
        decoder.freeze()
        decoder.eval()
        var rng = SeededGenerator(seed: 2)
        let b = 32, n = 7
        let x = Tensor.randomNormal([b, n, shape.width], using: &rng)
        let w = Tensor.randomNormal([b, n, shape.width], using: &rng)
        let fwd = timeit(warmup: 2, repeats: repeats) { _ = withoutGradients { decoder(embeddings: x) } }
        let fwdBwd = timeit(warmup: 2, repeats: repeats) { _ = decoder.inputGradient(embeddings: x, outputGradient: w) }
        let flops = decoderFlops(shape, tokens: b * n, keysPerQuery: Double(n + 1) / 2)
        // Backward to the inputs only: the data gradients cost one more forward's worth of sgemm.
        emitValues([("bench", "backbone"), ("impl", "tsfc"), ("config", configName), ("phase", "forward"), ("batch", b), ("tokens", n),
              ("ms", fwd * 1e3), ("gflops", flops / fwd / 1e9), ("sgemm_gflops", rate)])
        emitValues([("bench", "backbone"), ("impl", "tsfc"), ("config", configName), ("phase", "forward_backward_input"), ("batch", b),
              ("tokens", n), ("ms", fwdBwd * 1e3), ("gflops", 2 * flops / fwdBwd / 1e9), ("sgemm_gflops", rate)])
        let newTokens = (0..<8).map { _ in Tensor.randomNormal([b, 1, shape.width], using: &rng) }
        let decode = timeit(warmup: 1, repeats: repeats) {
            withoutGradients {
                let cache = KVCache(reservingCapacity: 15)
                _ = decoder(embeddings: x, cache: cache)
                for t in newTokens { _ = decoder(embeddings: t, cache: cache) }
            }
        }
        let decodeFlops = flops + (0..<8).map { decoderFlops(shape, tokens: b, keysPerQuery: Double(n + 1 + $0)) }.reduce(0, +)
        emitValues([("bench", "backbone"), ("impl", "tsfc"), ("config", configName), ("phase", "cached_decode_7+8"), ("batch", b),
              ("ms", decode * 1e3), ("gflops", decodeFlops / decode / 1e9), ("sgemm_gflops", rate), ("peak_rss_mib", peakRSSMiB())])

    case "autotimes-train", "autotimes-infer":
        // The torch peer's AutoTimes step: MLP(96-512-D, tanh, dropout 0.1) in and out, frozen GPT-2
        // shaped decoder (dropout 0.1, train mode), next-segment MSE at all 7 positions, Adam lr 0.002.
        var config = ModelConfiguration()
        config.embeddingHidden = 512
        config.embeddingDropout = 0.1
        config.backbone.kind = .scratch
        config.backbone.layers = shape.layers
        config.backbone.width = shape.width
        config.backbone.heads = shape.heads
        config.backbone.dropout = 0.1
        let model = try ModelFactory.makeForecaster(config, seed: 0)
        model.backbone.freeze()
        var rng = SeededGenerator(seed: 3)
        if mode == "autotimes-train" {
            let b = Int(option("--batch", "32")) ?? 32
            let windows = Tensor.randomNormal([b, 672 + 96], using: &rng)
            let params = model.trainableParameters()
            let adam = Adam(learningRate: 0.002)
            model.train()
            let step = timeit(warmup: 2, repeats: max(repeats, 10)) {
                _ = TSFCNN.valueAndGradient(for: params) { model.loss(windows: windows) }
                adam.step(params)
            }
            let tokens = b * 7
            // Decoder: forward + input gradient (2×); segment MLPs: forward + both gradients (3×).
            let mlpFlops = 2 * Double(tokens) * Double(2 * (96 * 512 + 512 * shape.width))
            let flops = 2 * decoderFlops(shape, tokens: tokens, keysPerQuery: 4) + 3 * mlpFlops
            emitValues([("bench", "autotimes"), ("impl", "tsfc"), ("config", configName), ("phase", "train"), ("batch", b),
                  ("step_ms", step * 1e3), ("series_windows_per_s", Double(b) / step), ("gflops", flops / step / 1e9),
                  ("sgemm_gflops", rate), ("peak_rss_mib", peakRSSMiB())])
        } else {
            model.eval()
            for b in [7, 32] {
                let context = Tensor.randomNormal([b, 672], using: &rng)
                for (h, m) in [(96, RolloutMode.renormalize), (720, .renormalize), (720, .cached)] {
                    let t = timeit(warmup: 1, repeats: repeats) { _ = model.forecast(context: context, horizon: h, mode: m) }
                    let steps = (h + 95) / 96
                    let tokens = m == .renormalize ? Double(b * 7 * steps) : Double(b * (7 + steps - 1))
                    let flops = decoderFlops(shape, tokens: Int(tokens), keysPerQuery: 4) + 2 * tokens * Double(2 * (96 * 512 + 512 * shape.width))
                    emitValues([("bench", "autotimes"), ("impl", "tsfc"), ("config", configName), ("phase", "infer"), ("batch", b),
                          ("horizon", h), ("mode", m == .renormalize ? "slide" : "grow_kvcache"), ("ms", t * 1e3),
                          ("series_windows_per_s", Double(b) / t), ("gflops", flops / t / 1e9), ("sgemm_gflops", rate),
                          ("peak_rss_mib", peakRSSMiB())])
                }
            }
        }
    case "timellm-train":
        try runTimeLLMTrainBench(shape: shape, configName: configName, repeats: repeats,
                                 batch: Int(option("--batch", "32")) ?? 32, rate: rate)
    default:
        print("usage: tsfc-bench backbone|autotimes-train|autotimes-infer|timellm-train [--config small|full] [--repeats N]")
        exit(2)
    }
}
