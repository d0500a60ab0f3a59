// Threshold rules: values against independent computations, POT against closed-form tails and
// scipy's maximum-likelihood fits, and the rule that thresholds never see the judged scores.
import XCTest
import Foundation
@testable import TSFCDetection
import TSFC

final class ThresholdTests: XCTestCase {
    /// Deterministic, irregular calibration scores (about N(0, 1)).
    func calibration(_ n: Int, seed: UInt64 = 1) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
            return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
        }
    }

    func testQuantileContaminationAndKSigmaValues() throws {
        let five: [Float] = [5, 1, 4, 2, 3]
        XCTAssertEqual(try ThresholdMethod.quantile(0.8).fit(calibrationScores: five).value, 4.2, accuracy: 1e-6)  // numpy: 4.2
        XCTAssertEqual(try ThresholdMethod.contamination(0.5).fit(calibrationScores: five).value, 3, accuracy: 1e-6)
        let scores = calibration(1000)
        let c = try ThresholdMethod.contamination(0.05).fit(calibrationScores: scores)
        XCTAssertEqual(Double(c.alarms(scores).filter { $0 }.count) / 1000, 0.05, accuracy: 0.0015)
        let k = try ThresholdMethod.kSigma(3).fit(calibrationScores: scores)
        let mean = scores.map(Double.init).reduce(0, +) / 1000
        let std = (scores.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / 1000).squareRoot()
        XCTAssertEqual(Double(k.value), mean + 3 * std, accuracy: 1e-5)
        XCTAssertEqual(k.zValue, 3, accuracy: 1e-5)
        XCTAssertEqual(k.calibration.zScore(Float(mean + std)), 1, accuracy: 1e-5)
        XCTAssertEqual(k.calibrationCount, 1000)
    }

    func testThresholdsNeverSeeTheScoresTheyJudge() throws {
        // The judged scores sit far above the calibration scores. A threshold fitted on the
        // calibration scores flags all of them; one fitted on the judged scores would flag about
        // its tail share (1–5 %) — so this fails if any rule looked at the judged scores.
        let calibrationScores = calibration(3000)
        let judged = calibration(2000, seed: 2).map { $0 + 10 }
        let rules: [ThresholdMethod] = [.quantile(0.99), .kSigma(3), .contamination(0.05), .pot(risk: 1e-3, initialQuantile: 0.95)]
        for rule in rules {
            let fitted = try rule.fit(calibrationScores: calibrationScores)
            XCTAssertEqual(fitted.alarms(judged).filter { $0 }.count, judged.count, "\(rule)")
            XCTAssertEqual(try rule.fit(calibrationScores: calibrationScores), fitted, "deterministic")
            let onJudged = try rule.fit(calibrationScores: judged)
            XCTAssertLessThan(onJudged.alarms(judged).filter { $0 }.count, judged.count / 10, "\(rule)")
        }
    }

    func testFittedThresholdRoundTripsThroughJSON() throws {
        for rule in [ThresholdMethod.quantile(0.99), .kSigma(2.5), .contamination(0.1), .pot(risk: 1e-4, initialQuantile: 0.98)] {
            let fitted = try rule.fit(calibrationScores: calibration(2000))
            let data = try JSONEncoder().encode(fitted)
            XCTAssertEqual(try JSONDecoder().decode(FittedThreshold.self, from: data), fitted)
            XCTAssertEqual(rule == .pot(risk: 1e-4, initialQuantile: 0.98), fitted.tail != nil)
        }
        let bad = Data(#"{"method":"quantile","value":2}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(ThresholdMethod.self, from: bad))
    }

    // MARK: POT

    func testPOTOnAnExponentialTailGivesTheClosedFormThreshold() throws {
        // Stratified Exp(1) sample: the excesses over any quantile are Exp(1) again (γ = 0, σ = 1),
        // and the score exceeded with probability q is −log q.
        let n = 10_000
        let scores = (0..<n).map { Float(-Foundation.log(1 - (Double($0) + 0.5) / Double(n))) }
        let fitted = try ThresholdMethod.pot(risk: 1e-4, initialQuantile: 0.95).fit(calibrationScores: scores)
        let tail = try XCTUnwrap(fitted.tail)
        XCTAssertEqual(tail.shape, 0, accuracy: 0.03)
        XCTAssertEqual(tail.scale, 1, accuracy: 0.05)
        XCTAssertEqual(Double(fitted.value), -Foundation.log(1e-4), accuracy: 0.02 * 9.21)
    }

    func testPOTOnAParetoTailGivesTheTrueQuantile() throws {
        // Stratified GPD(γ = 0.25, σ = 1): the true (1 − q) quantile is σ/γ·(q^(−γ) − 1).
        let n = 10_000, g = 0.25
        let scores = (0..<n).map { i -> Float in
            let u = (Double(i) + 0.5) / Double(n)
            return Float((Foundation.pow(1 - u, -g) - 1) / g)
        }
        let fitted = try ThresholdMethod.pot(risk: 1e-4, initialQuantile: 0.95).fit(calibrationScores: scores)
        let truth = (Foundation.pow(1e-4, -g) - 1) / g
        XCTAssertEqual(fitted.tail!.shape, g, accuracy: 0.03)
        XCTAssertEqual(Double(fitted.value), truth, accuracy: 0.05 * truth)
    }

    func testPOTMatchesScipyMaximumLikelihood() throws {
        struct Case: Decodable {
            let scores: [Double]; let initial_quantile, risk, initial_threshold: Double; let peaks: Int
            let shape, scale, log_likelihood, threshold: Double
        }
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("detection/pot.json")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        XCTAssertEqual(cases.count, 4)
        for c in cases {
            let fitted = try ThresholdMethod.pot(risk: c.risk, initialQuantile: c.initial_quantile)
                .fit(calibrationScores: c.scores.map { Float($0) })
            let tail = try XCTUnwrap(fitted.tail)
            XCTAssertEqual(tail.initialThreshold, c.initial_threshold, accuracy: 1e-9)
            XCTAssertEqual(tail.peakCount, c.peaks)
            // Grimshaw's roots are the exact likelihood maximum; scipy's optimiser stops near it.
            XCTAssertGreaterThanOrEqual(tail.logLikelihood, c.log_likelihood - 1e-6)
            XCTAssertEqual(tail.logLikelihood, c.log_likelihood, accuracy: 1e-3)
            XCTAssertEqual(tail.shape, c.shape, accuracy: 2e-3)
            XCTAssertEqual(tail.scale, c.scale, accuracy: 2e-3 * c.scale)
            XCTAssertEqual(Double(fitted.value), c.threshold, accuracy: 2e-3 * c.threshold)
        }
    }

    // MARK: bad input

    func testOptionsOutOfRangeAreClearErrors() {
        let bad: [ThresholdMethod] = [.quantile(1.5), .quantile(0), .kSigma(-1), .kSigma(.nan), .contamination(0.7),
                                      .pot(risk: 0.05, initialQuantile: 0.98), .pot(risk: 1e-3, initialQuantile: 1)]
        for rule in bad {
            XCTAssertThrowsError(try rule.fit(calibrationScores: calibration(5000)), "\(rule)") { error in
                guard case .optionOutOfRange = error as? ThresholdError else { return XCTFail("\(error)") }
                XCTAssertTrue(String(describing: error).contains("must be"))
            }
        }
        XCTAssertThrowsError(try ThresholdMethod(name: "median", value: 0.5)) {
            XCTAssertEqual($0 as? ThresholdError, .unknownMethod("median"))
        }
        XCTAssertEqual(try ThresholdMethod(name: "zscore", value: 3), .kSigma(3))
        XCTAssertEqual(try ThresholdMethod(ThresholdConfiguration(method: .pot, value: 1e-3)), .pot(risk: 1e-3, initialQuantile: 0.98))
        XCTAssertEqual(try ThresholdMethod(ThresholdConfiguration()), .quantile(0.995))
        XCTAssertThrowsError(try ThresholdMethod(ThresholdConfiguration(method: .pot, value: 0.05)))  // risk above 1 − 0.98
        XCTAssertThrowsError(try ThresholdMethod(name: "quantile", value: 99))
    }

    func testTooShortCalibrationIsAClearError() {
        XCTAssertThrowsError(try ThresholdMethod.quantile(0.99).fit(calibrationScores: calibration(50))) {
            XCTAssertEqual($0 as? ThresholdError, .tooFewCalibrationScores(method: "quantile", count: 50, needed: 100))
            XCTAssertTrue(String(describing: $0).contains("longer training"))
        }
        XCTAssertNoThrow(try ThresholdMethod.quantile(0.99).fit(calibrationScores: calibration(100)))
        XCTAssertThrowsError(try ThresholdMethod.pot(risk: 1e-4, initialQuantile: 0.98).fit(calibrationScores: calibration(200))) {
            XCTAssertEqual($0 as? ThresholdError, .tooFewCalibrationScores(method: "pot", count: 200, needed: 500))
        }
        XCTAssertThrowsError(try ThresholdMethod.kSigma(3).fit(calibrationScores: [1]))
        XCTAssertThrowsError(try ThresholdMethod.kSigma(3).fit(calibrationScores: [Float](repeating: 2, count: 10))) {
            guard case .degenerateCalibration = $0 as? ThresholdError else { return XCTFail("\($0)") }
        }
        // enough scores, but ties leave fewer than 10 above the initial quantile
        let tied = [Float](repeating: 1, count: 995) + [2, 3, 4, 5, 6]
        XCTAssertThrowsError(try ThresholdMethod.pot(risk: 1e-4, initialQuantile: 0.98).fit(calibrationScores: tied)) {
            guard case .degenerateCalibration = $0 as? ThresholdError else { return XCTFail("\($0)") }
            XCTAssertTrue(String(describing: $0).contains("lower the initial quantile"))
        }
        var withNaN = calibration(200)
        withNaN[17] = .nan
        XCTAssertThrowsError(try ThresholdMethod.quantile(0.9).fit(calibrationScores: withNaN)) {
            XCTAssertEqual($0 as? ThresholdError, .nonFiniteCalibrationScore(index: 17))
        }
    }

    /// The public POT entry points refuse what the threshold rule would have screened out, with
    /// typed errors (they stopped the process before: a precondition and `excesses.min()!`).
    func testPeaksOverThresholdRefusesUnusableInputWithTypedErrors() throws {
        XCTAssertThrowsError(try PeaksOverThreshold.fitExcesses([])) {
            guard case .degenerateCalibration(method: "pot", _) = $0 as? ThresholdError else { return XCTFail("\($0)") }
            XCTAssertTrue(String(describing: $0).contains("no excesses"), "\($0)")
        }
        for bad in [[1, 0, 2], [1, -3, 2], [1, .nan, 2], [1, .infinity, 2]] as [[Double]] {
            XCTAssertThrowsError(try PeaksOverThreshold.fitExcesses(bad)) {
                guard case .degenerateCalibration(method: "pot", _) = $0 as? ThresholdError else { return XCTFail("\($0)") }
                XCTAssertTrue(String(describing: $0).contains("positive and finite"), "\($0)")
            }
        }
        XCTAssertNil(try PeaksOverThreshold.fitExcesses([2, 2, 2]), "no spread, no tail")
        XCTAssertNotNil(try PeaksOverThreshold.fitExcesses([0.5, 1, 2, 4]))
        XCTAssertThrowsError(try PeaksOverThreshold.fit(sortedCalibrationScores: [], initialQuantile: 0.98)) {
            XCTAssertEqual($0 as? ThresholdError, .tooFewCalibrationScores(method: "pot", count: 0, needed: 500))
        }
        XCTAssertThrowsError(try PeaksOverThreshold.fit(sortedCalibrationScores: [1, 2, .infinity], initialQuantile: 0.5)) {
            XCTAssertEqual($0 as? ThresholdError, .nonFiniteCalibrationScore(index: 2))
        }
        XCTAssertThrowsError(try PeaksOverThreshold.fit(sortedCalibrationScores: [1, 2, 3], initialQuantile: 1.5)) {
            XCTAssertEqual($0 as? ThresholdError, .optionOutOfRange(option: "initial_quantile (pot)", value: 1.5, allowed: "in (0, 1)"))
        }
    }

    func testBadLabelsAreClearErrors() throws {
        XCTAssertThrowsError(try AnomalyLabels.validated([0, 1, 2] as [Double], expectedCount: 3, source: "labels.csv")) {
            XCTAssertEqual($0 as? AnomalyLabelError, .notBinary(source: "labels.csv", index: 2, value: 2))
            XCTAssertTrue(String(describing: $0).contains("labels.csv: label 3 is 2.0"))
        }
        XCTAssertThrowsError(try AnomalyLabels.validated([0, 0.5] as [Double], expectedCount: 2, source: "y"))
        XCTAssertThrowsError(try AnomalyLabels.validated([0, 1] as [UInt8], expectedCount: 3, source: "labels.csv")) {
            XCTAssertEqual($0 as? AnomalyLabelError, .lengthMismatch(source: "labels.csv", found: 2, expected: 3))
        }
        XCTAssertEqual(try AnomalyLabels.validated([0, 1, 1] as [UInt8], expectedCount: 3, source: "y"), [false, true, true])
        let s: [Float] = [0.1, 0.9, 0.2, 0.3]
        XCTAssertThrowsError(try MetricsReport(labels: [false, true, false], scores: s, predictions: [false, true, false, false])) {
            guard case .lengthMismatch = $0 as? AnomalyLabelError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try MetricsReport(labels: [false, false, false, false], scores: s, predictions: [false, true, false, false])) {
            guard case .noContrast = $0 as? AnomalyLabelError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try MetricsReport(labels: [false, true, false, false], scores: [0, .infinity, 0, 0],
                                               predictions: [false, true, false, false])) {
            XCTAssertEqual($0 as? AnomalyLabelError, .nonFiniteScore(index: 1))
        }
    }
}
