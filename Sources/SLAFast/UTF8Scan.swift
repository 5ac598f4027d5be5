/// UTF-8 and ASCII checks a word (8 bytes) at a time where the text allows: the reader runs
/// them on every record. Safe to call with any view; the pointer loops are private and never
/// read past the view's `count` (each word load is guarded by `i + 8 <= n`).
public enum UTF8Scan {
    /// True when every byte is ASCII and none is NUL: the common case, checked 8 bytes at a time.
    /// Stops at the first word with a byte over 0x7F (most records carry some Chinese text, and
    /// they are validated as UTF-8 next anyway).
    @inlinable @inline(__always)
    public static func isCleanASCII(_ v: ByteView) -> Bool {
        v.withUnsafeBytes { isCleanASCII($0.baseAddress, $0.count) }
    }

    @usableFromInline @inline(__always)
    static func isCleanASCII(_ p: UnsafeRawPointer?, _ n: Int) -> Bool {
        guard let p else { return true }
        // Safe: the caller's view holds n bytes at p; word loads run while i + 8 <= n, byte
        // loads while i < n.
        assert(n >= 0)
        var i = 0
        var zero: UInt64 = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { return false }
            zero |= (w &- 0x0101_0101_0101_0101) & ~w
            i += 8
        }
        var tail: UInt8 = 0
        var tailZero = false
        while i < n {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            tail |= c
            tailZero = tailZero || c == 0
            i += 1
        }
        return zero & 0x8080_8080_8080_8080 == 0 && tail & 0x80 == 0 && !tailZero
    }

    /// The evidence `encoding = auto` weighs: how many well-formed multi-byte UTF-8 sequences the
    /// bytes hold, and how many bytes are not UTF-8 (a GBK character is two such bytes; a stray
    /// Latin-1 byte, one). A sequence cut by the end of the window counts as neither when
    /// `allowCutEnd`.
    public static func utf8Evidence(_ v: ByteView, allowCutEnd: Bool) -> (valid: Int, invalid: Int) {
        v.withUnsafeBytes { b in b.baseAddress.map { utf8Evidence($0, b.count, allowCutEnd: allowCutEnd) } ?? (0, 0) }
    }

    private static func utf8Evidence(_ p: UnsafeRawPointer, _ n: Int, allowCutEnd: Bool) -> (valid: Int, invalid: Int) {
        // Safe: p holds n bytes (a view's); every index read below is < n.
        assert(n >= 0)
        var valid = 0
        var invalid = 0
        var i = 0
        let s = p.assumingMemoryBound(to: UInt8.self)
        while i < n {
            guard let bad = firstInvalidUTF8(p + i, n - i, allowCutEnd: allowCutEnd) else {
                valid += multiByteSequences(p + i, n - i)
                break
            }
            valid += multiByteSequences(p + i, bad)
            invalid += 1
            i += bad + 1
            // The bad stretch goes on while the next byte cannot start a sequence.
            while i < n && (s[i] & 0xC0 == 0x80 || s[i] >= 0xF5 || s[i] == 0xC0 || s[i] == 0xC1) {
                invalid += 1
                i += 1
            }
        }
        return (valid, invalid)
    }

    /// Lead bytes (0xC2…0xF4) in well-formed UTF-8: one per multi-byte sequence.
    private static func multiByteSequences(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        // Safe: p holds at least n bytes (a prefix of utf8Evidence's range); k < n.
        assert(n >= 0)
        var c = 0
        let s = p.assumingMemoryBound(to: UInt8.self)
        for k in 0..<n where s[k] >= 0xC2 { c += 1 }
        return c
    }

    /// Offset of the first byte that is not part of valid UTF-8 (overlongs, surrogates and code
    /// points above U+10FFFF are invalid), or nil. With `allowCutEnd`, a sequence cut off by
    /// the end of the buffer is not an error (a sniff window ends mid-character).
    @inlinable
    public static func firstInvalidUTF8(_ v: ByteView, allowCutEnd: Bool = false) -> Int? {
        v.withUnsafeBytes { b in b.baseAddress.flatMap { firstInvalidUTF8($0, b.count, allowCutEnd: allowCutEnd) } }
    }

    @usableFromInline
    static func firstInvalidUTF8(_ p: UnsafeRawPointer, _ n: Int, allowCutEnd: Bool = false) -> Int? {
        // Safe: p holds n bytes; word loads need i + 8 <= n, every byte read checks i + k < n
        // (a sequence cut by the end returns before reading past it).
        assert(n >= 0)
        let s = p.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n {
            // ASCII run, 8 at a time.
            while i + 8 <= n && p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            if i >= n { break }
            let c = s[i]
            if c < 0x80 {
                i += 1
                continue
            }
            // Chinese text is mostly three-byte sequences led by E1...EC or EE...EF, whose two
            // continuation bytes may be any of 80...BF: accept those without the general checks.
            if c &- 0xE1 < 0x0F && c != 0xED && i + 2 < n && (s[i + 1] & s[i + 2]) & 0xC0 == 0x80
                && (s[i + 1] | s[i + 2]) & 0x40 == 0
            {
                i += 3
                continue
            }
            let len: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0:
                len = 3
                lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED:
                len = 3
                hi = 0x9F
            case 0xF0:
                len = 4
                lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4:
                len = 4
                hi = 0x8F
            default: return i
            }
            for k in 1..<len {
                if i + k >= n { return allowCutEnd ? nil : i }
                let d = s[i + k]
                let (a, b) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                if d < a || d > b { return k == 1 ? i : i + k }
            }
            i += len
        }
        return nil
    }
}
