import TSFCCorpus
import TSFCTensor
import XCTest

final class GeneratorStatisticsTests: XCTestCase {
    func testAR1HasItsCoefficientAsLagOneAutocorrelation() {
        for phi in [-0.5, 0.3, 0.8] {
            var rng = SeededGenerator(seed: 11)
            let x = ARMAGenerator.generate(.init(ar: [phi]), length: 5000, using: &rng)
            // Standard error of r1 ≈ √((1 − φ²)/T) ≤ 0.015.
            XCTAssertEqual(Stats.acf(x, lag: 1), phi, accuracy: 0.05, "φ = \(phi)")
        }
    }

    func testDurbinLevinsonGivesStationaryCoefficients() {
        XCTAssertEqual(ARMAGenerator.stationaryAR(partials: [0.5]), [0.5])
        // AR(2) from partials (r1, r2): φ = (r1(1 − r2), r2).
        let phi = ARMAGenerator.stationaryAR(partials: [0.6, -0.3])
        XCTAssertEqual(phi[0], 0.6 * 1.3, accuracy: 1e-12)
        XCTAssertEqual(phi[1], -0.3, accuracy: 1e-12)
    }

    func testRandomWalkIncrementsHaveTheirVariance() {
        var rng = SeededGenerator(seed: 12)
        let p = RandomWalkGenerator.Parameters(drift: 0.2, stepSD: 1.5)
        let x = RandomWalkGenerator.generate(p, length: 5001, using: &rng)
        let steps = (1..<x.count).map { x[$0] - x[$0 - 1] }
        XCTAssertEqual(Stats.variance(steps), 2.25, accuracy: 2.25 * 0.08)
        XCTAssertEqual(Stats.mean(steps), 0.2, accuracy: 0.1)
        var rng2 = SeededGenerator(seed: 13)
        let t = RandomWalkGenerator.generate(.init(stepSD: 0.5, degreesOfFreedom: 5), length: 8001, using: &rng2)
        let tSteps = (1..<t.count).map { t[$0] - t[$0 - 1] }
        XCTAssertEqual(Stats.variance(tSteps), 0.25, accuracy: 0.25 * 0.15)
    }

    func testIntermittentZerosMatchTheirProbability() {
        for q in [0.3, 0.8] {
            var rng = SeededGenerator(seed: 14)
            let x = IntermittentGenerator.generate(.init(zeroProbability: q, meanSize: 4), length: 5000, using: &rng)
            let zeros = Double(x.filter { $0 == 0 }.count) / Double(x.count)
            XCTAssertEqual(zeros, q, accuracy: 0.03, "zero probability \(q)")
            XCTAssertTrue(x.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
            let sizes = x.filter { $0 > 0 }
            XCTAssertEqual(Stats.mean(sizes), 4, accuracy: 0.2)
        }
    }

    func testForecastPFNMonthlyYearlySeasonalityDominates() {
        var rng = SeededGenerator(seed: 15)
        let p = ForecastPFNGenerator.Parameters(length: 120, trend: .linear(slope: 0.5),
                                                seasonalities: [.init(period: 12, amplitude: 0.4, harmonics: 3)],
                                                noiseScaleStart: 0.05, noiseScaleEnd: 0.05)
        let x = ForecastPFNGenerator.generate(p, using: &rng)
        let r = Stats.lineFit(x).residuals
        let best = (2...30).max { Stats.acf(r, lag: $0) < Stats.acf(r, lag: $1) }!
        XCTAssertEqual(best, 12)
        XCTAssertTrue(x.allSatisfy { $0 > 0 })
    }

    func testForecastPFNPriorDrawsCalendarPeriods() {
        // Drawn monthly series that got a yearly seasonality: lag 12 is where their detrended
        // autocorrelation peaks (among lags 2…18) in most of them.
        var hits = 0, drawn = 0
        for seed in 0..<60 {
            var rng = SeededGenerator(seed: UInt64(seed))
            var p = ForecastPFNGenerator.drawParameters(length: 96, periods: [12], using: &rng)
            guard p.seasonalities.first?.period == 12, p.seasonalities[0].amplitude > 0.15 else { continue }
            p.outlierFraction = 0
            p.levelShift = nil
            drawn += 1
            let r = Stats.lineFit(ForecastPFNGenerator.generate(p, using: &rng).map { log($0) }).residuals
            let best = (2...18).max { Stats.acf(r, lag: $0) < Stats.acf(r, lag: $1) }!
            if best == 12 { hits += 1 }
        }
        XCTAssertGreaterThan(drawn, 20)
        XCTAssertGreaterThan(Double(hits) / Double(drawn), 0.8, "\(hits) of \(drawn)")
    }
}
