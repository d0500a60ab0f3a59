// libFuzzer entry point for the CSV reader (built by Fuzz/build.sh, not by `swift build`).
// Each input is written to a scratch file and loaded with options chosen by its first byte;
// the reader must return a frame or throw a DataError — never crash, hang or read out of
// bounds (AddressSanitizer is on).
import Foundation

private let scratchPath = "/tmp/tsfc-fuzz-input-\(getpid()).csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The cell-level parsers directly.
    _ = NumberParser.parse(data, count: size)
    _ = Timestamp.parse(data, count: size)
    guard let fd = fopen(scratchPath, "wb") else { return 0 }
    if size > 0 { fwrite(data, 1, size, fd) }
    fclose(fd)
    let selector = size > 0 ? bytes[0] : 0
    var options = CSVOptions()
    options.delimiter = [nil, ",", ";", "\t"][Int(selector & 3)]
    options.layout = CSVLayout.allCases[Int(selector >> 2 & 1) + (selector & 0x80 != 0 ? 1 : 0)]
    options.missingValues = MissingValuePolicy.allCases[Int(selector >> 3) % MissingValuePolicy.allCases.count]
    options.timestampOrder = TimestampOrderPolicy.allCases[Int(selector >> 5) % TimestampOrderPolicy.allCases.count]
    do {
        let frame = try CSVSource(url: URL(fileURLWithPath: scratchPath), options: options).load()
        // Whatever loads must be self-consistent.
        precondition(frame.values.count == frame.rowCount * frame.channelCount)
        precondition(frame.timestamps == nil || frame.timestamps!.count == frame.rowCount)
        _ = FrameSummary.summarize(frame)
    } catch is DataError {
    } catch {
        fatalError("a non-DataError escaped: \(error)")
    }
    return 0
}
