// patch-quantile-step: forward + backward + AdamW step of the zero-shot patch quantile decoder
// at several sizes and context lengths (what one pretraining step costs), and forecast speed.
// Usage: tsfc-bench patch-quantile-step [--batch B] [--steps N]
import Foundation
import TSFCModels
import TSFCNN
import TSFCOptim
import TSFCTensor

func runPatchQuantileBench(_ args: [String]) throws {
    var batch = 64, steps = 5
    var i = 1
    while i < args.count {
        if args[i] == "--batch", i + 1 < args.count, let v = Int(args[i + 1]) { batch = v; i += 1 }
        else if args[i] == "--steps", i + 1 < args.count, let v = Int(args[i + 1]) { steps = v; i += 1 }
        i += 1
    }
    let shapes = [Shape(layers: 2, width: 64, heads: 4), Shape(layers: 4, width: 128, heads: 4),
                  Shape(layers: 4, width: 192, heads: 6), Shape(layers: 6, width: 256, heads: 8)]
    for s in shapes {
        var config = ModelConfiguration()
        config.adapter = .patchQuantile
        config.backbone.layers = s.layers
        config.backbone.width = s.width
        config.backbone.heads = s.heads
        config.backbone.dropout = 0
        let model = try PatchQuantileModel(configuration: config, seed: 1)
        model.train()
        let optimizer = AdamW(learningRate: 1e-3, weightDecay: 0.01)
        let parameters = model.parameters()
        var rng = SeededGenerator(seed: 3)
        for tokens in [8, 32, 64] {
            let points = tokens * config.patchQuantile.patchLength
            let histories = (0..<batch).map { _ in (0..<points).map { _ in Float.random(in: -1...1, using: &rng) } }
            let targets = (0..<batch).map { _ in (0..<config.patchQuantile.outputLength).map { _ in Float.random(in: -1...1, using: &rng) } }
            let t = timeit(warmup: 1, repeats: steps) {
                _ = valueAndGradient(for: parameters) { model.pinballLoss(histories: histories, targets: targets) }
                optimizer.step(parameters)
            }
            emitValues([("bench", "patch-quantile-step"), ("layers", s.layers), ("width", s.width), ("batch", batch),
                        ("tokens", tokens), ("params", model.parameterCount()), ("step_s", t),
                        ("series_per_s", Double(batch) / t)])
        }
    }
}
