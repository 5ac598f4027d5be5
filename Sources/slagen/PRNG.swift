import Foundation

/// xoshiro256** seeded through SplitMix64: a small, fast generator whose output depends only on
/// its seed, so the same `--seed` gives byte-identical files on every run (no system randomness).
struct PRNG {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator for one purpose (`stream`) of one seed; streams are independent.
    init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 0x632B_E59B_D9B4_E019)
        s0 = PRNG.splitMix(&sm)
        s1 = PRNG.splitMix(&sm)
        s2 = PRNG.splitMix(&sm)
        s3 = PRNG.splitMix(&sm)
    }

    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stateless hash of (a, b): used to decide per-id facts (e.g. "is this row duplicated")
    /// without consuming a generator, so the decision is the same in every writer.
    static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a ^ (b &* 0xD6E8_FEB8_6659_FD93)
        return splitMix(&x)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<n (n > 0); Lemire's multiply-shift, bias negligible for our n.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int((UInt128(next()) &* UInt128(UInt64(n))) >> 64)
    }

    /// Uniform in lo...hi.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median and shape; durations in seconds.
    mutating func logNormal(median: Double, sigma: Double) -> Int64 {
        Int64(median * exp(sigma * normal()))
    }

    /// Index drawn from a cumulative weight table (last element = total).
    @inline(__always)
    mutating func pick(_ cdf: [Double]) -> Int {
        let x = unit() * cdf[cdf.count - 1]
        var lo = 0
        var hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cdf[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Cumulative sums of weights, for `PRNG.pick`.
func cumulative(_ w: [Double]) -> [Double] {
    var acc = 0.0
    return w.map {
        acc += $0
        return acc
    }
}

/// Zipf-like weights 1/(k+1)^s for k in 0..<n.
func zipfWeights(_ n: Int, s: Double) -> [Double] {
    (0..<n).map { 1 / pow(Double($0 + 1), s) }
}
