import SLAModel
import SLAReport

/// Writes timestamps in the standard form, or — in messy files, with probability `rate` — in one
/// of the other forms SPEC 2.4 accepts, counting each form for the manifest.
struct TimestampMixer {
    static let names = [
        "unpadded_no_seconds",  // 2026-3-5 9:07 (value truncated to the minute)
        "slash",  // 2026/03/05 09:07:00
        "iso_offset",  // 2026-03-05T09:07:00+08:00
        "iso_utc_z",  // 2026-03-05T01:07:00Z
        "fraction_ms",  // 2026-03-05 09:07:00.123
        "iso_fraction_offset_nocolon",  // 2026-03-05T09:07:00.123456+0800
        "no_seconds",  // 2026-03-05 09:07
    ]
    var rng: PRNG
    let rate: Double
    let zone: ZoneRules
    var counts = [Int](repeating: 0, count: TimestampMixer.names.count)

    init(seed: UInt64, stream: UInt64, rate: Double, zone: ZoneRules) {
        rng = PRNG(seed: seed, stream: stream)
        self.rate = rate
        self.zone = zone
    }

    @inline(__always)
    mutating func write(_ w: ByteWriter, _ t: Int64) {
        if t < 0 { return }
        if rate > 0 && rng.chance(rate) {
            let v = rng.below(TimestampMixer.names.count)
            TimestampMixer.write(w, t, variant: v, zone: zone, rng: &rng)
            counts[v] += 1
        } else {
            w.timestamp(t)
        }
    }

    /// One of the forms that keep the exact second (for duplicates that must compare equal).
    mutating func writeExactVariant(_ w: ByteWriter, _ t: Int64) {
        let v = [1, 2, 3, 4, 5][rng.below(5)]
        TimestampMixer.write(w, t, variant: v, zone: zone, rng: &rng)
        counts[v] += 1
    }

    static func write(_ w: ByteWriter, _ local: Int64, variant: Int, zone: ZoneRules, rng: inout PRNG) {
        var l = local
        var offset = 0
        if variant == 2 || variant == 3 || variant == 5 {
            let utc = zone.utc(fromLocal: local)
            offset = Int(local - utc)
            if variant == 3 {
                l = utc
                offset = 0
            }
        }
        let day = Clock.dayOf(l)
        let sod = Int(Clock.secondOfDay(l))
        let c = CivilDate.civil(day)
        switch variant {
        case 0:
            w.uint(c.year, width: 4)
            w.byte(45)
            w.uint(c.month)
            w.byte(45)
            w.uint(c.day)
            w.byte(32)
            w.uint(sod / 3600)
            w.byte(58)
            w.two(sod / 60 % 60)
        case 1:
            w.uint(c.year, width: 4)
            w.byte(47)
            w.two(c.month)
            w.byte(47)
            w.two(c.day)
            w.byte(32)
            w.two(sod / 3600)
            w.byte(58)
            w.two(sod / 60 % 60)
            w.byte(58)
            w.two(sod % 60)
        case 6:
            w.date(day)
            w.byte(32)
            w.two(sod / 3600)
            w.byte(58)
            w.two(sod / 60 % 60)
        default:
            w.date(day)
            w.byte(variant == 4 ? 32 : UInt8(ascii: "T"))
            w.two(sod / 3600)
            w.byte(58)
            w.two(sod / 60 % 60)
            w.byte(58)
            w.two(sod % 60)
            if variant == 4 {
                w.byte(46)
                w.uint(rng.below(1000), width: 3)
            }
            if variant == 5 {
                w.byte(46)
                w.uint(rng.below(1_000_000), width: 6)
            }
            if variant == 3 {
                w.byte(UInt8(ascii: "Z"))
            } else if variant != 4 {
                w.byte(offset < 0 ? 45 : 43)
                let a = abs(offset)
                w.two(a / 3600)
                if variant == 2 { w.byte(58) }
                w.two(a / 60 % 60)
            }
        }
    }
}
