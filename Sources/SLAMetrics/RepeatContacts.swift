import SLAFast
import SLAModel

/// Repeat contacts (二次申诉): tickets whose order already had another ticket resolved at most
/// `repeat_window` before they were created.
///
/// The rule, on the deduplicated tickets (one row per ticket_id):
/// - a ticket without order_id or created_at is never a repeat;
/// - its previous ticket is, among the other tickets of the same order with a resolved_at at or
///   before its created_at, the one resolved latest (ties: the smaller ticket_id in byte order);
///   a ticket resolved after the new one was created does not count, and a ticket is never its
///   own previous ticket;
/// - it is a repeat when created_at − that resolved_at ≤ the window (the edge counts).
/// A repeat counts in the period of its own created_at.
///
/// Tickets are grouped by order with one sort of `order id << 32 | row` keys (interned ids, no
/// strings); groups are small, each looked at once.
struct RepeatContacts: Sendable {
    /// One repeat: the period of its creation, its row and its previous ticket's row in the
    /// tickets array; sorted by period, then row.
    struct Pair: Sendable {
        var period: Int32
        var ticket: Int32
        var previous: Int32
    }

    var pairs: [Pair] = []

    init() {}

    init(tickets: [TicketRow], context ctx: MetricsContext) {
        let window = ctx.config.repeatWindowSeconds
        var keys: [Int64] = []
        keys.reserveCapacity(tickets.count / 2)
        for (i, t) in tickets.enumerated() where t.orderID != .none {
            keys.append(Int64(t.orderID) << 32 | Int64(i))
        }
        Int64Sort.sort(&keys)
        let pool = ctx.pool
        // The resolved tickets of one group: (resolved_at, row), sorted by time.
        var resolved: [(at: Int64, row: Int32)] = []
        var found: [Pair] = []
        var g = 0
        while g < keys.count {
            let order = keys[g] >> 32
            var end = g + 1
            while end < keys.count && keys[end] >> 32 == order { end += 1 }
            defer { g = end }
            if end - g < 2 { continue }
            resolved.removeAll(keepingCapacity: true)
            for k in g..<end {
                let row = Int32(truncatingIfNeeded: keys[k])
                let r = tickets[Int(row)][.resolvedAt]
                if r != .missing { resolved.append((r, row)) }
            }
            if resolved.isEmpty { continue }
            resolved.sort { $0.at < $1.at }
            for k in g..<end {
                let row = Int32(truncatingIfNeeded: keys[k])
                let t = tickets[Int(row)]
                let created = t[.createdAt]
                guard created != .missing else { continue }
                // The last resolution at or before created_at, skipping the ticket itself.
                var lo = 0
                var hi = resolved.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if resolved[mid].at <= created { lo = mid + 1 } else { hi = mid }
                }
                var i = lo - 1
                while i >= 0 && resolved[i].row == row { i -= 1 }
                guard i >= 0 else { continue }
                let at = resolved[i].at
                guard created - at <= window else { continue }
                // Several resolved at that same instant: the smaller ticket_id.
                var best = resolved[i].row
                var j = i - 1
                while j >= 0 && resolved[j].at == at {
                    let r = resolved[j].row
                    if r != row && pool.precedes(tickets[Int(r)].ticketID, tickets[Int(best)].ticketID) { best = r }
                    j -= 1
                }
                found.append(Pair(period: Int32(truncatingIfNeeded: ctx.week(created)), ticket: row, previous: best))
            }
        }
        found.sort { $0.period != $1.period ? $0.period < $1.period : $0.ticket < $1.ticket }
        pairs = found
    }

    /// The repeats of period `w` (a range of `pairs`).
    func range(period w: Int) -> Range<Int> {
        let p = Int32(truncatingIfNeeded: w)
        var lo = 0
        var hi = pairs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pairs[mid].period < p { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < pairs.count && pairs[end].period == p { end += 1 }
        return lo..<end
    }

    /// The rows of repeat_contacts.csv for period `w`, by created_at then ticket_id.
    func records(period w: Int, tickets: [TicketRow], pool: StringPool) -> [RepeatRecord] {
        let out = range(period: w).map { k -> RepeatRecord in
            let p = pairs[k]
            let t = tickets[Int(p.ticket)]
            let prev = tickets[Int(p.previous)]
            return RepeatRecord(
                ticketID: pool.string(t.ticketID), orderID: pool.string(t.orderID), createdAt: t[.createdAt],
                previousTicketID: pool.string(prev.ticketID), previousResolvedAt: prev[.resolvedAt],
                agent: pool.string(t.agent), category: pool.string(t.category))
        }
        return Self.sorted(out)
    }

    /// repeat_contacts.csv's order: created_at, then ticket_id (bytes).
    static func sorted(_ records: [RepeatRecord]) -> [RepeatRecord] {
        records.sorted {
            $0.createdAt != $1.createdAt
                ? $0.createdAt < $1.createdAt
                : $0.ticketID.utf8.lexicographicallyPrecedes($1.ticketID.utf8)
        }
    }
}
