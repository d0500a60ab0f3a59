// `mpirun -np N tsfc-bench allreduce [--reps R]`: the time of one allreduce (sum) of Float
// buffers from 4 KiB to 64 MiB over the job's ranks, as the data-parallel trainer calls it
// (`Communicator.allReduceSum`). Rank 0 prints one JSON line per size: the median seconds, the
// seconds per byte, and the bus bandwidth of a ring allreduce (2·(N−1)/N · bytes / seconds).
import Foundation
import TSFC

func runAllreduceBench(_ args: [String]) throws {
    var reps = 20
    if let k = args.firstIndex(of: "--reps"), k + 1 < args.count, let v = Int(args[k + 1]), v > 0 { reps = v }
    let world = try World.start()
    defer { world.finish() }
    let n = Double(world.size)
    var bytes = 4096
    while bytes <= 64 << 20 {
        var buffer = [Float](repeating: 1, count: bytes / 4)
        try world.allReduceSum(&buffer)                          // warm-up (connections, pages)
        var times: [Double] = []
        for _ in 0..<reps {
            var sync = [Double](repeating: 0, count: 1)
            try world.allReduceSum(&sync)                        // start together
            let t = now()
            try world.allReduceSum(&buffer)
            times.append(now() - t)
        }
        let m = median(times)
        if world.isRoot {
            emit([("bench", "\"allreduce\""), ("ranks", "\(world.size)"), ("bytes", "\(bytes)"), ("median_s", fmt(m, 7)),
                  ("s_per_byte", String(format: "%.3e", m / Double(bytes))),
                  ("bus_gbit_s", fmt(2 * (n - 1) / n * Double(bytes) * 8 / m / 1e9, 3))])
        }
        bytes *= 4
    }
}
