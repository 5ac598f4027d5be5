import SLAIngest
import SLAModel

extension Config {
    /// Every effective setting as `key = value` lines, for the config hash in run.json.
    ///
    /// Deterministic: keys sorted by byte order, sets sorted, numbers in Swift's shortest
    /// round-trip form, strings quoted with escapes. Two configs that measure the same thing give
    /// the same text however they were written (comments, key order, "Mon" vs "monday", a default
    /// written out or left out). `source` is left out: where the file lives changes no number.
    /// Policies keep their order (it is the report order) under zero-padded indices.
    public var canonicalDescription: String {
        var entries: [(String, String)] = [
            ("timezone", q(timezone)),
            ("lang", q(lang.rawValue)),
            ("input", q(input)),
            ("out", q(out)),
            ("max_reject_rate", String(maxRejectRate)),
            ("encoding", q(encoding.rawValue)),
            ("csv_bom", String(csvBOM)),
            ("top_n", String(topN)),
            ("complaint_types", list(complaintTypes.map(\.name))),
            ("stall_hours", String(stallHours)),
            ("repeat_window_seconds", String(repeatWindowSeconds)),
            ("agents.low_score_flag", String(agentLowScoreFlag)),
            (
                "calendar.business_hours",
                list(calendar.businessHours.map { "\(hm($0.startMinute))-\(hm($0.endMinute))" })
            ),
            ("calendar.business_day_seconds", String(calendar.businessDaySeconds)),
            ("calendar.workdays", list(calendar.workdays.sorted().map(String.init))),
            ("calendar.holidays", list(calendar.holidays.sorted().map(CivilDate.format))),
            ("calendar.extra_workdays", list(calendar.extraWorkdays.sorted().map(CivilDate.format))),
            ("alerts.product_complaints", String(alerts.productComplaints)),
            ("alerts.merchant_complaint_rate", String(alerts.merchantComplaintRate)),
            ("alerts.product_rate_ratio", String(alerts.productRateRatio)),
            ("alerts.merchant_rate_ratio", String(alerts.merchantRateRatio)),
            ("alerts.merchant_min_orders", String(alerts.merchantMinOrders)),
            ("alerts.category_spike_ratio", String(alerts.categorySpikeRatio)),
            ("alerts.category_spike_min", String(alerts.categorySpikeMin)),
            ("policy.count", String(policies.count)),
            ("delimiter", q(String(UnicodeScalar(delimiter)))),
            ("attainment_goal", String(attainmentGoal)),
            ("valid_from", CivilDate.format(validFrom)),
            ("periods", list(periods.map(\.rawValue))),
            ("breakdowns.top_n", String(breakdowns.topN)),
            ("breakdowns.by", list(breakdowns.by.map { q($0.rawValue) })),
        ]
        for (t, c) in tables {
            let base = "tables.\(t.rawValue)."
            entries.append((base + "files", list(c.files.map(q))))
            if let e = c.encoding { entries.append((base + "encoding", q(e.rawValue))) }
            if let d = c.delimiter { entries.append((base + "delimiter", q(String(UnicodeScalar(d))))) }
            for (column, header) in c.columns { entries.append((base + "columns.\(q(column))", q(header))) }
            for e in c.extras { entries.append((base + "extra.\(q(e.name))", "\(q(e.header)) \(e.type.rawValue)")) }
            for (column, value) in c.defaults { entries.append((base + "defaults.\(q(column))", q(value))) }
        }
        for (header, column) in aliases {
            entries.append(("aliases.\(q(header))", q(column)))
        }
        for (i, p) in policies.enumerated() {
            let base = "policy.\(CivilDate.pad(i + 1, 3))."
            entries += [
                (base + "name", q(p.name)),
                (base + "label", q(p.label)),
                (base + "table", q(p.table.rawValue)),
                (base + "start", q(p.start)),
                (base + "stop", q(p.stop)),
                (base + "due", p.due.map(q) ?? "none"),
                (base + "target", q(p.targetText)),
                (base + "target_seconds", String(p.targetSeconds)),
                (base + "goal", String(goal(of: p))),
                (base + "clock", q(p.clock.rawValue)),
            ]
            for f in p.when { entries.append((base + "when.\(q(f.column))", list(f.values.sorted().map(q)))) }
            for f in p.unless { entries.append((base + "unless.\(q(f.column))", list(f.values.sorted().map(q)))) }
        }
        entries.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return entries.map { "\($0.0) = \($0.1)\n" }.joined()
    }
}

private func q(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if ch.value < 0x20 || ch.value == 0x7F {
                out += "\\u{\(String(ch.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(ch)
            }
        }
    }
    return out + "\""
}

private func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

private func hm(_ minute: Int) -> String { CivilDate.pad(minute / 60, 2) + ":" + CivilDate.pad(minute % 60, 2) }
