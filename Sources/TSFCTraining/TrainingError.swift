// Errors raised while training, with what to change.

/// Errors raised while training.
public enum TrainingError: Error, CustomStringConvertible {
    case noTrainingWindows(rows: Int, needed: Int)
    case noValidationWindows(rows: Int, needed: Int)
    case nonFiniteLoss(step: Int)
    case checkpoint(String)

    public var description: String {
        switch self {
        case .noTrainingWindows(let r, let n):
            return "the training split has \(r) rows but one window needs \(n): use a longer series or a shorter context"
        case .noValidationWindows(let r, let n):
            return "the validation split has \(r) rows but one window needs \(n): use a longer series or other split ratios"
        case .nonFiniteLoss(let s):
            return "the training loss became NaN or infinite at step \(s): lower training.learning_rate or check the data"
        case .checkpoint(let m): return "checkpoint: \(m)"
        }
    }
}
