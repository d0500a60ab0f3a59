// `tsfc self-check`: a quick numerical check of the tensor engine on this machine
// (BLAS against the naive oracle, a gradient against finite differences).
import ArgumentParser
import TSFCTensor

struct SelfCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-check",
        abstract: "Check the tensor engine's BLAS matmul and autograd on this machine.")

    @Option(help: "Seed for the random test tensors.")
    var seed: UInt64 = 0

    func run() throws {
        var rng = SeededGenerator(seed: seed)
        let a = Tensor.randomNormal([64, 48], using: &rng)
        let b = Tensor.randomNormal([48, 32], using: &rng)
        let blas = a.matmul(b)
        let naive = MatmulKernel.naive(transposeA: false, transposeB: false, m: 64, n: 32, k: 48,
                                       a: a.scalars, b: b.scalars)
        let matmulError = blas.maxAbsDifference(Tensor(shape: [64, 32], scalars: naive))

        // d/dx Σ tanh(x·W) by the tape versus central differences.
        let x = Tensor.randomNormal([4, 48], using: &rng)
        let f: (Tensor) -> Tensor = { $0.matmul(b).tanh().sum() }
        let analytic = valueAndGradient(at: [x]) { f($0[0]) }.gradients[0]
        var worst: Float = 0
        for i in stride(from: 0, to: x.count, by: 7) {
            var plus = x.scalars, minus = x.scalars
            plus[i] += 1e-2; minus[i] -= 1e-2
            let numeric = (f(Tensor(shape: x.shape, scalars: plus)).item - f(Tensor(shape: x.shape, scalars: minus)).item) / 2e-2
            worst = max(worst, abs(numeric - analytic.scalars[i]))
        }
        print("tsfc \(tsfcVersion) self-check (threads: \(Threading.threadCount))")
        print("  matmul 64×48·48×32 vs naive oracle: max |diff| = \(matmulError)")
        print("  gradient vs finite differences:     max |diff| = \(worst)")
        guard matmulError < 1e-3, worst < 5e-2 else {
            throw ValidationError("self-check failed: the tensor engine disagrees with its oracles")
        }
        print("  ok")
    }
}
