import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite struct EnumParserTests {
    /// The `name` of what `column`'s parser makes of `input`, nil when unknown.
    static func parsed(_ column: String, _ input: String) -> String? {
        switch column {
        case "type": return EnumParser.ticketType(input)?.name
        case "priority": return EnumParser.priority(input)?.name
        case "responsibility": return EnumParser.responsibility(input)?.name
        case "event": return EnumParser.logisticsEvent(input)?.name
        case "exception": return EnumParser.exceptionType(input)?.name
        default: fatalError(column)
        }
    }

    @Test(
        arguments: [
            // column, input, expected name (nil = unknown)
            ("type", "repair", "repair"),
            ("type", "REPAIR", "repair"),
            ("type", "Repair", "repair"),
            ("type", "rEtUrN", "return"),
            ("type", "维修", "repair"),
            ("type", "咨询", "inquiry"),
            ("type", "投诉", "complaint"),
            ("type", "退款", "refund"),
            ("type", "换货", "exchange"),
            ("type", "退货", "return"),
            ("type", "foo", nil),
            ("type", "repai", nil),
            ("type", "repairs", nil),
            ("type", "re pair", nil),
            ("type", "", nil),
            ("type", "维", nil),
            ("type", "normal", nil),  // a priority, not a type
            ("priority", "normal", "normal"),
            ("priority", "URGENT", "urgent"),
            ("priority", "Major", "major"),
            ("priority", "普通", "normal"),
            ("priority", "紧急", "urgent"),
            ("priority", "重大", "major"),
            ("priority", "high", nil),
            ("responsibility", "merchant", "merchant"),
            ("responsibility", "Customer", "customer"),
            ("responsibility", "用户", "customer"),
            ("responsibility", "消费者", "customer"),
            ("responsibility", "商家", "merchant"),
            ("responsibility", "物流", "logistics"),
            ("responsibility", "平台", "platform"),
            ("responsibility", "顾客", nil),
            ("event", "picked_up", "picked_up"),
            ("event", "PICKED_UP", "picked_up"),
            ("event", "Out_For_Delivery", "out_for_delivery"),  // 16 bytes, the longest English name
            ("event", "揽收", "picked_up"),
            ("event", "运输中", "in_transit"),
            ("event", "派送中", "out_for_delivery"),
            ("event", "签收", "delivered"),
            ("event", "异常", "exception"),
            ("event", "picked up", nil),
            ("event", "out_for_delivery_", nil),  // 17 bytes
            ("event", "delivered!", nil),
            ("exception", "damaged", "damaged"),
            ("exception", "FALSE_SIGNOFF", "false_signoff"),
            ("exception", "无物流更新", "no_update"),  // 15 bytes
            ("exception", "虚假签收", "false_signoff"),
            ("exception", "破损", "damaged"),
            ("exception", "丢件", "lost"),
            ("exception", "漏发", "missing_item"),
            ("exception", "错发", "wrong_item"),
            ("exception", "其他", "other"),
            ("exception", "Other", "other"),
            ("exception", "无物流", nil),
        ] as [(String, String, String?)])
    func reads(_ column: String, _ input: String, _ expected: String?) {
        #expect(Self.parsed(column, input) == expected)
    }

    @Test func expectedLists() {
        #expect(
            EnumParser.expected(TicketType.self)
                == "inquiry, return, exchange, repair, refund, complaint or 咨询, 退货, 换货, 维修, 退款, 投诉")
        #expect(
            EnumParser.expected(Responsibility.self)
                == "merchant, logistics, customer, platform or 商家, 物流, 用户, 消费者, 平台")
    }

    /// Every spelling in the model reads back as its case (guards the 16-byte key limit).
    @Test func everySpellingRoundTrips() {
        for t in TicketType.allCases {
            for s in [t.name, t.name.uppercased()] + t.chinese { #expect(EnumParser.ticketType(s) == t) }
        }
        for t in Priority.allCases {
            for s in [t.name, t.name.uppercased()] + t.chinese { #expect(EnumParser.priority(s) == t) }
        }
        for t in Responsibility.allCases {
            for s in [t.name, t.name.uppercased()] + t.chinese { #expect(EnumParser.responsibility(s) == t) }
        }
        for t in LogisticsEventKind.allCases {
            for s in [t.name, t.name.uppercased()] + t.chinese { #expect(EnumParser.logisticsEvent(s) == t) }
        }
        for t in ExceptionType.allCases {
            for s in [t.name, t.name.uppercased()] + t.chinese { #expect(EnumParser.exceptionType(s) == t) }
        }
    }

    /// The key read with word loads equals one built a byte at a time, for every length and for
    /// every byte value at every position (A–Z, the bytes either side, and 0x80–0xFF).
    @Test func keyMatchesBytewiseLowercasing() {
        func bytewise(_ b: [UInt8]) -> (UInt64, UInt64) {
            var lo: UInt64 = 0
            var hi: UInt64 = 0
            for (i, c0) in b.enumerated() {
                let c = c0 >= 0x41 && c0 <= 0x5A ? c0 + 0x20 : c0
                if i < 8 { lo |= UInt64(c) << UInt64(8 * i) } else { hi |= UInt64(c) << UInt64(8 * (i - 8)) }
            }
            return (lo, hi)
        }
        func check(_ b: [UInt8]) {
            let k = ByteView.of(b) { EnumKey($0) }
            let want = bytewise(b)
            #expect(k?.lo == want.0 && k?.hi == want.1 && k?.count == b.count, "\(b)")
        }
        var rng = SystemRandomNumberGenerator()
        for n in 1...16 {
            for pos in 0..<n {
                for v in 0...255 {
                    var b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    b[pos] = UInt8(v)
                    check(b)
                }
            }
        }
        #expect(ByteView.of([UInt8]()) { EnumKey($0) } == nil)
        #expect(ByteView.of([UInt8](repeating: 0x41, count: 17)) { EnumKey($0) } == nil)
    }
}
