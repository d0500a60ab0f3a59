// Parallel: splitting large loops across cores. OpenBLAS itself always runs single-threaded:
// its pthread workers spin (sched_yield) between calls, which on a small machine steals the
// cores our own elementwise kernels and Dispatch workers need. Large products are instead split
// across Dispatch threads by `MatmulKernel.sgemm`.
import Dispatch
import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Threading settings for tsfc's kernels and OpenBLAS.
public enum Threading {
    nonisolated(unsafe) private static var configured: Int = {
        configureAllocator()
        let env = ProcessInfoLite.environment("TSFC_THREADS").flatMap(Int.init) ?? 0
        let n = env > 0 ? env : ProcessInfoLite.activeProcessorCount
        openblas_set_num_threads(1)
        return n
    }()

    /// Number of threads used by kernels, including the row/column split of large matrix
    /// products (default: `TSFC_THREADS` or the core count). OpenBLAS is kept at one thread.
    public static var threadCount: Int {
        get { configured }
        set { configured = max(1, newValue) }
    }

    /// Keeps freed tensor buffers in the heap instead of returning them to the kernel: glibc
    /// otherwise serves every buffer over 128 KiB with a fresh mmap, and the page faults of
    /// re-zeroing them cost more than the arithmetic (a 3× slower training step, measured).
    static func configureAllocator() {
        #if os(Linux)
        // glibc's <malloc.h> parameters (not exported by the Glibc module).
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3
        _ = glibcMallopt(mmapThreshold, 32 << 20)
        _ = glibcMallopt(trimThreshold, 1 << 30)
        _ = glibcMallopt(topPad, 64 << 20)
        #endif
    }

    /// Runs `body(start, end)` over `0..<count` in contiguous chunks, on several threads when
    /// `count` is at least twice `grain` (for kernels outside this module, e.g. optimizers).
    public static func forEachChunk(_ count: Int, grain: Int = grainSize, _ body: (Int, Int) -> Void) {
        parallelRange(count, grain: grain, body)
    }

    /// Multiply-adds (m·n·k) below which a matrix product stays on one thread.
    public static let sgemmGrain = 1 << 20

    /// The blocks a product above `sgemmGrain` is cut into, whatever the thread count (so the
    /// same product gives the same bits on 1, 2 or 16 threads). Two: the cut the 2-core
    /// development machine made, so the shipped model's pretraining recipe reproduces as before.
    public static let sgemmBlocks = 2

    /// Elements below which an elementwise loop stays on one thread.
    public static let grainSize = 1 << 14
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }
    static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

/// Runs `body(start, end)` over `0..<count` in contiguous chunks, in parallel when `count` is large.
func parallelRange(_ count: Int, grain: Int = Threading.grainSize, _ body: (Int, Int) -> Void) {
    let threads = Threading.threadCount
    if threads <= 1 || count < grain * 2 {
        body(0, count)
        return
    }
    let chunks = min(threads, (count + grain - 1) / grain)
    let per = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = c * per
        let end = min(count, start + per)
        if start < end { body(start, end) }
    }
}

/// Runs `body(i)` for each of `count` independent tasks, spread over the threads.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if Threading.threadCount <= 1 || count <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    let chunks = min(Threading.threadCount, count)
    let per = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = c * per
        let end = min(count, start + per)
        if start < end { for i in start..<end { body(i) } }
    }
}
