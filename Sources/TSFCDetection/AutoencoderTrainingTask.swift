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

    /// - Precondition: both row ranges hold at least one window of `model.windowLength` rows.
    public init(model: TriPLLMAutoencoder, values: [Float], channels: Int, fitRows: Range<Int>, validationRows: Range<Int>) {
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
                                                   starts: indices.map { trainingStarts[$0] }))  // [B, L, C] → scalar
    }

    public func validationLoss(indices: [Int]) -> Float {
        model.loss(AutoencoderTrainingTask.windows(values, channels: channels, length: model.windowLength,
                                                   starts: indices.map { validationStarts[$0] })).item
    }

    /// Windows `[B, L, C]` starting at the given rows of row-major `values` `[T, C]`.
    static func windows(_ values: [Float], channels: Int, length: Int, starts: [Int]) -> Tensor {
        var out = [Float](repeating: 0, count: starts.count * length * channels)
        let span = length * channels
        values.withUnsafeBufferPointer { v in
            for (b, s) in starts.enumerated() {
                for i in 0..<span { out[b * span + i] = v[s * channels + i] }
            }
        }
        return Tensor(shape: [starts.count, length, channels], scalars: out)
    }
}
