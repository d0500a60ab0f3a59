// Safetensors read throughput: mmap (lazy + full conversion) vs reading the whole file into memory.
// Writes a 400 MB F32 file (40 tensors of [1000, 2500]) to the given path, times the readers, deletes it.
import Foundation
import TSFCTensor

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
func best(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
    var b = Double.infinity
    for _ in 0..<n { b = min(b, try seconds(body)) }
    return b
}

let url = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp/st-bench-400mb.safetensors")
var rng = SeededGenerator(seed: 1)
var tensors: [String: Tensor] = [:]
for i in 0..<40 { tensors["layer.\(i).weight"] = Tensor.randomUniform([1000, 2500], using: &rng) }  // 40 × 10 MB
let bytes = Double(40 * 2500 * 1000 * 4)
tensors = tensors.mapValues { $0 }
let write = try seconds { try Safetensors.write(tensors, to: url, metadata: ["bench": "1"]) }
tensors = [:]
print(String(format: "write (atomic, fsync): %.3f s, %.2f GB/s", write, bytes / write / 1e9))

var sink: Float = 0
let open = try best(5) { sink += Float(try SafetensorsFile(contentsOf: url).names.count) }
print(String(format: "open (mmap + header): %.2f ms", open * 1e3))
let one = try best(5) { sink += try SafetensorsFile(contentsOf: url).tensor(named: "layer.7.weight").scalars[3] }
print(String(format: "open + one 10 MB tensor: %.2f ms", one * 1e3))
let all = try best(3) { sink += try Safetensors.read(contentsOf: url)["layer.0.weight"]!.scalars[0] }
print(String(format: "Safetensors.read (mmap, all): %.3f s, %.2f GB/s", all, bytes / all / 1e9))
let full = try best(3) {
    // What a read()-based loader does: the whole file into memory, then a copy per tensor.
    let data = try Data(contentsOf: url)
    let n = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
    var out: [[Float]] = []
    data.withUnsafeBytes { raw in
        for i in 0..<40 {
            let start = 8 + n + i * 10_000_000
            out.append([Float](unsafeUninitializedCapacity: 2_500_000) { buf, count in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + 10_000_000]))
                count = 2_500_000
            })
        }
    }
    sink += out[0][0]
}
print(String(format: "full read (Data(contentsOf:) + copy): %.3f s, %.2f GB/s", full, bytes / full / 1e9))
if sink == .infinity { print(sink) }
try? FileManager.default.removeItem(at: url)
