// Time-LLM (Jin et al., ICLR 2024) as an adapter of the shared decoder: instance normalisation
// without affine parameters (the reference's `Normalize(affine=False)`, RevIN: biased variance +
// 1e-5), reprogrammed patches (with the Prompt-as-Prefix) through the backbone, and the flatten
// head's H points as one output token; trained on the MSE of those H points. Longer horizons are
// rolled out by `TokenForecaster`: the window slides by H and is re-normalised.
import TSFCBackbone
import TSFCNN
import TSFCTensor

extension TimeLLM: TokenAdapter {
    /// What a forecast call's passes share: the backbone with its token table, and the text
    /// prototypes `[S, D]` computed once from it.
    public struct Session {
        public let backbone: any TokenEmbeddingBackbone
        public let prototypes: Tensor
    }

    /// - Precondition: `backbone` has a token table (a `CausalDecoder`).
    public func beginSession(backbone: any SequenceBackbone) -> Session {
        guard let table = backbone as? any TokenEmbeddingBackbone else {
            preconditionFailure("Time-LLM needs a backbone with a token-embedding table")
        }
        return Session(backbone: table, prototypes: currentPrototypes(backbone: table))
    }

    /// Bundles before the token forecaster held `model.<layer>` and `model.backbone.<…>`.
    public static var legacyParameterPrefix: String { "model." }
    /// Time-LLM's model declared its backbone before its own layers.
    public static var listsBackboneFirst: Bool { true }

    /// One output token: the head's H points after the context.
    public var outputLength: Int { settings.horizon }
    public var firstTargetOffset: Int { settings.contextLength }
    public var targetStride: Int { settings.horizon }
    public var normalization: WindowNormalization { .standardize }

    /// Reprogrammed patches `[B, P, D]` (without the prompt prefix).
    public func embed(_ normalized: Tensor, marks: Tensor?, session: Session) -> Tensor {
        reprogrammed(normalized, prototypes: session.prototypes)
    }

    /// The flatten head on the hidden states of the P patch positions `[B, P, D]` → `[B, 1, H]`.
    public func project(_ hidden: Tensor, session: Session) -> Tensor {
        let p = settings.patchCount
        let patches = hidden.shape[1] == p ? hidden : hidden.slice(axis: 1, (hidden.shape[1] - p)..<hidden.shape[1])
        return head(patches).reshaped([hidden.shape[0], 1, settings.horizon])
    }

    /// The whole Time-LLM pass (prompts of different lengths go through the backbone in
    /// separate groups, so no sample attends to another's padding) → `[B, 1, H]`.
    public func outputs(_ normalized: Tensor, marks: Tensor?, backbone: any SequenceBackbone, session: Session) -> Tensor {
        self(normalized, backbone: session.backbone, prototypes: session.prototypes)
            .reshaped([normalized.shape[0], 1, settings.horizon])
    }
}

/// Time-LLM on the shared decoder.
public typealias TimeLLMForecaster = TokenForecaster<TimeLLM>

extension TokenForecaster where Adapter == TimeLLM {
    /// The next H points after contexts `[B, L]` → `[B, H]` (one pass).
    public func predict(_ context: Tensor) -> Tensor {
        tokenOutputs(context).reshaped([context.shape[0], adapter.settings.horizon])
    }
}
