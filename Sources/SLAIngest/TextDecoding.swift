import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level text checks for the reader (SPEC 2.2): BOMs, UTF-16/32 detection, strict UTF-8
/// validation with an ASCII fast path, and GB18030 → UTF-8 through iconv.
enum TextDecoding {
    /// The UTF-8 byte order mark.
    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A message when the data starts like UTF-16 or UTF-32 (by BOM, or by NUL bytes filling
    /// one byte position of most characters), else nil. libcsv cannot split such data safely.
    static func unsupportedEncoding(_ b: UnsafeRawBufferPointer) -> String? {
        func msg(_ name: String, _ why: String) -> String {
            "unsupported encoding \(name) (\(why)): re-export as CSV UTF-8"
        }
        let n = b.count
        if n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0 { return msg("UTF-32LE", "BOM FF FE 00 00") }
        if n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF { return msg("UTF-32BE", "BOM 00 00 FE FF") }
        if n >= 2 && b[0] == 0xFF && b[1] == 0xFE { return msg("UTF-16LE", "BOM FF FE") }
        if n >= 2 && b[0] == 0xFE && b[1] == 0xFF { return msg("UTF-16BE", "BOM FE FF") }
        // No BOM: ASCII-range text in UTF-16/32 has a NUL in every character.
        let m = min(n, 512) & ~3
        if m < 4 { return nil }
        var nul = [0, 0, 0, 0]
        for i in 0..<m where b[i] == 0 { nul[i & 3] += 1 }
        let quarter = m / 4
        let even = nul[0] + nul[2], odd = nul[1] + nul[3]
        if nul[1] + nul[2] + nul[3] >= 3 * quarter * 8 / 10 && nul[0] < quarter / 2 {
            return msg("UTF-32LE", "NUL bytes, no BOM")
        }
        if nul[0] + nul[1] + nul[2] >= 3 * quarter * 8 / 10 && nul[3] < quarter / 2 {
            return msg("UTF-32BE", "NUL bytes, no BOM")
        }
        if odd >= 2 * quarter * 6 / 10 && even < quarter / 2 { return msg("UTF-16LE", "NUL bytes, no BOM") }
        if even >= 2 * quarter * 6 / 10 && odd < quarter / 2 { return msg("UTF-16BE", "NUL bytes, no BOM") }
        return nil
    }

    /// True when every byte is ASCII and none is NUL: the common case, checked 8 bytes at a time.
    /// Stops at the first word with a byte over 0x7F (most records carry some Chinese text, and
    /// they are validated as UTF-8 next anyway).
    @inline(__always)
    static func isCleanASCII(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
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

    /// Offset of the first byte that is not part of valid UTF-8 (overlongs, surrogates and code
    /// points above U+10FFFF are invalid), or nil. With `allowCutEnd`, a sequence cut off by
    /// the end of the buffer is not an error (a sniff window ends mid-character).
    /// The evidence `encoding = auto` weighs: how many well-formed multi-byte UTF-8 sequences the
    /// bytes hold, and how many bytes are not UTF-8 (a GBK character is two such bytes; a stray
    /// Latin-1 byte, one). A sequence cut by the end of the window counts as neither when
    /// `allowCutEnd`.
    static func utf8Evidence(_ p: UnsafeRawPointer, _ n: Int, allowCutEnd: Bool) -> (valid: Int, invalid: Int) {
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
        var c = 0
        let s = p.assumingMemoryBound(to: UInt8.self)
        for k in 0..<n where s[k] >= 0xC2 { c += 1 }
        return c
    }

    /// `encoding = auto`: UTF-8 unless the window holds invalid UTF-8 that is not a few stray
    /// bytes in well-formed text — GB18030 when more than one byte is invalid and the invalid
    /// bytes are more than a tenth of the valid multi-byte sequences. A Chinese Excel (GBK) export
    /// is almost all invalid UTF-8 (two bytes per character); a UTF-8 export with one bad byte, or
    /// a few among thousands of characters, stays UTF-8 and only the rows holding them are
    /// rejected (`encoding`).
    static func looksLikeGB18030(valid: Int, invalid: Int) -> Bool {
        invalid > 1 && invalid * 10 > valid
    }

    static func firstInvalidUTF8(_ p: UnsafeRawPointer, _ n: Int, allowCutEnd: Bool = false) -> Int? {
        let s = p.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n {
            // ASCII run, 8 at a time.
            while i + 8 <= n && p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let c = s[i]
            if c < 0x80 { i += 1; continue }
            // Chinese text is mostly three-byte sequences led by E1...EC or EE...EF, whose two
            // continuation bytes may be any of 80...BF: accept those without the general checks.
            if c &- 0xE1 < 0x0F && c != 0xED && i + 2 < n && (s[i + 1] & s[i + 2]) & 0xC0 == 0x80
                && (s[i + 1] | s[i + 2]) & 0x40 == 0
            {
                i += 3
                continue
            }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
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

    /// A field's bytes as text for rejects: valid UTF-8 kept, every other byte written `\xNN`.
    static func escapedString(_ b: UnsafeRawBufferPointer) -> String {
        guard let base = b.baseAddress, b.count > 0 else { return "" }
        if firstInvalidUTF8(base, b.count) == nil && memchr(base, 0, b.count) == nil {
            return String(decoding: b, as: UTF8.self)
        }
        var out = [UInt8]()
        out.reserveCapacity(b.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < b.count {
            let rest = UnsafeRawBufferPointer(rebasing: b[i...])
            let bad = firstInvalidUTF8(rest.baseAddress!, rest.count) ?? rest.count
            let nul = rest.firstIndex(of: 0) ?? rest.count
            let stop = min(bad, nul)
            out.append(contentsOf: rest[0..<stop])
            i += stop
            if i < b.count {
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b[i] >> 4)], hex[Int(b[i] & 15)]])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Two uppercase hex digits.
    static func hex(_ b: UInt8) -> String {
        let h = Array("0123456789ABCDEF".utf8)
        return String(decoding: [h[Int(b >> 4)], h[Int(b & 15)]], as: UTF8.self)
    }
}

/// GB18030 → UTF-8 with the C library's iconv; one handle per reader (iconv handles keep state
/// and are not shared between threads).
final class GB18030Converter {
    private let cd: iconv_t?

    init() {
        let h = iconv_open("UTF-8", "GB18030")
        cd = (h == iconv_t(bitPattern: -1)) ? nil : h
    }

    deinit {
        if let cd { iconv_close(cd) }
    }

    var isAvailable: Bool { cd != nil }

    /// Converts `n` bytes at `src`, appending to `out` (grown as needed). Returns nil on success,
    /// else the offset in `src` of the first byte that does not decode.
    func convert(_ src: UnsafeRawPointer, _ n: Int, into out: inout ByteBuffer) -> Int? {
        guard let cd else { return 0 }
        _ = iconv(cd, nil, nil, nil, nil)  // reset shift state
        out.reserve(n * 2 + 8)
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: src.assumingMemoryBound(to: CChar.self))
        var inLeft = n
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.base + out.count).assumingMemoryBound(to: CChar.self)
        var outLeft = out.capacity - out.count
        let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
        let written = (out.capacity - out.count) - outLeft
        out.count += written
        if r == -1 || inLeft != 0 {
            return n - inLeft
        }
        return nil
    }
}
