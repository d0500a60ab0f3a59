import Foundation
import TSFC
import XCTest

/// `import TSFC` alone gives the whole library (the README's library example relies on it).
final class ReexportTests: XCTestCase {
    func testOneImportReachesEveryLayer() throws {
        var rng = SeededGenerator(seed: 1)                                       // TSFCTensor
        let x = Tensor.randomNormal([2, 3], using: &rng)
        let layer = Linear(3, 4, using: &rng)                                    // TSFCNN
        let optimizer = AdamW(learningRate: 0.1)                                 // TSFCOptim
        _ = layer.valueAndGradient { layer(x).sum() }
        optimizer.step(layer.parameters())
        let decoder = try CausalDecoder(configuration: .scratch(layers: 1, width: 8, heads: 2), using: &rng)  // TSFCBackbone
        XCTAssertEqual(decoder(embeddings: Tensor.zeros([1, 2, 8])).shape, [1, 2, 8])
        XCTAssertEqual(IdentityBackbone(width: 4).width, 4)                      // TSFCModels
        XCTAssertEqual(SplitProtocol.standard, .ratios(train: 0.7, val: 0.1, test: 0.2))  // TSFCData
        XCTAssertEqual(RunConfiguration().model.contextLength, 672)              // TSFC
        XCTAssertEqual(Trainer.evenlySpaced(count: 4, limit: 2), [0, 2])        // TSFCTraining
        XCTAssertEqual(AnomalyMetrics.aucROC(labels: [false, true], scores: [0, 1]), 1)  // TSFCDetection
    }
}
