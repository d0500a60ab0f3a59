// AutoencoderTrainingTask: the reconstruction detector's autoencoder on every stride-1 window of
// its fit rows, validated on the windows of its validation rows, as a `TrainingTask` for the one
// `Trainer` (the loss is the mean squared reconstruction error).
import TSFCModels
import TSFCNN
import TSFCTensor
import TSFCTraining

/// Trains a `TriPLLMAutoencoder` on windows `[B, L, C]` of a standardised row-major `[T, C]` matrix.
public final class AutoencoderTrainingTask: TrainingTask {
    public let model: TriPLLMAutoencoder
    /// Row-major `[T, C]` standardised values.
    public let values: [Float]
    public let channels: Int
    /// First rows of the training windows (every stride-1 window inside the fit rows).
    public let trainingStarts: [Int]
    /// First rows of the validation windows (every stride-1 window inside the validation rows).
    public let validationStarts: [Int]

    /// Whether each window has its per-channel mean removed (as `ReconstructionScorer.centresWindows`).
    public let centresWindows: Bool

    /// - Precondition: both row ranges hold at least one window of `model.windowLength` rows.
    public init(model: TriPLLMAutoencoder, values: [Float], channels: Int, fitRows: Range<Int>, validationRows: Range<Int>,
                centresWindows: Bool = false) {
        self.centresWindows = centresWindows
        let l = model.windowLength
        precondition(fitRows.count >= l && validationRows.count >= l,
                     "AutoencoderTrainingTask: \(fitRows.count) fit and \(validationRows.count) validation rows hold no \(l)-row window")
        self.model = model
        self.values = values
        self.channels = channels
        trainingStarts = Array(fitRows.lowerBound...(fitRows.upperBound - l))
        validationStarts = Array(validationRows.lowerBound...(validationRows.upperBound - l))
    }

    public var module: Module { model }
    public var trainingCount: Int { trainingStarts.count }
    public var validationCount: Int { validationStarts.count }

    public func trainingLoss(indices: [Int], progress: Float) -> Tensor {
        model.loss(AutoencoderTrainingTask.windows(values, channels: channels, length: model.windowLength,
                                                   starts: indices.map { trainingStarts[$0] }, centred: centresWindows))  // [B, L, C] → scalar
    }

    public func validationLoss(indices: [Int]) -> Float {
        model.loss(AutoencoderTrainingTask.windows(values, channels: channels, length: model.windowLength,
                                                   starts: indices.map { validationStarts[$0] }, centred: centresWindows)).item
    }

    /// Windows `[B, L, C]` starting at the given rows of row-major `values` `[T, C]`, each centred
    /// (per-channel mean removed) when `centred`.
    static func windows(_ values: [Float], channels: Int, length: Int, starts: [Int], centred: Bool = false) -> Tensor {
        var out = [Float](repeating: 0, count: starts.count * length * channels)
        let span = length * channels
        values.withUnsafeBufferPointer { v in
            for (b, s) in starts.enumerated() {
                for i in 0..<span { out[b * span + i] = v[s * channels + i] }
            }
        }
        if centred { centre(&out, length: length, channels: channels) }
        return Tensor(shape: [starts.count, length, channels], scalars: out)
    }

    /// Removes each window's per-channel mean, in place, from row-major windows `[B, L, C]`.
    static func centre(_ windows: inout [Float], length: Int, channels c: Int) {
        let span = length * c
        guard span > 0 else { return }
        for b in 0..<(windows.count / span) {
            for ch in 0..<c {
                var sum: Double = 0
                for t in 0..<length { sum += Double(windows[b * span + t * c + ch]) }
                let mean = Float(sum / Double(length))
                for t in 0..<length { windows[b * span + t * c + ch] -= mean }
            }
        }
    }
}
