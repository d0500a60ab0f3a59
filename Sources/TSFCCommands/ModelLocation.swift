// Finding the shipped default model.
import Foundation

/// Where `Data/models/default.tsfc` is: in the working directory, or next to the executable's
/// package checkout (`.build/<config>/tsfc` → `Data/models`).
enum ModelLocation {
    static let defaultRelativePath = "Data/models/default.tsfc"

    static func defaultModel() -> URL? {
        let fm = FileManager.default
        var candidates = [URL(fileURLWithPath: defaultRelativePath)]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent(defaultRelativePath))
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { fm.fileExists(atPath: $0.path) }
    }
}
