/// In-place ordering of `Int64` buffers for the percentiles: `select` (quickselect, falling back
/// to `sort`, an introsort, when partitions keep coming out lopsided). Sorting each week's
/// durations with the standard library's stable merge sort was most of `finish` on the year;
/// the percentiles need two ranks, which selection finds in linear time. Equal `Int64`s are
/// indistinguishable, so nothing here needs to be stable.
public enum Int64Sort {
    /// Sorts `a` ascending.
    public static func sort(_ a: inout [Int64]) { a.withUnsafeMutableBufferPointer { sort($0) } }

    /// Puts the value of rank `k` at index `k` (see the buffer form).
    public static func select(_ a: inout [Int64], _ k: Int, from: Int = 0) {
        require(from >= 0 && from <= k && k < a.count, "Int64Sort.select: rank out of range")
        a.withUnsafeMutableBufferPointer { select($0, k, from: from) }
    }

    // The buffer forms: every index they touch lies in lo...hi ⊂ 0..<b.count (partition and
    // insertion sort stay between their bounds; heapsort's children are < end + 1), so the
    // unchecked subscripts of SLAFast's -Ounchecked build never leave the buffer.

    /// Sorts ascending.
    static func sort(_ b: UnsafeMutableBufferPointer<Int64>) {
        if b.count < 2 { return }
        introsort(b, 0, b.count - 1, depth: 2 * (Int.bitWidth - b.count.leadingZeroBitCount))
    }

    /// Puts the value of rank `k` (0-based, ascending) at index `k`, smaller-or-equal values left
    /// of it and greater-or-equal ones right. Indexes below `from` must already hold only values
    /// ≤ every value from `from` on (and `from` ≤ `k`); the search starts there.
    static func select(_ b: UnsafeMutableBufferPointer<Int64>, _ k: Int, from: Int = 0) {
        assert(from >= 0 && from <= k && k < b.count)
        var lo = from
        var hi = b.count - 1
        var budget = 2 * (Int.bitWidth - b.count.leadingZeroBitCount) + 8
        while hi - lo > 16 {
            budget -= 1
            if budget == 0 {
                introsort(b, lo, hi, depth: 2 * (Int.bitWidth - (hi - lo + 1).leadingZeroBitCount))
                return
            }
            let j = partition(b, lo, hi)
            if k <= j { hi = j } else { lo = j + 1 }
        }
        insertionSort(b, lo, hi)
    }

    /// Hoare partition of [lo, hi] (hi − lo ≥ 2) around the median of first, middle and last:
    /// returns j with lo ≤ j < hi, every value in [lo, j] ≤ every value in [j + 1, hi].
    @inline(__always)
    private static func partition(_ b: UnsafeMutableBufferPointer<Int64>, _ lo: Int, _ hi: Int) -> Int {
        assert(lo >= 0 && hi < b.count)
        let mid = lo + (hi - lo) / 2
        if b[mid] < b[lo] { b.swapAt(mid, lo) }
        if b[hi] < b[lo] { b.swapAt(hi, lo) }
        if b[hi] < b[mid] { b.swapAt(hi, mid) }
        let pivot = b[mid]
        var i = lo - 1
        var j = hi + 1
        while true {
            repeat { i += 1 } while b[i] < pivot
            repeat { j -= 1 } while b[j] > pivot
            if i >= j { return j }
            b.swapAt(i, j)
        }
    }

    private static func introsort(_ b: UnsafeMutableBufferPointer<Int64>, _ lo: Int, _ hi: Int, depth: Int) {
        assert(lo >= 0 && hi < b.count)
        var lo = lo
        var hi = hi
        var depth = depth
        while hi - lo > 16 {
            if depth == 0 {
                heapsort(b, lo, hi)
                return
            }
            depth -= 1
            let j = partition(b, lo, hi)
            // Recurse into the smaller side, loop on the larger (stack depth stays logarithmic).
            if j - lo < hi - j {
                introsort(b, lo, j, depth: depth)
                lo = j + 1
            } else {
                introsort(b, j + 1, hi, depth: depth)
                hi = j
            }
        }
        insertionSort(b, lo, hi)
    }

    @inline(__always)
    private static func insertionSort(_ b: UnsafeMutableBufferPointer<Int64>, _ lo: Int, _ hi: Int) {
        assert(lo >= 0 && hi < b.count)
        guard lo < hi else { return }
        for i in (lo + 1)...hi {
            let x = b[i]
            var j = i
            while j > lo && b[j - 1] > x {
                b[j] = b[j - 1]
                j -= 1
            }
            b[j] = x
        }
    }

    private static func heapsort(_ b: UnsafeMutableBufferPointer<Int64>, _ lo: Int, _ hi: Int) {
        assert(lo >= 0 && hi < b.count)
        let n = hi - lo + 1
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && b[lo + child] < b[lo + child + 1] { child += 1 }
                if b[lo + root] >= b[lo + child] { return }
                b.swapAt(lo + root, lo + child)
                root = child
            }
        }
        var start = n / 2 - 1
        while start >= 0 {
            siftDown(start, n)
            start -= 1
        }
        var end = n - 1
        while end > 0 {
            b.swapAt(lo, lo + end)
            siftDown(0, end)
            end -= 1
        }
    }
}
