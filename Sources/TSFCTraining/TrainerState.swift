// TrainerState: what a checkpoint holds to resume training exactly — step, best validation loss,
// patience counter, current and best weights, and Adam's (or AdamW's) moments — in one safetensors file.
import Foundation
import TSFCNN
import TSFCOptim
import TSFCTensor

struct TrainerState {
    var step: Int
    var bestLoss: Double
    var badValidations: Int
    var best: [String: Tensor]

    static let format = "tsfc-training-checkpoint"

    func save(to url: URL, model: Module, optimizer: Adam, named: [(String, Parameter)]) throws {
        var tensors: [String: Tensor] = [:]
        for (k, v) in model.parameterDictionary() { tensors["model.\(k)"] = v }
        for (k, v) in best { tensors["best.\(k)"] = v }
        for (k, v) in optimizer.stateDictionary(named) { tensors["optimizer.\(k)"] = v }
        let metadata = [
            "format": TrainerState.format, "step": String(step), "best_loss": String(bestLoss),
            "bad_validations": String(badValidations),
        ]
        try Safetensors.write(tensors, to: url, metadata: metadata)
    }

    static func load(from url: URL, into model: Module, optimizer: Adam, named: [(String, Parameter)]) throws -> TrainerState {
        let metadata = try Safetensors.readMetadata(contentsOf: url)
        guard metadata["format"] == format, let step = metadata["step"].flatMap(Int.init),
              let bestLoss = metadata["best_loss"].flatMap(Double.init),
              let bad = metadata["bad_validations"].flatMap(Int.init) else {
            throw TrainingError.checkpoint("\(url.path) is not a tsfc training checkpoint")
        }
        let tensors = try Safetensors.read(contentsOf: url)
        func section(_ prefix: String) -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for (k, v) in tensors where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
            return out
        }
        do {
            try model.load(section("model."))
        } catch {
            throw TrainingError.checkpoint("\(url.path) does not match this model: \(error)")
        }
        optimizer.loadStateDictionary(section("optimizer."), named)
        return TrainerState(step: step, bestLoss: bestLoss, badValidations: bad, best: section("best."))
    }
}
