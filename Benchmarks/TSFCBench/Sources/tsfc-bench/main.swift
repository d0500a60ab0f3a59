// tsfc-bench: speed of the tensor engine (sgemm through the Tensor API vs raw cblas_sgemm, and
// forward+backward+AdamW training steps of an MLP and a small causal transformer).
// Prints one JSON object per line; `Benchmarks/torch_step_bench.py` prints the same for PyTorch.
//
// Usage: tsfc-bench [sgemm|mlp-step|transformer-step|all] [--steps N] [--warmup N] [--seed N]
//        mpirun -np N tsfc-bench allreduce [--reps R]   (AllreduceBench.swift)
// Threads: TSFC_THREADS (default: all cores).
#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS
import TSFCNN
import TSFCOptim
import TSFCTensor

/// Monotonic clock in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of the whole process (all threads) in seconds.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    if s.isEmpty { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fmt(_ x: Double, _ digits: Int = 3) -> String {
    if !x.isFinite { return "null" }
    var p: Double = 1
    for _ in 0..<digits { p *= 10 }
    return String((x * p).rounded() / p)
}

/// Prints one JSON line from ordered key/value pairs (values already JSON-encoded).
func emit(_ pairs: [(String, String)]) {
    print("{" + pairs.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

func randomTensor(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
    Tensor.randomNormal(shape, standardDeviation: 1, using: &rng)
}

/// Median GFLOP/s of raw `MatmulKernel.sgemm` (C = A·B, n×n) over `reps` calls.
func rawSgemmRate(n: Int, reps: Int) -> Double {
    var rng = SeededGenerator(seed: 7)
    let a = randomTensor([n, n], &rng), b = randomTensor([n, n], &rng)
    var c = [Float](repeating: 0, count: n * n)
    var times: [Double] = []
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                for r in 0..<(reps + 2) {
                    let t0 = now()
                    MatmulKernel.sgemm(transposeA: false, transposeB: false, m: n, n: n, k: n,
                                       a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                    if r >= 2 { times.append(now() - t0) }
                }
            }
        }
    }
    return 2 * Double(n * n * n) / median(times) / 1e9
}

/// Median GFLOP/s of `cblas_sgemm` called directly with OpenBLAS's own threading at `threads`
/// (tsfc keeps OpenBLAS single-threaded and splits products itself; this is the comparison).
func openBLASThreadedRate(n: Int, reps: Int, threads: Int) -> Double {
    var rng = SeededGenerator(seed: 7)
    let a = randomTensor([n, n], &rng), b = randomTensor([n, n], &rng)
    var c = [Float](repeating: 0, count: n * n)
    var times: [Double] = []
    openblas_set_num_threads(Int32(threads))
    defer { openblas_set_num_threads(1) }
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                for r in 0..<(reps + 2) {
                    let t0 = now()
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                                pa.baseAddress!, Int32(n), pb.baseAddress!, Int32(n), 0, pc.baseAddress!, Int32(n))
                    if r >= 2 { times.append(now() - t0) }
                }
            }
        }
    }
    return 2 * Double(n * n * n) / median(times) / 1e9
}

/// Median GFLOP/s of `Tensor.matmul` (n×n · n×n, allocating its result) over `reps` calls.
func tensorMatmulRate(n: Int, reps: Int) -> Double {
    var rng = SeededGenerator(seed: 7)
    let a = randomTensor([n, n], &rng), b = randomTensor([n, n], &rng)
    var times: [Double] = []
    var sink: Float = 0
    for r in 0..<(reps + 2) {
        let t0 = now()
        let c = a.matmul(b)
        if r >= 2 { times.append(now() - t0) }
        sink += c.withUnsafeBufferPointer { $0[0] }
    }
    if sink.isNaN { print("") }  // keeps the result alive
    return 2 * Double(n * n * n) / median(times) / 1e9
}

/// The sgemm rate each step benchmark is compared against (same run): raw sgemm at 512.
func referenceSgemm() -> Double { rawSgemmRate(n: 512, reps: 20) }

func runSgemm(reps: Int) {
    for n in [256, 512, 1024] {
        let r = reps * (n == 1024 ? 1 : (n == 512 ? 4 : 16))
        let raw = rawSgemmRate(n: n, reps: r)
        let api = tensorMatmulRate(n: n, reps: r)
        let ob = openBLASThreadedRate(n: n, reps: r, threads: Threading.threadCount)
        emit([("bench", "\"sgemm\""), ("impl", "\"tsfc\""), ("threads", "\(Threading.threadCount)"),
              ("n", "\(n)"), ("raw_gflops", fmt(raw, 2)), ("tensor_gflops", fmt(api, 2)),
              ("openblas_threaded_gflops", fmt(ob, 2)),
              ("tensor_over_raw", fmt(api / raw))])
    }
}

/// Times `warmup` + `steps` calls of `step`, returns the median of the timed ones (seconds).
/// Times `warmup` + `steps` calls of `step`; returns the median wall time of the timed ones and
/// the median process CPU time (all threads, spinning included) per step, in seconds.
func timeSteps(warmup: Int, steps: Int, _ step: () -> Float) -> (median: Double, cpu: Double, loss: Float) {
    var loss: Float = 0
    for _ in 0..<warmup { loss = step() }
    var times: [Double] = [], cpu: [Double] = []
    for _ in 0..<steps {
        let t0 = now(), c0 = cpuNow()
        loss = step()
        times.append(now() - t0)
        cpu.append(cpuNow() - c0)
    }
    return (median(times), median(cpu), loss)
}

