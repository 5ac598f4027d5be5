import SLAFast

/// Reads enum columns (SPEC 2.3) from bytes: the English `name` in any ASCII case, or one of the
/// `chinese` spellings (用户 and 消费者 are both `customer`). No `String` per call: the field is
/// packed into two machine words (ASCII lower-cased) and compared with precomputed keys, which
/// works because every known spelling is at most 16 UTF-8 bytes.
public enum EnumParser {
    @inline(__always)
    public static func ticketType(_ p: ByteView) -> TicketType? { parse(p, as: TicketType.self) }
    @inline(__always)
    public static func priority(_ p: ByteView) -> Priority? { parse(p, as: Priority.self) }
    @inline(__always)
    public static func responsibility(_ p: ByteView) -> Responsibility? {
        parse(p, as: Responsibility.self)
    }
    @inline(__always)
    public static func logisticsEvent(_ p: ByteView) -> LogisticsEventKind? {
        parse(p, as: LogisticsEventKind.self)
    }
    @inline(__always)
    public static func exceptionType(_ p: ByteView) -> ExceptionType? {
        parse(p, as: ExceptionType.self)
    }

    // String conveniences (tests, config filters such as `type = "repair"`).
    public static func ticketType(_ s: String) -> TicketType? { parse(s, as: TicketType.self) }
    public static func priority(_ s: String) -> Priority? { parse(s, as: Priority.self) }
    public static func responsibility(_ s: String) -> Responsibility? { parse(s, as: Responsibility.self) }
    public static func logisticsEvent(_ s: String) -> LogisticsEventKind? { parse(s, as: LogisticsEventKind.self) }
    public static func exceptionType(_ s: String) -> ExceptionType? { parse(s, as: ExceptionType.self) }

    @inline(__always)
    static func parse<E: ByteParsableEnum>(_ p: ByteView, as: E.Type) -> E? {
        guard let key = EnumKey(p) else { return nil }
        for k in E.byteKeys where k.lo == key.lo && k.hi == key.hi && k.count == key.count {
            return E(rawValue: k.raw)
        }
        return nil
    }

    static func parse<E: ByteParsableEnum>(_ s: String, as: E.Type) -> E? {
        ByteView.of(s) { parse($0, as: E.self) }
    }

    /// "inquiry, return, exchange, repair, refund, complaint or 咨询, 退货, 换货, 维修, 退款, 投诉"
    /// (for reject messages).
    package static func expected<E: ByteParsableEnum>(_: E.Type) -> String {
        let en = E.allCases.map(\.name).joined(separator: ", ")
        let zh = E.allCases.flatMap(\.chinese).joined(separator: ", ")
        return en + " or " + zh
    }
}

/// Up to 16 bytes of a field, ASCII lower-cased, little-endian in two words. Lower-casing only
/// touches A–Z, so UTF-8 multi-byte sequences (all bytes >= 0x80) compare exactly.
package struct EnumKey: Sendable {
    let lo: UInt64
    let hi: UInt64
    let count: Int
    let raw: UInt8

    @inline(__always)
    init?(_ p: ByteView, raw: UInt8 = 0) {
        guard p.count >= 1, p.count <= 16 else { return nil }
        self.init(packing: p, raw: raw)
    }

    @inline(__always)
    private init(packing p: ByteView, raw: UInt8) {
        // Safe: callers check 1...16 bytes, so the base is non-nil; pack reads only inside them.
        assert(p.count >= 1 && p.count <= 16)
        (lo, hi) = p.withUnsafeBytes { EnumKey.pack($0.baseAddress!, $0.count) }
        self.count = p.count
        self.raw = raw
    }

    /// The n (1...16) bytes at base in two words, A–Z lower-cased.
    @inline(__always)
    private static func pack(_ base: UnsafeRawPointer, _ n: Int) -> (UInt64, UInt64) {
        assert(n >= 1 && n <= 16, "EnumKey packs 1...16 bytes")
        // Word loads that stay inside the field (overlapping ones where it is not a multiple of
        // the word), then A–Z lower-cased eight bytes at a time.
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        // Safe: every load lies in 0..<n: 8-byte loads at 0 and n - 8 when n >= 8, 4-byte ones at
        // 0 and n - 4 when n >= 4, single bytes below n otherwise.
        if n >= 8 {
            lo = base.loadUnaligned(as: UInt64.self)
            if n > 8 { hi = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (16 - n)) }
        } else if n >= 4 {
            lo =
                UInt64(base.loadUnaligned(as: UInt32.self))
                | UInt64(base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << UInt64(8 * (n - 4))
        } else {
            for i in 0..<n { lo |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
        }
        return (EnumKey.lowercased(lo), EnumKey.lowercased(hi))
    }

    /// Each byte of `w` in A–Z gets 0x20 added; every other byte (including 0x80–0xFF) is kept.
    @inline(__always)
    static func lowercased(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = w & (0x7F &* ones)
        let atLeastA = low7 &+ (0x80 - 0x41) &* ones  // high bit set where low7 >= "A"
        let aboveZ = low7 &+ (0x80 - 0x5B) &* ones  // high bit set where low7 > "Z"
        let upper = atLeastA & ~aboveZ & ~w & (0x80 &* ones)
        return w | upper >> 2
    }

    init(_ s: String, raw: UInt8) {
        let k = ByteView.of(s) { EnumKey($0, raw: raw) }
        precondition(k != nil, "enum spelling '\(s)' must be 1...16 UTF-8 bytes")
        self = k!
    }
}

/// An enum column type `EnumParser` can read.
package protocol ByteParsableEnum: CaseIterable, RawRepresentable where RawValue == UInt8 {
    var name: String { get }
    var chinese: [String] { get }
    /// Every spelling (English name, then Chinese ones) as a key.
    static var byteKeys: [EnumKey] { get }
}

extension ByteParsableEnum {
    package static func makeKeys() -> [EnumKey] {
        allCases.flatMap { c in ([c.name] + c.chinese).map { EnumKey($0, raw: c.rawValue) } }
    }
}

extension TicketType: ByteParsableEnum { package static let byteKeys = makeKeys() }
extension Priority: ByteParsableEnum { package static let byteKeys = makeKeys() }
extension Responsibility: ByteParsableEnum { package static let byteKeys = makeKeys() }
extension LogisticsEventKind: ByteParsableEnum { package static let byteKeys = makeKeys() }
extension ExceptionType: ByteParsableEnum { package static let byteKeys = makeKeys() }
