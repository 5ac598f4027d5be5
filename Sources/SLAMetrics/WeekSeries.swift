import SLAFast
import SLAModel

/// Per-week values in a dense array indexed by `ISOWeek.index`, grown on demand in either
/// direction. Cheaper than a dictionary in the row loop, and mutation through the subscript
/// happens in place (no copy of the element's arrays).
public struct WeekSeries<Element: Sendable>: Sendable {
    public private(set) var base: Int = 0
    public private(set) var items: [Element] = []
    let empty: Element

    public init(empty: Element) { self.empty = empty }

    /// The weeks that hold an element (possibly still `empty`).
    public var weeks: Range<Int> { base..<(base + items.count) }

    public subscript(week: Int) -> Element {
        get {
            let i = week - base
            return i >= 0 && i < items.count ? items[i] : empty
        }
        _modify {
            ensure(week)
            yield &items[week - base]
        }
    }

    @inline(__always)
    mutating func ensure(_ week: Int) {
        if items.isEmpty {
            base = week
            items.append(empty)
            return
        }
        if week < base {
            items.insert(contentsOf: repeatElement(empty, count: base - week), at: 0)
            base = week
        } else if week >= base + items.count {
            items.append(contentsOf: repeatElement(empty, count: week - base - items.count + 1))
        }
    }

    /// Combines `other` into this series week by week.
    public mutating func merge(_ other: WeekSeries<Element>, _ combine: (inout Element, Element) -> Void) {
        for w in other.weeks {
            combine(&self[w], other.items[w - other.base])
        }
    }
}
