/// `summary.json` (SPEC 6): the per-week contract other tools read. Key order follows the SPEC
/// example; count maps list only keys above zero, `distribution` always lists "1"…"5".
enum SummaryJSON {
    static func value(_ w: WeeklySummary) -> JSONValue {
        .object([
            ("schema_version", .int(WeeklySummary.schemaVersion)),
            ("week", .string(w.week)),
            ("week_start", .string(w.weekStart)),
            ("week_end", .string(w.weekEnd)),
            ("timezone", .string(w.timezone)),
            ("as_of", .string(w.asOf)),
            ("orders", .object([("placed", .int(w.ordersPlaced))])),
            ("tickets", .object([
                ("created", .int(w.ticketsCreated)),
                ("resolved", .int(w.ticketsResolved)),
                ("by_type", countMap(w.byType)),
                ("by_channel", countMap(w.byChannel)),
                ("by_responsibility", countMap(w.byResponsibility)),
            ])),
            ("sla", .array(w.sla.map(sla))),
            ("complaints", .object([
                ("total", .int(w.complaints.total)),
                ("top", .array(w.complaints.top.map { c in
                    .object([
                        ("category", .string(c.category)),
                        ("count", .int(c.count)),
                        ("share", .number(c.share)),
                        ("previous_count", .int(c.previousCount)),
                    ])
                })),
            ])),
            ("satisfaction", satisfaction(w.satisfaction)),
            ("logistics", .object([
                ("shipments", .int(w.logistics.shipments)),
                ("delivered", .int(w.logistics.delivered)),
                ("stalled", .int(w.logistics.stalled)),
                ("exceptions", countMap(w.logistics.exceptions)),
                ("p50_delivery_hours", .number(w.logistics.p50DeliveryHours)),
                ("p90_delivery_hours", .number(w.logistics.p90DeliveryHours)),
            ])),
            ("alerts", .array(w.alerts.map(alert))),
            ("agents", .array(w.agents.map(agent))),
            ("data_quality", .object([
                ("invalid_durations", .int(w.dataQuality.invalidDurations)),
                ("invalid_scores", .int(w.dataQuality.invalidScores)),
            ])),
        ])
    }

    static func text(_ w: WeeklySummary) -> String { value(w).text() }

    /// Only keys with a count above zero, in the given order.
    static func countMap(_ counts: [KeyCount]) -> JSONValue {
        .object(counts.filter { $0.count > 0 }.map { ($0.key, .int($0.count)) })
    }

    /// An integral Double as a JSON integer, anything else rounded to 4 decimals.
    static func quantity(_ x: Double) -> JSONValue {
        if x.isFinite, x == x.rounded(), abs(x) < 9e15 { return .int(Int(x)) }
        return .number(x)
    }

    static func sla(_ s: SLAResult) -> JSONValue {
        .object([
            ("policy", .string(s.policy)),
            ("label", .string(s.label)),
            ("target_hours", quantity(s.targetHours)),
            ("clock", .string(s.clock.rawValue)),
            ("eligible", .int(s.eligible)),
            ("met", .int(s.met)),
            ("breached", .int(s.breached)),
            ("pending", .int(s.pending)),
            ("attainment", .number(s.attainment)),
            ("p50_hours", .number(s.p50Hours)),
            ("p90_hours", .number(s.p90Hours)),
        ])
    }

    static func satisfaction(_ s: SatisfactionSummary) -> JSONValue {
        var dist: [(String, JSONValue)] = []
        for score in 1...5 {
            dist.append((String(score), .int(score - 1 < s.distribution.count ? s.distribution[score - 1] : 0)))
        }
        return .object([
            ("responses", .int(s.responses)),
            ("mean", .number(s.mean)),
            ("csat", .number(s.csat)),
            ("distribution", .object(dist)),
            ("low_scores", .int(s.lowScores)),
            ("response_rate", .number(s.responseRate)),
        ])
    }

    static func alert(_ a: Alert) -> JSONValue {
        .object([
            ("kind", .string(a.kind)),
            ("subject", .string(a.subject)),
            ("value", a.valueIsCount ? .int(Int(a.value.rounded())) : .number(a.value)),
            ("threshold", a.thresholdIsCount ? .int(Int(a.threshold.rounded())) : .number(a.threshold)),
        ])
    }

    static func agent(_ a: AgentSummary) -> JSONValue {
        .object([
            ("agent", .string(a.agent)),
            ("tickets", .int(a.tickets)),
            ("sla", .object(a.sla.map { p in
                (p.policy, .object([
                    ("met", .int(p.met)),
                    ("breached", .int(p.breached)),
                    ("attainment", .number(p.attainment)),
                ]))
            })),
            ("responses", .int(a.responses)),
            ("mean", .number(a.mean)),
            ("csat", .number(a.csat)),
        ])
    }
}
