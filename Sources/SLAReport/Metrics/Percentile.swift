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
    public static func hours(_ seconds: [Int64]) -> (p50: Double?, p90: Double?) {
        if seconds.isEmpty { return (nil, nil) }
        let h = seconds.sorted().map { Double($0) / 3600 }
        return (sorted(h, 0.5), sorted(h, 0.9))
    }
}
