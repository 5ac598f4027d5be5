/// Percentiles by linear interpolation between closest ranks: numpy's default method and
/// DuckDB's `quantile_cont`. For sorted x of n values, h = (n − 1)·p and
/// v = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
public enum Percentile {
    /// The p-quantile (0 ≤ p ≤ 1) of already sorted values; nil when empty.
    public static func sorted(_ x: [Double], _ p: Double) -> Double? {
        if x.isEmpty { return nil }
        let h = Double(x.count - 1) * p
        let lo = Int(h.rounded(.down))
        if lo >= x.count - 1 { return x[x.count - 1] }
        let frac = h - Double(lo)
        return x[lo] + frac * (x[lo + 1] - x[lo])
    }

    /// p50 and p90 in hours of durations given in seconds (any order); nil when empty.
    ///
    /// Equal to `sorted(seconds.sorted().map { Double($0) / 3600 }, p)`, without sorting: the
    /// formula needs only the ranks ⌊h⌋ and ⌊h⌋ + 1, which a selection finds in linear time on
    /// one scratch copy (sorting the year's 2 million durations was most of `finish`). Seconds →
    /// hours is monotonic, so the ranks are the same before and after the division.
    public static func hours(_ seconds: [Int64]) -> (p50: Double?, p90: Double?) { hours([seconds]) }

    /// `hours` of the values of several buffers together (a merged accumulator's shards).
    package static func hours(_ parts: [[Int64]]) -> (p50: Double?, p90: Double?) {
        let n = parts.reduce(0) { $0 + $1.count }
        if n == 0 { return (nil, nil) }
        var scratch: [Int64] = []
        scratch.reserveCapacity(n)
        for p in parts { scratch += p }
        // Safe: quantileHours reads ranks lo and lo + 1 < n of the n values (and Int64Sort stays
        // inside the buffer).
        return scratch.withUnsafeMutableBufferPointer { b in
            // p50 first: its selection leaves every larger rank to the right, where p90's is.
            let p50 = quantileHours(b, 0.5, from: 0)
            return (p50.value, quantileHours(b, 0.9, from: p50.rank).value)
        }
    }

    /// The p-quantile in hours of `b`, where every rank ≥ `from` is already at or right of
    /// `from` (so selection starts there); also returns ⌊h⌋.
    private static func quantileHours(_ b: UnsafeMutableBufferPointer<Int64>, _ p: Double, from: Int)
        -> (value: Double, rank: Int)
    {
        let n = b.count
        let h = Double(n - 1) * p
        let lo = Int(h.rounded(.down))
        if lo >= n - 1 {
            Int64Sort.select(b, n - 1, from: min(from, n - 1))
            return (Double(b[n - 1]) / 3600, n - 1)
        }
        Int64Sort.select(b, lo, from: min(from, lo))
        // After selecting rank lo, rank lo + 1 is the smallest value right of it.
        var next = b[lo + 1]
        for i in (lo + 2)..<max(lo + 2, n) where b[i] < next { next = b[i] }
        let x0 = Double(b[lo]) / 3600
        let x1 = Double(next) / 3600
        let frac = h - Double(lo)
        return (x0 + frac * (x1 - x0), lo)
    }
}
