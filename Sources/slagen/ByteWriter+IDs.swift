/// Identifier formats, written straight into the byte buffer.
extension ByteWriter {
    @inline(__always) func orderID(_ o: Int) {
        byte(UInt8(ascii: "O"))
        uint(100_000_001 + o)
    }
    @inline(__always) func ticketID(_ i: Int) {
        byte(UInt8(ascii: "T"))
        uint(100_000_001 + i)
    }
    /// One survey per ticket at most, so the ticket index names it.
    @inline(__always) func surveyID(_ i: Int) {
        byte(UInt8(ascii: "S"))
        uint(100_000_001 + i)
    }
    @inline(__always) func productID(_ p: Int) {
        byte(UInt8(ascii: "P"))
        uint(100_001 + p)
    }
    @inline(__always) func merchantID(_ m: Int) {
        byte(UInt8(ascii: "M"))
        uint(1001 + m)
    }
    @inline(__always) func customerID(_ c: Int) {
        byte(UInt8(ascii: "C"))
        uint(10_000_001 + c)
    }
    @inline(__always) func agentID(_ a: Int) {
        byte(UInt8(ascii: "A"))
        two(a)
    }

    /// A carrier-style waybill number: two letters and 12 digits, unique per order (the order
    /// index goes through a bijection mod 10^11 so numbers do not look sequential).
    @inline(__always) func trackingNo(_ o: Int, prefix: [UInt8]) {
        append(prefix)
        let v = (Int64(o) &* 48_271 &+ 9_100_123) % 100_000_000_000
        uint(Int(v) + 300_000_000_000, width: 12)
    }
}
