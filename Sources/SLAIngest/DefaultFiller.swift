import SLAFast
import SLAModel

/// Fills `[tables.*.defaults]` into records: an empty field of a defaulted column gets the
/// default, and defaulted columns the header lacks are appended as extra fields (at the indices
/// `HeaderMap` gave them). Row builders then see an ordinary record. Used only for files whose
/// table has defaults, so other files pay nothing.
package final class DefaultFiller {
    private let map: HeaderMap
    /// Default of each real field, nil when its column has none.
    private let fieldDefaults: [[UInt8]?]
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    package init(map: HeaderMap) {
        self.map = map
        var d = [[UInt8]?](repeating: nil, count: map.fieldCount)
        for (i, v) in map.defaultedFields { d[i] = v }
        fieldDefaults = d
    }

    /// Whether records of this header need filling at all.
    package static func needed(_ map: HeaderMap) -> Bool { !map.virtualFields.isEmpty || !map.defaultedFields.isEmpty }

    /// Calls `body` with `r` completed by the defaults. `r` must have the header's field count.
    package func fill<R>(_ r: RecordView, _ body: (RecordView) -> R) -> R {
        assert(r.count == map.fieldCount, "DefaultFiller needs a record with the header's field count")
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        for i in 0..<r.count {
            let p = r[i]
            if p.count == 0, let d = fieldDefaults[i] {
                bytes.append(contentsOf: d)
            } else {
                // Safe: the field's bytes are copied inside the call; nothing keeps the buffer.
                p.withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
            ends.append(bytes.count)
        }
        for (_, v) in map.virtualFields {
            bytes.append(contentsOf: v)
            ends.append(bytes.count)
        }
        let location = r.location
        return RecordView.with(location: location, bytes: bytes, ends: ends, body)
    }
}
