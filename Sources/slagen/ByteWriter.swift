import Foundation
import SLAModel
import SLAReport

/// An append-only byte buffer that formats numbers and timestamps itself (no String
/// interpolation per field) and hands full blocks to an `OutputFile`.
final class ByteWriter {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private let capacity: Int
    private let flushAt: Int
    /// Receives full blocks; nil keeps everything in memory (scratch rows).
    var sink: OutputFile?
    /// Line end written by `endRow`: "\n" or "\r\n".
    var crlf = false
    /// Field separator: "," or "\t".
    var separator: UInt8 = UInt8(ascii: ",")
    /// Rows written so far (data rows, not the header).
    var rows = 0

    /// Cached "YYYY-MM-DD" bytes per day number, filled lazily.
    private var dayCache: [Int: [UInt8]] = [:]

    init(capacity: Int = 1 << 21, sink: OutputFile? = nil) {
        self.capacity = capacity
        self.flushAt = capacity - (64 << 10)
        self.base = .allocate(capacity: capacity)
        self.sink = sink
    }

    deinit { base.deallocate() }

    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func reset() { count = 0 }

    /// Flushes the buffer to the sink when it is nearly full; call between rows only, so a
    /// block never splits a row (the GB18030 converter relies on whole characters).
    @inline(__always)
    func rowBoundary() {
        if count >= flushAt { flush() }
    }

    func flush() {
        guard count > 0, let sink else { return }
        sink.write(base, count)
        count = 0
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    func sep() { byte(separator) }

    @inline(__always)
    func endRow() {
        if crlf { byte(13) }
        byte(10)
        rows += 1
    }

    @inline(__always)
    func append(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { p in
            if p.count > 0 { (base + count).update(from: p.baseAddress!, count: p.count) }
        }
        count += a.count
    }

    func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if count + n > capacity { flush() }
        if n > capacity {
            sink?.write(UnsafeMutablePointer(mutating: p), n)
            return
        }
        (base + count).update(from: p, count: n)
        count += n
    }

    func append(string s: String) { append(Array(s.utf8)) }

    /// Decimal, at least `width` digits with leading zeros.
    @inline(__always)
    func uint(_ v: Int, width: Int = 1) {
        var x = v
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &tmp) { buf -> Int in
            var i = 0
            repeat {
                buf[23 - i] = UInt8(48 + x % 10)
                x /= 10
                i += 1
            } while x > 0 || i < width
            (base + count).update(from: buf.baseAddress!.assumingMemoryBound(to: UInt8.self) + 24 - i, count: i)
            return i
        }
        count += n
    }

    /// Two digits.
    @inline(__always)
    func two(_ v: Int) {
        byte(UInt8(48 + v / 10))
        byte(UInt8(48 + v % 10))
    }

    /// Cents as "1234.50".
    @inline(__always)
    func money(_ cents: Int) {
        uint(cents / 100)
        byte(UInt8(ascii: "."))
        two(cents % 100)
    }

    /// "YYYY-MM-DD" of a day number.
    @inline(__always)
    func date(_ day: Int) {
        if let d = dayCache[day] {
            append(d)
        } else {
            let c = CivilDate.civil(day)
            var d: [UInt8] = []
            for (v, w) in [(c.year, 4), (c.month, 2), (c.day, 2)] {
                if !d.isEmpty { d.append(UInt8(ascii: "-")) }
                var digits = Array(String(v).utf8)
                while digits.count < w { digits.insert(48, at: 0) }
                d += digits
            }
            dayCache[day] = d
            append(d)
        }
    }

    /// The standard form "YYYY-MM-DD HH:MM:SS" of local wall-clock seconds.
    @inline(__always)
    func timestamp(_ local: Int64) {
        let day = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let sod = Int(local - Int64(day) * 86_400)
        date(day)
        byte(32)
        two(sod / 3600)
        byte(58)
        two(sod / 60 % 60)
        byte(58)
        two(sod % 60)
    }

    /// A field with RFC 4180 quoting when it holds a separator, quote or line break.
    func quoted(_ s: [UInt8]) {
        let needs = s.contains { $0 == separator || $0 == 34 || $0 == 10 || $0 == 13 }
        if !needs {
            append(s)
            return
        }
        byte(34)
        for b in s {
            if b == 34 { byte(34) }
            byte(b)
        }
        byte(34)
    }
}
