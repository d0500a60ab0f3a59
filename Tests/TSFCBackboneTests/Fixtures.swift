// Access to the golden checkpoints copied from shared/fixtures/backbone (kept once in
// TSFCTestSupport; see Tests/TSFCTestSupport/Fixtures/README.md).
import Foundation
import TSFCTensor
import XCTest
import TSFCTestSupport

enum BackboneFixtures {
    /// Directory of a tiny checkpoint: "tiny-gpt2" or "tiny-llama".
    static func directory(_ name: String) throws -> URL { SharedFixtures.backbone(name) }

    /// The reference tensors and token ids of a checkpoint.
    struct Golden {
        let tensors: [String: Tensor]
        let inputIDs: [Int]
        let idShape: [Int]
        subscript(_ name: String) -> Tensor { tensors[name]! }
    }

    static func golden(_ name: String) throws -> Golden {
        let url = try directory(name).appendingPathComponent("golden.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for n in file.names where n != "input_ids" { tensors[n] = try file.tensor(named: n) }
        let ids = try file.tensorInt64(named: "input_ids")
        return Golden(tensors: tensors, inputIDs: ids.values.map { Int($0) }, idShape: ids.shape)
    }
}
