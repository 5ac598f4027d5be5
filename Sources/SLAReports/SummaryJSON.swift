import SLAFast
import SLAMetrics
import SLAModel

/// `summary.json` (SPEC 6): the per-week contract other tools read. Key order follows the SPEC
/// example; count maps list only keys above zero, `distribution` always lists "1"…"5".
///
/// Streamed through `JSONWriter` (no `JSONValue` tree: a busy week lists hundreds of alerts).
/// With a `sink`, the bytes go there a megabyte at a time and the result is empty: a period of a
/// million agents makes a summary.json of over a gigabyte.
enum SummaryJSON {
    static func bytes(_ w: WeeklySummary, sink: ByteSink? = nil) -> [UInt8] {
        let agents = w.agentTable
        let policies = agents.isEmpty ? 0 : agents[0].sla.count
        var j = JSONWriter(
            capacity: sink != nil
                ? 1 << 20 + 4096
                : 4096 + 160 * w.alerts.count + (200 + 90 * policies) * agents.count)
        j.beginObject()
        j.int("schema_version", WeeklySummary.schemaVersion)
        if w.periodKind == .week {
            j.string("week", w.week)
            j.string("week_start", w.weekStart)
            j.string("week_end", w.weekEnd)
        }
        j.object("period") { j in
            j.string("kind", w.periodKind.rawValue)
            j.string("name", w.week)
            j.string("start", w.weekStart)
            j.string("end", w.weekEnd)
        }
        j.string("timezone", w.timezone)
        j.string("as_of", w.asOf)
        j.object("orders") { $0.int("placed", w.ordersPlaced) }
        j.object("tickets") { j in
            j.int("created", w.ticketsCreated)
            j.int("resolved", w.ticketsResolved)
            countMap(&j, "by_type", w.byType)
            countMap(&j, "by_channel", w.byChannel)
            countMap(&j, "by_responsibility", w.byResponsibility)
        }
        j.object("arrivals") { j in
            // Seven rows, Monday first, of 24 local hours each.
            j.array("by_weekday_hour") { j in
                for d in 0..<7 {
                    j.item()
                    j.intRow(w.arrivals[(d * 24)..<(d * 24 + 24)])
                }
            }
        }
        j.object("repeat_contacts") { j in
            quantity(&j, "window_hours", w.repeatContacts.windowHours)
            j.int("count", w.repeatContacts.count)
            j.number("share", w.repeatContacts.share)
        }
        j.array("sla") { j in
            for s in w.sla { sla(&j, s) }
        }
        j.object("complaints") { j in
            j.int("total", w.complaints.total)
            j.array("top") { j in
                for c in w.complaints.top {
                    j.item()
                    j.beginObject()
                    j.string("category", c.category)
                    j.int("count", c.count)
                    j.number("share", c.share)
                    j.int("previous_count", c.previousCount)
                    j.endObject()
                }
            }
        }
        j.object("satisfaction") { satisfaction(&$0, w.satisfaction) }
        j.object("logistics") { j in
            j.int("shipments", w.logistics.shipments)
            j.int("delivered", w.logistics.delivered)
            j.int("stalled", w.logistics.stalled)
            countMap(&j, "exceptions", w.logistics.exceptions)
            j.number("p50_delivery_hours", w.logistics.p50DeliveryHours)
            j.number("p90_delivery_hours", w.logistics.p90DeliveryHours)
        }
        j.array("alerts") { j in
            for a in w.alerts { alert(&j, a) }
        }
        j.array("agents") { j in
            for i in 0..<agents.count {
                agent(&j, agents[i])
                if let sink, j.out.count >= 1 << 20 { sink.write(j.drain()) }
            }
        }
        if !w.breakdowns.isEmpty { j.object("breakdowns") { breakdowns(&$0, w.breakdowns) } }
        j.object("data_quality") { j in
            j.int("invalid_durations", w.dataQuality.invalidDurations)
            j.int("invalid_scores", w.dataQuality.invalidScores)
            j.int("missing_due", w.dataQuality.missingDue)
        }
        j.endObject()
        guard let sink else { return j.finish() }
        sink.write(j.finish())
        return []
    }

    static func text(_ w: WeeklySummary) -> String { String(decoding: bytes(w), as: UTF8.self) }

    /// Only keys with a count above zero, in the given order.
    static func countMap(_ j: inout JSONWriter, _ key: String, _ counts: [KeyCount]) {
        j.object(key) { j in
            for kc in counts where kc.count > 0 { j.int(kc.key, kc.count) }
        }
    }

    /// An integral Double as a JSON integer, anything else rounded to 4 decimals.
    static func quantity(_ x: Double) -> JSONValue {
        if x.isFinite, x == x.rounded(), abs(x) < 9e15 { return .int(Int(x)) }
        return .number(x)
    }

