import TSFCCorpus
import TSFCTensor
import XCTest

final class KernelSynthTests: XCTestCase {
    func sample(_ k: GPKernel, length: Int = 512, seed: UInt64 = 7) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return KernelSynth.sample(.kernel(k), length: length, using: &rng)
    }

    func testPeriodicKernelPeaksAtItsPeriod() {
        for (period, seed) in [(24, UInt64(1)), (12, 2), (7, 3)] {
            let x = sample(.periodic(period: Double(period), lengthScale: 0.5), seed: seed)
            let acfs = (2...(3 * period)).map { (lag: $0, r: Stats.acf(x, lag: $0)) }
            let best = acfs.filter { $0.lag < 2 * period }.max { $0.r < $1.r }!
            XCTAssertEqual(best.lag, period, "period \(period): acf peaks at \(best.lag)")
            XCTAssertGreaterThan(Stats.acf(x, lag: period), 0.9)
        }
    }

    func testRBFIsSmooth() {
        let x = sample(.rbf(lengthScale: 20))
        XCTAssertGreaterThan(Stats.acf(x, lag: 1), 0.95)
    }

    func testLinearKernelIsALine() {
        let x = sample(.linear(offset: 0.3))
        XCTAssertGreaterThan(Stats.lineFit(x).r2, 0.999)
        // A product with a smooth kernel is no longer a line, which the test must be able to see.
        var rng = SeededGenerator(seed: 9)
        let y = KernelSynth.sample(.product(.kernel(.linear(offset: 0.3)), .kernel(.periodic(period: 24, lengthScale: 0.5))),
                                   length: 512, using: &rng)
        XCTAssertLessThan(Stats.lineFit(y).r2, 0.5)
    }

    func testWhiteNoiseIsUncorrelated() {
        let n = 4000
        let x = sample(.whiteNoise(variance: 0.25), length: n)
        // Under independence the lag-1 acf is ≈ N(0, 1/T): 4 standard errors.
        XCTAssertLessThan(abs(Stats.acf(x, lag: 1)), 4 / Double(n).squareRoot())
        XCTAssertEqual(Stats.variance(x), 0.25, accuracy: 0.25 * 0.1)
    }

    func testSumsAndProductsExpand() {
        let a = KernelComposition.kernel(.rbf(lengthScale: 3)), b = KernelComposition.kernel(.linear(offset: 0))
        let c = KernelComposition.kernel(.whiteNoise(variance: 1))
        XCTAssertEqual(KernelComposition.product(.sum(a, b), c).monomials.count, 2)
        XCTAssertEqual(KernelComposition.sum(.product(a, b), c).monomials, [[.rbf(lengthScale: 3), .linear(offset: 0)], [.whiteNoise(variance: 1)]])
    }

    func testHarmonicWeightsSumToOne() {
        // Σ_k e^{−a} I_k(a) over all integers k is 1.
        XCTAssertEqual(KernelSynth.harmonicWeightsForTesting(a: 4, maxHarmonic: 30).reduce(0, +), 1, accuracy: 1e-9)
    }
}
