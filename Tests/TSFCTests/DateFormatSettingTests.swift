// `data.date_format`: a configuration (and so `tsfc train` / `tsfc evaluate`) reads an ambiguous
// day/month file when told how it is written; a wrong value is a located error.
import Foundation
import TSFCTestSupport
import XCTest
@testable import TSFC

final class DateFormatSettingTests: XCTestCase {
    func testDateFormatKeyReachesTheLoader() throws {
        let dir = try makeTemporaryDirectory("tsfc-date-format", removedAfter: self)
        var csv = "date,x\n"
        for day in 1...12 { csv += String(format: "%02d/03/2020,%d\n", day, day) }   // 01/03 … 12/03: ambiguous
        try writeFile(csv, named: "march.csv", in: dir)
        let path = dir.appendingPathComponent("march.csv").path
        var data = DataConfiguration()
        data.path = path
        XCTAssertThrowsError(try DataFile.open(path, options: data.fileOptions)) { error in
            XCTAssertTrue("\(error)".contains("--date-format"), "\(error)")
        }
        let config = try ConfigurationLoader.load(yaml: "version: 1\ndata:\n  path: \(path)\n  date_format: dmy\n", file: "c.yaml")
        XCTAssertEqual(config.data.dateFormat, .format(.dayFirst))
        let frame = try DataFile.open(path, options: config.data.fileOptions)
        XCTAssertEqual(frame.timestamps?.first, Timestamp.epochSeconds(year: 2020, month: 3, day: 1))
        XCTAssertEqual(frame.timestamps?.last, Timestamp.epochSeconds(year: 2020, month: 3, day: 12))
        XCTAssertEqual(try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml").data.dateFormat, .detect)
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\ndata:\n  date_format: ddmm\n", file: "c.yaml")) { error in
            XCTAssertTrue("\(error)".contains("c.yaml:3") && "\(error)".contains("detect, iso"), "\(error)")
        }
    }
}