    /// `quantity` as a member.
    static func quantity(_ j: inout JSONWriter, _ key: String, _ x: Double) {
        if x.isFinite, x == x.rounded(), abs(x) < 9e15 { return j.int(key, Int(x)) }
        j.number(key, x)
    }

    static func sla(_ j: inout JSONWriter, _ s: SLAResult) {
        j.item()
        j.beginObject()
        j.string("policy", s.policy)
        j.string("label", s.label)
        j.string("table", s.table.rawValue)
        if let t = s.targetHours { quantity(&j, "target_hours", t) } else { j.null("target_hours") }
        if let d = s.due { j.string("due", d) } else { j.null("due") }
        if let c = s.clock { j.string("clock", c.rawValue) } else { j.null("clock") }
        quantity(&j, "goal", s.goal)
        if let k = s.skipped { j.string("skipped", k) }
        j.int("eligible", s.eligible)
        j.int("met", s.met)
        j.int("breached", s.breached)
        j.int("pending", s.pending)
        j.number("attainment", s.attainment)
        j.number("p50_hours", s.p50Hours)
        j.number("p90_hours", s.p90Hours)
        j.endObject()
    }

    static func satisfaction(_ j: inout JSONWriter, _ s: SatisfactionSummary) {
        j.int("responses", s.responses)
        j.number("mean", s.mean)
        j.number("csat", s.csat)
        j.object("distribution") { j in
            for score in 1...5 {
                j.int(String(score), score - 1 < s.distribution.count ? s.distribution[score - 1] : 0)
            }
        }
        j.int("low_scores", s.lowScores)
        j.number("response_rate", s.responseRate)
    }

    static func alert(_ j: inout JSONWriter, _ a: Alert) {
        j.item()
        j.beginObject()
        j.string("kind", a.kind)
        j.string("subject", a.subject)
        if a.valueIsCount { j.int("value", Int(a.value.rounded())) } else { j.number("value", a.value) }
        if a.thresholdIsCount {
            j.int("threshold", Int(a.threshold.rounded()))
        } else {
            j.number("threshold", a.threshold)
        }
        j.endObject()
    }

    /// `top_n`, then one array per cut in config order: each row with its tickets, the counts
    /// of each ticket policy that applied to it (eligible > 0) and the scores.
    static func breakdowns(_ j: inout JSONWriter, _ b: Breakdowns) {
        j.int("top_n", b.topN)
        for cut in b.tickets {
            j.array(cut.dimension.rawValue) { j in
                for r in cut.rows {
                    j.item()
                    j.beginObject()
                    j.string("value", r.value)
                    j.int("values", r.values)
                    j.int("tickets", r.tickets)
                    j.object("sla") { j in
                        // Like the count maps: only the promises that applied to the row.
                        for p in r.sla where p.eligible > 0 {
                            j.object(p.policy) { j in
                                j.int("eligible", p.eligible)
                                j.int("met", p.met)
                                j.int("breached", p.breached)
                                j.int("pending", p.pending)
                                j.number("attainment", p.attainment)
                            }
                        }
                    }
                    j.int("responses", r.responses)
                    j.number("mean", r.mean)
                    j.number("csat", r.csat)
                    j.endObject()
                }
            }
        }
        if let c = b.carrier {
            // The logistics cut: shipment figures and exception events by carrier.
            j.array("carrier") { j in
                for r in c.rows {
                    j.item()
                    j.beginObject()
                    j.string("value", r.value)
                    j.int("values", r.values)
                    j.int("shipments", r.shipments)
                    j.int("delivered", r.delivered)
                    j.int("stalled", r.stalled)
                    j.int("exceptions", r.exceptions)
                    j.number("p50_delivery_hours", r.p50DeliveryHours)
                    j.number("p90_delivery_hours", r.p90DeliveryHours)
                    j.endObject()
                }
            }
        }
    }

    static func agent(_ j: inout JSONWriter, _ a: AgentSummary) {
        j.item()
        j.beginObject()
        j.string("agent", a.agent)
        j.int("tickets", a.tickets)
        j.object("sla") { j in
            for p in a.sla {
                j.object(p.policy) { j in
                    j.int("met", p.met)
                    j.int("breached", p.breached)
                    j.number("attainment", p.attainment)
                }
            }
        }
        j.int("responses", a.responses)
        j.number("mean", a.mean)
        j.number("csat", a.csat)
        j.int("resolved", a.resolved)
        j.number("handling_p50_hours", a.handlingP50Hours)
        j.int("low_scores", a.lowScores)
        if let f = a.lowScoreFlagged { j.bool("low_score_flagged", f) }
        j.endObject()
    }
}
