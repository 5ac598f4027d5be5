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
    static func unsupportedEncoding(_ b: ByteView) -> String? {
        func msg(_ name: String, _ why: String) -> String {
            "unsupported encoding \(name) (\(why)): re-export as CSV UTF-8"
        }
        let n = b.count
        if n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0 {
            return msg("UTF-32LE", "BOM FF FE 00 00")
        }
        if n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF {
            return msg("UTF-32BE", "BOM 00 00 FE FF")
        }
        if n >= 2 && b[0] == 0xFF && b[1] == 0xFE { return msg("UTF-16LE", "BOM FF FE") }
        if n >= 2 && b[0] == 0xFE && b[1] == 0xFF { return msg("UTF-16BE", "BOM FE FF") }
        // No BOM: ASCII-range text in UTF-16/32 has a NUL in every character.
        let m = min(n, 512) & ~3
        if m < 4 { return nil }
        var nul = [0, 0, 0, 0]
        for i in 0..<m where b[i] == 0 { nul[i & 3] += 1 }
        let quarter = m / 4
        let even = nul[0] + nul[2]
        let odd = nul[1] + nul[3]
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

    /// `encoding = auto`: UTF-8 unless the window holds invalid UTF-8 that is not a few stray
    /// bytes in well-formed text — GB18030 when more than one byte is invalid and the invalid
    /// bytes are more than a tenth of the valid multi-byte sequences. A Chinese Excel (GBK) export
    /// is almost all invalid UTF-8 (two bytes per character); a UTF-8 export with one bad byte, or
    /// a few among thousands of characters, stays UTF-8 and only the rows holding them are
    /// rejected (`encoding`).
    static func looksLikeGB18030(valid: Int, invalid: Int) -> Bool {
        invalid > 1 && invalid * 10 > valid
    }

    /// A field's bytes as text for rejects: valid UTF-8 kept, every other byte written `\xNN`.
    static func escapedString(_ v: ByteView) -> String {
        if v.isEmpty { return "" }
        if UTF8Scan.firstInvalidUTF8(v) == nil && !(0..<v.count).contains(where: { v[$0] == 0 }) {
            return v.string
        }
        // Safe: the bytes are used only for the call; `escaped` copies them into a String.
        return v.withUnsafeBytes { escaped($0) }
    }

    private static func escaped(_ b: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity(b.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < b.count {
            // Safe: i < b.count, so b[i...] is a non-empty slice of b; stop <= rest.count, so
            // i stays <= b.count and b[i] is read only when i < b.count.
            let rest = UnsafeRawBufferPointer(rebasing: b[i...])
            let bad = UTF8Scan.firstInvalidUTF8(ByteView(rest)) ?? rest.count
            let nul = rest.firstIndex(of: 0) ?? rest.count
            let stop = min(bad, nul)
            out.append(contentsOf: rest[0..<stop])
            i += stop
            if i < b.count {
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b[i] >> 4)], hex[Int(b[i] & 15)],
                ])
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

    /// Converts the bytes of `v`, appending to `out` (grown as needed). Returns nil on success,
    /// else the offset in `v` of the first byte that does not decode.
    func convert(_ v: ByteView, into out: inout ByteBuffer) -> Int? {
        guard cd != nil, !v.isEmpty else { return cd == nil ? 0 : nil }
        // Safe: v is not empty, so its base address is non-nil; it is used only for the call.
        return v.withUnsafeBytes { convert($0.baseAddress!, $0.count, into: &out) }
    }

    private func convert(_ src: UnsafeRawPointer, _ n: Int, into out: inout ByteBuffer) -> Int? {
        guard let cd else { return 0 }
        assert(n > 0, "GB18030Converter converts at least one byte")
        _ = iconv(cd, nil, nil, nil, nil)  // reset shift state
        out.reserve(n * 2 + 8)
        // Safe: iconv reads at most inLeft = n bytes from src (input only: `mutating` is its C
        // signature) and writes at most outLeft bytes, the free tail out.count..<out.capacity.
        assert(out.count <= out.capacity)
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
            mutating: src.assumingMemoryBound(to: CChar.self))
        var inLeft = n
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.base + out.count).assumingMemoryBound(
            to: CChar.self)
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
