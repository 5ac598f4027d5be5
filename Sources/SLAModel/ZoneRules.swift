import Foundation
import SLAFast

/// UTC offsets of one IANA zone as a sorted transition table, built once with Foundation's
/// `TimeZone`, then used from the row loop without Foundation: local → UTC with Python
/// `zoneinfo` `fold=0` semantics (SPEC 2.6) and UTC → local.
public struct ZoneRules: Sendable, Equatable {
    public let identifier: String
    /// UTC instants where the offset changes, ascending.
    package let transitionsUTC: [Int64]
    /// offsets[i] is in force before transitionsUTC[i]; offsets[i+1] from it on.
    package let offsets: [Int32]
    /// Local wall-clock thresholds: a local time L < localThresholds[i] uses offsets[i] (when
    /// >= localThresholds[i-1]). Threshold = transition + max(before, after), which makes both a
    /// repeated time (fall back) and a skipped time (spring forward) read with the offset before.
    let localThresholds: [Int64]

    public static let utc = ZoneRules(identifier: "UTC", transitionsUTC: [], offsets: [0])

    init(identifier: String, transitionsUTC: [Int64], offsets: [Int32]) {
        self.identifier = identifier
        self.transitionsUTC = transitionsUTC
        self.offsets = offsets
        var th: [Int64] = []
        th.reserveCapacity(transitionsUTC.count)
        for (i, t) in transitionsUTC.enumerated() {
            th.append(t + Int64(max(offsets[i], offsets[i + 1])))
        }
        self.localThresholds = th
    }

    /// nil when the zone name is unknown.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" {
            self.init(identifier: identifier, transitionsUTC: [], offsets: [0])
            return
        }
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        // Transitions from 1900 to 2200 cover any plausible export.
        let from = Date(timeIntervalSince1970: -2_208_988_800)
        let until = Date(timeIntervalSince1970: 7_258_118_400)
        var offsets: [Int32] = [Int32(tz.secondsFromGMT(for: from))]
        var transitions: [Int64] = []
        var d = from
        while let next = tz.nextDaylightSavingTimeTransition(after: d), next < until {
            let off = Int32(tz.secondsFromGMT(for: next))
            if off != offsets.last! {
                transitions.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(off)
            }
            d = next
        }
        self.init(identifier: identifier, transitionsUTC: transitions, offsets: offsets)
    }

    /// The UTC offset in seconds in force at a UTC instant.
    @inline(__always)
    public func offset(atUTC t: Int64) -> Int32 {
        if transitionsUTC.isEmpty { return offsets[0] }
        // Number of transitions <= t.
        var lo = 0
        var hi = transitionsUTC.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitionsUTC[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return offsets[lo]
    }

    /// Local wall-clock seconds (as if the local time were UTC) of a UTC instant.
    @inline(__always)
    public func local(_ utc: Int64) -> Int64 { utc + Int64(offset(atUTC: utc)) }

    /// The UTC instant of a local wall-clock time (seconds as if local were UTC), fold=0.
    @inline(__always)
    public func utc(fromLocal l: Int64) -> Int64 {
        if localThresholds.isEmpty { return l - Int64(offsets[0]) }
        var lo = 0
        var hi = localThresholds.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if localThresholds[mid] <= l { lo = mid + 1 } else { hi = mid }
        }
        return l - Int64(offsets[lo])
    }

    /// ISO 8601 with the zone's offset, whole seconds: "2026-11-23T08:00:00+08:00".
    public func iso8601(_ utc: Int64) -> String {
        let off = Int64(offset(atUTC: utc))
        let l = utc + off
        let days = Int((l >= 0 ? l : l - 86_399) / 86_400)
        let sod = Int(l - Int64(days) * 86_400)
        let sign = off < 0 ? "-" : "+"
        let a = Int(abs(off))
        return CivilDate.format(days) + "T" + CivilDate.pad(sod / 3600, 2) + ":" + CivilDate.pad(sod / 60 % 60, 2) + ":"
            + CivilDate.pad(sod % 60, 2) + sign + CivilDate.pad(a / 3600, 2) + ":" + CivilDate.pad(a / 60 % 60, 2)
    }

    /// `localString` appended as UTF-8 bytes without building a `String` (the CSV reports write
    /// hundreds of thousands). Years outside 0...9999 take the `String` path, which pads them
    /// its own way.
    /// With `iso`, `iso8601` instead: "T" between date and time and the zone's offset after.
    @inline(__always)
    package func appendLocalString(_ utc: Int64, to out: inout [UInt8], iso: Bool = false) {
        let l = local(utc)
        let days = Int((l >= 0 ? l : l - 86_399) / 86_400)
        let sod = Int(l - Int64(days) * 86_400)
        let c = CivilDate.civil(days)
        guard c.year >= 0 && c.year <= 9999 else {
            out.append(contentsOf: (iso ? iso8601(utc) : localString(utc)).utf8)
            return
        }
        @inline(__always) func two(_ v: Int) {
            out.append(0x30 + UInt8(truncatingIfNeeded: v / 10))
            out.append(0x30 + UInt8(truncatingIfNeeded: v % 10))
        }
        two(c.year / 100)
        two(c.year % 100)
        out.append(UInt8(ascii: "-"))
        two(c.month)
        out.append(UInt8(ascii: "-"))
        two(c.day)
        out.append(iso ? UInt8(ascii: "T") : UInt8(ascii: " "))
        two(sod / 3600)
        out.append(UInt8(ascii: ":"))
        two(sod / 60 % 60)
        out.append(UInt8(ascii: ":"))
        two(sod % 60)
        if iso {
            let off = Int(l - utc)
            let a = abs(off)
            out.append(off < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            two(a / 3600)
            out.append(UInt8(ascii: ":"))
            two(a / 60 % 60)
        }
    }

    /// "2026-11-23 08:00:00" local (for CSV outputs).
    public func localString(_ utc: Int64) -> String {
        let l = local(utc)
        let days = Int((l >= 0 ? l : l - 86_399) / 86_400)
        let sod = Int(l - Int64(days) * 86_400)
        return CivilDate.format(days) + " " + CivilDate.pad(sod / 3600, 2) + ":" + CivilDate.pad(sod / 60 % 60, 2) + ":"
            + CivilDate.pad(sod % 60, 2)
    }
}