func report(bench: String, shape: String, seconds: Double, cpu: Double, loss: Float, flops: Double, params: Int) {
    let sg = referenceSgemm()
    let gf = flops / seconds / 1e9
    emit([("bench", "\"\(bench)\""), ("impl", "\"tsfc\""), ("threads", "\(Threading.threadCount)"),
          ("shape", "\"\(shape)\""), ("params", "\(params)"),
          ("median_ms", fmt(seconds * 1000)), ("cpu_ms", fmt(cpu * 1000)), ("steps_per_s", fmt(1 / seconds)),
          ("flops_per_step", String(Int(flops))), ("gflops", fmt(gf, 2)),
          ("sgemm_gflops", fmt(sg, 2)), ("fraction_of_sgemm", fmt(gf / sg)), ("loss", fmt(Double(loss), 6))])
}

/// MLP 512 → 1024 → 1024 → 512 (GELU), batch 256, MSE, AdamW.
func runMLPStep(warmup: Int, steps: Int, seed: UInt64) {
    let batch = 256, sizes = [512, 1024, 1024, 512]
    var rng = SeededGenerator(seed: seed)
    let model = BenchMLP(sizes: sizes, using: &rng)
    let x = randomTensor([batch, sizes[0]], &rng), y = randomTensor([batch, sizes.last!], &rng)
    let params = model.trainableParameters()
    let opt = AdamW(learningRate: 1e-3, weightDecay: 0.01)
    let (t, cpu, loss) = timeSteps(warmup: warmup, steps: steps) {
        let (v, _) = valueAndGradient(for: params) { Loss.meanSquaredError(model(x), y) }
        opt.step(params)
        return v.item
    }
    var fwd = 0.0
    for i in 0..<(sizes.count - 1) { fwd += 2 * Double(batch * sizes[i] * sizes[i + 1]) }
    report(bench: "mlp-step", shape: "[256,512]-1024-1024-512", seconds: t, cpu: cpu, loss: loss, flops: 3 * fwd,
           params: model.parameterCount())
}

/// 4 × pre-LN causal block (width 256, 4 heads, MLP 1024, GELU) + final LN on [32, 7, 256].
func runTransformerStep(warmup: Int, steps: Int, seed: UInt64) {
    let b = 32, n = 7, d = 256, heads = 4, hidden = 1024, layers = 4
    var rng = SeededGenerator(seed: seed)
    let model = BenchTransformer(layers: layers, width: d, heads: heads, hidden: hidden, using: &rng)
    let x = randomTensor([b, n, d], &rng), y = randomTensor([b, n, d], &rng)
    let params = model.trainableParameters()
    let opt = AdamW(learningRate: 1e-3, weightDecay: 0.01)
    let (t, cpu, loss) = timeSteps(warmup: warmup, steps: steps) {
        let (v, _) = valueAndGradient(for: params) { Loss.meanSquaredError(model(x), y) }
        opt.step(params)
        return v.item
    }
    let tokens = Double(b * n)
    // Per layer: Q, K, V, O projections (D×D each) and the MLP (D×4D twice), plus the two
    // attention matmuls Q·Kᵀ and P·V (each 2·B·N·N·D summed over heads).
    let perLayer = 2 * tokens * Double(4 * d * d + 2 * d * hidden) + 2 * 2 * Double(b * n * n * d)
    report(bench: "transformer-step", shape: "[32,7,256] 4x(256,4h,1024)", seconds: t, cpu: cpu, loss: loss,
           flops: 3 * Double(layers) * perLayer, params: model.parameterCount())
}

var args = Array(CommandLine.arguments.dropFirst())
if args.first == "pretrain-losses" {
    try runPretrainLosses(args)
    exit(0)
}
if args.first == "pretrain-ablation" {
    try runPretrainAblation(args)
    exit(0)
}
if args.first == "allreduce" {
    try runAllreduceBench(args)
    exit(0)
}
if args.first == "patch-quantile-step" {
    try runPatchQuantileBench(args)
    exit(0)
}
if let first = args.first, ["backbone", "autotimes-train", "autotimes-infer", "timellm-train"].contains(first) {
    try runModelBench(args)
    exit(0)
}
var which = "all", steps = 20, warmup = 3, seed: UInt64 = 1
var i = 0
var bad: String? = nil
while i < args.count {
    let a = args[i]
    func value() -> Int? {
        i += 1
        return i < args.count ? Int(args[i]) : nil
    }
    switch a {
    case "sgemm", "mlp-step", "transformer-step", "all": which = a
    case "--steps": if let v = value(), v > 0 { steps = v } else { bad = "--steps needs a positive integer" }
    case "--warmup": if let v = value(), v >= 0 { warmup = v } else { bad = "--warmup needs an integer ≥ 0" }
    case "--seed": if let v = value(), v >= 0 { seed = UInt64(v) } else { bad = "--seed needs an integer ≥ 0" }
    case "-h", "--help":
        print("usage: tsfc-bench [sgemm|mlp-step|transformer-step|all] [--steps N] [--warmup N] [--seed N]\n"
              + "threads: TSFC_THREADS (default: all cores)")
        exit(0)
    default: bad = "unknown argument '\(a)'"
    }
    if bad != nil { break }
    i += 1
}
if let bad {
    FileHandle_stderr("tsfc-bench: \(bad) (see --help)\n")
    exit(2)
}

func FileHandle_stderr(_ s: String) { fputs(s, stderr) }

if which == "sgemm" || which == "all" { runSgemm(reps: max(steps / 4, 3)) }
if which == "mlp-step" || which == "all" { runMLPStep(warmup: warmup, steps: steps, seed: seed) }
if which == "transformer-step" || which == "all" { runTransformerStep(warmup: warmup, steps: steps, seed: seed) }
