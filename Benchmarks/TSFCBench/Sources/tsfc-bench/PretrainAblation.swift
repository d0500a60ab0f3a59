// pretrain-ablation: the held-out validation slice of the pretraining corpus (never M3 or other
// evaluation data), forecast by a pretrained patch-quantile bundle, by the Theta method, by
// their blends and by seasonal naive — how the ensemble weight of the shipped default is chosen.
// Usage: tsfc-bench pretrain-ablation --model B.tsfc [--count N] [--data Data]
//    or: tsfc-bench pretrain-ablation --checkpoint RUN/checkpoint.safetensors --config RUN/config.yaml
//          [--write-bundle B.tsfc]   (a running pretraining's best weights so far)
// Prints per-frequency-group and overall relative MASE (geometric mean over groups of mean MASE
// ÷ seasonal naive's), the M3 competition's protocol applied to corpus series.
import Foundation
import TSFC

func runPretrainAblation(_ args: [String]) throws {
    var modelPath = "Data/models/default.tsfc", count = 600, dataRoot = "Data"
    var checkpoint: String?, configPath: String?, writeBundle: String?, maxHistory = Int.max
    var i = 1
    while i + 1 < args.count {
        switch args[i] {
        case "--model": modelPath = args[i + 1]
        case "--count": count = Int(args[i + 1]) ?? count
        case "--data": dataRoot = args[i + 1]
        case "--checkpoint": checkpoint = args[i + 1]
        case "--config": configPath = args[i + 1]
        case "--write-bundle": writeBundle = args[i + 1]
        case "--max-history": maxHistory = Int(args[i + 1]) ?? maxHistory
        default: break
        }
        i += 2
    }
    let model: PatchQuantileModel, metadata: BundleMetadata
    if let checkpoint, let configPath {
        let configuration = try ConfigurationLoader.load(contentsOf: URL(fileURLWithPath: configPath))
        model = try PatchQuantileModel(configuration: configuration.model, seed: configuration.seed)
        let tensors = try Safetensors.read(contentsOf: URL(fileURLWithPath: checkpoint))
        var best: [String: Tensor] = [:]
        for (k, v) in tensors where k.hasPrefix("best.") { best[String(k.dropFirst(5))] = v }
        try model.load(best)
        model.eval()
        metadata = BundleMetadata(configuration: configuration, columns: [], scaler: StandardScaler(mean: [], std: []),
                                  frequencySeconds: nil, trainingSteps: 0, trainingSeconds: 0, bestValidationLoss: 0,
                                  backbone: model.decoderConfiguration, calendarFeatures: nil)
        if let writeBundle { try ModelBundle.write(model, metadata: metadata, to: URL(fileURLWithPath: writeBundle)) }
    } else {
        let (loaded, stored) = try ModelBundle.loadForecaster(contentsOf: URL(fileURLWithPath: modelPath))
        guard let quantile = loaded as? PatchQuantileModel else { throw PretrainingError(description: "\(modelPath) is not a patch-quantile bundle") }
        (model, metadata) = (quantile, stored)
    }
    let corpus = try PretrainingCorpus(settings: metadata.configuration.corpus, dataRoot: URL(fileURLWithPath: dataRoot))
    // Held-out series: the indices of the validation slice, beyond those the run scored.
    var series: [CorpusSeries] = []
    var index = 0
    while series.count < count {
        if corpus.isValidation(index: index) { series.append(corpus.series(at: index)) }
        index += 1
    }
    func group(_ f: Frequency?) -> (String, Int) {
        guard let f else { return ("other", 8) }
        switch (f.unit, f.multiple) {
        case (.month, 12): return ("yearly", 6)
        case (.month, 3): return ("quarterly", 8)
        case (.month, 1): return ("monthly", 18)
        default: return ("other", 8)
        }
    }
    let weights: [Float] = [0, 0.25, 0.5, 0.75, 1]
    var mase: [String: [String: [Double]]] = [:]
    let started = Date()
    for s in series {
        let (name, h) = group(s.frequency)
        guard s.values.count > h + 4 else { continue }
        let history = Array(s.values.dropLast(h)), truth = Array(s.values.suffix(h)).map(Double.init)
        let m = Baseline.seasonLength(for: s.frequency)
        guard let scale = ForecastMetrics.maseScale(history.map(Double.init), seasonLength: m), scale > 0 else { continue }
        let q = model.forecastQuantiles(histories: [Array(history.suffix(maxHistory))], horizon: h, seasonLengths: [m])[0]
        let median = q[model.medianIndex]
        let theta = ThetaMethod.forecast(history, horizon: h, seasonLength: m)
        let naive = Baseline.seasonalNaive.forecast(history.map(Double.init), horizon: h, seasonLength: m)
        func score(_ f: [Double]) -> Double { zip(f, truth).map { abs($0 - $1) }.reduce(0, +) / Double(h) / scale }
        mase[name, default: [:]]["seasonal_naive", default: []].append(score(naive))
        for w in weights {
            let blend = zip(median, theta).map { Double((1 - w) * $0 + w * $1) }
            mase[name, default: [:]]["theta_weight_\(w)", default: []].append(score(blend))
        }
    }
    let columns = ["seasonal_naive"] + weights.map { "theta_weight_\($0)" }
    print("| group | n | " + columns.joined(separator: " | ") + " |")
    print("|---|---|" + columns.map { _ in "---" }.joined(separator: "|") + "|")
    var logs: [String: [Double]] = [:]
    for name in mase.keys.sorted() {
        let row = mase[name]!
        let means = columns.map { row[$0]!.reduce(0, +) / Double(row[$0]!.count) }
        for (c, v) in zip(columns, means) { logs[c, default: []].append(Foundation.log(v / means[0])) }
        print("| \(name) | \(row["seasonal_naive"]!.count) | " + means.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
    }
    print("| relative MASE (geo-mean over groups) | | " + columns.map { c in
        String(format: "%.3f", Foundation.exp(logs[c]!.reduce(0, +) / Double(logs[c]!.count))) }.joined(separator: " | ") + " |")
    print(String(format: "(%d held-out corpus series, %.1f s)", series.count, Date().timeIntervalSince(started)))
    print("medians per group (MASE):")
    for name in mase.keys.sorted() {
        let row = mase[name]!
        print(name, columns.map { c -> String in let v = row[c]!.sorted(); return String(format: "%@ %.3f", c, v[v.count / 2]) }.joined(separator: "  "))
    }
}

/// pretrain-losses: the pinball loss of a checkpoint on training windows and on validation
/// windows drawn the same way (per-window budgets), to tell a generalisation gap from noise.
func runPretrainLosses(_ args: [String]) throws {
    let checkpoint = args[1], configPath = args[2]
    let configuration = try ConfigurationLoader.load(contentsOf: URL(fileURLWithPath: configPath))
    let model = try PatchQuantileModel(configuration: configuration.model, seed: configuration.seed)
    let tensors = try Safetensors.read(contentsOf: URL(fileURLWithPath: checkpoint))
    var best: [String: Tensor] = [:]
    for (k, v) in tensors where k.hasPrefix(args.count > 3 ? args[3] : "best.") { best[String(k.dropFirst(args.count > 3 ? args[3].count : 5))] = v }
    try model.load(best)
    model.eval()
    let corpus = try PretrainingCorpus(settings: configuration.corpus, dataRoot: URL(fileURLWithPath: "Data"))
    let task = PretrainingTask(model: model, corpus: corpus, settings: configuration.pretraining, examples: 4096, seed: configuration.seed)
    try withoutGradients {
        print("validation", try task.validationLoss(indices: Array(0..<task.validationCount)))
        let n = task.validationCount
        let train = task.windowLosses(corpusIndices: Array(task.trainingIndices.prefix(n)), budgetKeys: (0..<n).map { -1 - $0 })
        let held = task.windowLosses(corpusIndices: task.validationIndices, budgetKeys: (0..<n).map { -1 - $0 })
        for (name, l) in [("training windows", train), ("validation windows", held)] {
            let s = l.sorted()
            print(name, "mean", s.reduce(0, +) / Float(s.count), "median", s[s.count / 2], "p90", s[s.count * 9 / 10], "max", s.last!)
        }
        for source in ["kernel_synth", "forecast_pfn", "arma", "random_walk", "intermittent"] {
            let idx = (0..<task.validationCount).filter { corpus.series(at: task.validationIndices[$0]).source == source }
            let real = (0..<task.validationCount).filter { !["kernel_synth", "forecast_pfn", "arma", "random_walk", "intermittent"].contains(corpus.series(at: task.validationIndices[$0]).source) }
            if !idx.isEmpty { print(" val", source, idx.count, try task.validationLoss(indices: idx)) }
            if source == "intermittent" { print(" val real", real.count, try task.validationLoss(indices: real)) }
        }
    }
}
