import SLAFast
import SLAMetrics
import SLAModel

/// The arrival heat map of report.html: a plain table (weekday rows × 24 local hours) whose
/// cells are shaded by count, so it needs no script, reads aloud cell by cell, and prints (the
/// shades are forced into print with `print-color-adjust`).
extension HTMLRenderer {
    /// The shade class of a cell (q0 blank … q5 darkest, colours in the page's CSS): the share of
    /// the busiest cell picks one of five steps.
    static func shade(_ n: Int, max m: Int) -> Int {
        guard n > 0, m > 0 else { return 0 }
        // 1…5 by fifths of the maximum, rounded up: any ticket at all is visibly shaded.
        return min(5, max(1, (5 * n + m - 1) / m))
    }

    func arrivals(_ w: WeeklySummary, empty: Bool) -> String {
        var s = "<section class=\"box\" id=\"arrivals\"><h2>\(e(l["h.arrivals"]))</h2>\n"
        let total = w.arrivals.reduce(0, +)
        guard total > 0 else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "empty.none"]))</p></section>\n"
        }
        let caption = l.format("arrivals.caption", c.zone.identifier)
        let m = w.arrivals.max() ?? 0
        s += "<div class=\"scroll\"><table class=\"heat\">\n<caption>\(e(caption))</caption>\n"
        s += "<tr><th scope=\"col\">\(e(l["col.day"]))</th>"
        for h in 0..<24 { s += "<th scope=\"col\" class=\"n\">\(CivilDate.pad(h, 2))</th>" }
        s += "<th scope=\"col\" class=\"n\">\(e(l["col.total"]))</th></tr>\n"
        for d in 0..<7 {
            let day = l[Localization.weekdayIDs[d + 1]]
            let row = w.arrivals[(d * 24)..<(d * 24 + 24)]
            s += "<tr><th scope=\"row\">\(e(day))</th>"
            for (h, n) in row.enumerated() {
                let k = Self.shade(n, max: m)
                let label = l.format(
                    "arrivals.cell", day, ArrivalText.clock(h), ArrivalText.clock(h + 1), NumberFormat.grouped(n))
                s += "<td class=\"q\(k)\" title=\"\(e(label))\">\(n > 0 ? NumberFormat.grouped(n) : "")</td>"
            }
            s += "<td class=\"n\">\(NumberFormat.grouped(row.reduce(0, +)))</td></tr>\n"
        }
        s += "</table></div>\n"
        if let line = ArrivalText.busiestLine(w.arrivals, l) { s += "<p class=\"note\">\(e(line))</p>" }
        return s + "</section>\n"
    }

    /// The repeat-contact tile: the share, the count and a link to the list.
    func repeatTile(_ w: WeeklySummary, _ p: WeeklySummary?, empty: Bool) -> String {
        let r = w.repeatContacts
        // "7 d" kept on one line in the caption.
        let window = c.hours(r.windowHours).replacingAll(" ", with: "\u{00A0}")
        var s = "<div class=\"tile\"><div class=\"cap\">\(e(l.format("tile.repeats", window)))</div>"
        s += "<div class=\"big\">\(e(empty ? HTML.dash : c.pct(r.share)))</div>"
        if !empty {
            let of = e(
                l.format("tile.repeats_of", NumberFormat.grouped(r.count), NumberFormat.grouped(w.ticketsCreated)))
            s += "<div class=\"sub\">\(r.count > 0 ? "<a href=\"repeat_contacts.csv\">\(of)</a>" : of)</div>"
            if let prev = p?.repeatContacts.share, let now = r.share, let d = c.pp(now, prev) {
                // Fewer repeats is better.
                let cls = now < prev ? "up" : (now > prev ? "down" : "")
                s += "<div class=\"sub\">\(l.formatHTML("tile.vs_last", "<b class=\"\(cls)\">\(e(d))</b>"))</div>"
            }
        }
        return s + "</div>"
    }
}
