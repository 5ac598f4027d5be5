import SLAFast
import SLAMetrics
import SLAModel

/// Inline SVG charts for the HTML reports: line charts with gaps for missing weeks, horizontal and
/// vertical bars. No script, no external reference; text inherits the page's CJK font stack.
/// Every label passes through `HTML.escape`.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        /// One value per x position; nil = no data (drawn as a gap, never as zero).
        var values: [Double?]
        var dashed = false
    }

    static let palette = [
        "#1f6feb", "#d97706", "#7c3aed", "#0f9d8a", "#db2777", "#65a30d", "#0891b2",
        "#b45309", "#4b5563", "#9333ea",
    ]

    private static func f(_ x: Double) -> String { NumberFormat.decimal(x, places: 1) }

    /// A "nice" axis maximum at or above `v` (1, 2, 2.5, 5 × 10^k).
    static func niceMax(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        var p = 1.0
        while p * 10 <= v { p *= 10 }
        while p > v { p /= 10 }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * p >= v { return m * p }
        return 10 * p
    }

    /// A line chart. `percent` draws a 0–100 % axis (values are shares 0…1); otherwise counts from 0.
    /// `goal` draws a dashed horizontal line, labelled where no series crosses the label.
    static func lines(
        _ series: [Series], xLabels: [String], percent: Bool, goal: (value: Double, label: String)? = nil,
        width: Double = 560, height: Double = 220, noData: String, yMin: Double? = nil
    ) -> String {
        let left = 46.0
        let right = 12.0
        let top = 12.0
        let bottom = 26.0
        let pw = width - left - right
        let ph = height - top - bottom
        let n = max(xLabels.count, 1)
        let all = series.flatMap { $0.values.compactMap { $0 } }
        var lo = 0.0
        var hi: Double
        if percent {
            hi = 1
            // Zoom in when every value is high, so a 96 % vs 98 % difference stays visible.
            let minV = min(all.min() ?? 0, goal?.value ?? 1)
            if let yMin { lo = yMin } else if minV >= 0.5 { lo = (minV * 10).rounded(.down) / 10 - 0.1 }
            lo = max(0, lo)
        } else {
            hi = niceMax(all.max() ?? 0)
        }
        func x(_ i: Int) -> Double { n == 1 ? left + pw / 2 : left + pw * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + ph * (1 - (min(max(v, lo), hi) - lo) / (hi - lo)) }
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\">"
        // Grid and y labels: steps of 5, 10 or 20 points on a percent axis, quarters otherwise.
        var ticks = 4
        if percent {
            let tenths = Int(((hi - lo) * 10).rounded())
            ticks = tenths <= 2 ? tenths * 2 : (tenths <= 5 ? tenths : (tenths % 2 == 0 ? tenths / 2 : tenths))
            ticks = max(ticks, 1)
        }
        for t in 0...ticks {
            let v = lo + (hi - lo) * Double(t) / Double(ticks)
            let yy = y(v)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(width - right))\" y2=\"\(f(yy))\" class=\"grid\"/>"
            let label =
                percent ? NumberFormat.decimal(v * 100, places: 0) + "%" : NumberFormat.grouped(Int(v.rounded()))
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" class=\"ylab\" text-anchor=\"end\">\(label)</text>"
        }
        // X labels: every `step`-th one, counted back from the newest, so that they never overlap;
        // the outermost ones are anchored inside the plot so they cannot spill over the edge.
        let widest = xLabels.map { textWidth($0, size: 11) }.max() ?? 0
        let gap = n > 1 ? pw / Double(n - 1) : pw
        let step = max(1, Int(((widest + 8) / gap).rounded(.up)))
        for i in 0..<xLabels.count where (xLabels.count - 1 - i) % step == 0 {
            let anchor = n > 1 && i == 0 ? "start" : (n > 1 && i == n - 1 ? "end" : "middle")
            let dx = anchor == "start" ? -6.0 : (anchor == "end" ? 6.0 : 0)
            s +=
                "<text x=\"\(f(x(i) + dx))\" y=\"\(f(height - 8))\" class=\"xlab\" text-anchor=\"\(anchor)\">\(HTML.escape(xLabels[i]))</text>"
        }
        if let goal {
            let gy = y(goal.value)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(gy))\" x2=\"\(f(width - right))\" y2=\"\(f(gy))\" class=\"goal\"/>"
            if !goal.label.isEmpty {
                // Right or left end of the line, above or below it: the first place no line or
                // point crosses. With all four crossed it is left out: the legend names the line.
                let w = textWidth(goal.label, size: 11)
                var marks: [(Double, Double)] = []
                for ser in series {
                    var prev: (Double, Double)? = nil
                    for (i, v) in ser.values.enumerated() {
                        guard let v else {
                            prev = nil
                            continue
                        }
                        let p = (x(i), y(v))
                        if let q = prev {
                            for k in 1..<8 {
                                let t = Double(k) / 8
                                marks.append((q.0 + (p.0 - q.0) * t, q.1 + (p.1 - q.1) * t))
                            }
                        }
                        marks.append(p)
                        prev = p
                    }
                }
                let places: [(right: Bool, baseline: Double)] = [
                    (true, gy - 4), (false, gy - 4), (true, gy + 13), (false, gy + 13),
                ].filter { $0.baseline - 11 >= top - 2 && $0.baseline <= top + ph }
                func crossed(_ p: (right: Bool, baseline: Double)) -> Bool {
                    let x0 = p.right ? width - right - 2 - w : left + 4
                    return marks.contains { m in
                        // 6: a point's radius and a little air around the text
                        m.0 >= x0 - 6 && m.0 <= x0 + w + 6 && m.1 >= p.baseline - 11 - 6 && m.1 <= p.baseline + 6
                    }
                }
                if let place = places.first(where: { !crossed($0) }) {
                    let (tx, anchor) = place.right ? (width - right - 2, "end") : (left + 4, "start")
                    s +=
                        "<text x=\"\(f(tx))\" y=\"\(f(place.baseline))\" class=\"goallab\" text-anchor=\"\(anchor)\">\(HTML.escape(goal.label))</text>"
                }
            }
        }
        if all.isEmpty {
            s +=
                "<text x=\"\(f(left + pw / 2))\" y=\"\(f(top + ph / 2))\" class=\"nodata\" text-anchor=\"middle\">\(HTML.escape(noData))</text>"
        }
        for ser in series {
            var path = ""
            var runLength = 0
            for (i, v) in ser.values.enumerated() {
                guard let v else {
                    runLength = 0
                    continue
                }
                path += (runLength == 0 ? "M" : "L") + f(x(i)) + " " + f(y(v)) + " "
                runLength += 1
            }
            let dash = ser.dashed ? " stroke-dasharray=\"5 3\"" : ""
            if !path.isEmpty {
                s +=
                    "<path d=\"\(path.trimmingSpaces)\" fill=\"none\" stroke=\"\(ser.color)\" stroke-width=\"2\"\(dash)/>"
            }
            for (i, v) in ser.values.enumerated() {
                guard let v else { continue }
                s +=
                    "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3\" fill=\"\(ser.color)\"><title>\(HTML.escape(ser.name)) \(HTML.escape(xLabels[i])): \(percent ? NumberFormat.percent(v)! : NumberFormat.decimal(v))</title></circle>"
            }
        }
        s += "</svg>"
        return s
    }

    /// The legend under a line chart (HTML, so long CJK names wrap naturally).
    static func legend(_ series: [Series], goal: String? = nil) -> String {
        var s = "<div class=\"legend\">"
        for ser in series {
            let style = ser.dashed ? "border-top:2px dashed \(ser.color)" : "background:\(ser.color)"
            s += "<span><i style=\"\(style)\"></i>\(HTML.escape(ser.name))</span>"
        }
        if let goal { s += "<span><i class=\"goalkey\"></i>\(HTML.escape(goal))</span>" }
        return s + "</div>"
    }

    struct Bar {
        var label: String
        var value: Double
        /// Text after the bar (count, share, change); already escaped HTML-safe text is not assumed.
        var note: String
        var color: String = "#1f6feb"
    }

    /// Horizontal bars, one per row, labels on the left (wrapped to the label column width).
    static func horizontalBars(_ bars: [Bar], width: Double = 560, labelWidth: Double = 170) -> String {
        let rowH = 30.0
        // Room for the longest note after the longest bar, so no note is cut at the edge.
        let noteW = (bars.map { textWidth($0.note, size: 12) }.max() ?? 0) + 14
        let height = rowH * Double(max(bars.count, 1)) + 4
        let maxV = max(bars.map(\.value).max() ?? 0, 1)
        let barW = max(width - labelWidth - noteW, 60)
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\">"
        for (i, b) in bars.enumerated() {
            let y0 = Double(i) * rowH + 4
            let w = barW * b.value / maxV
            let label = fitted(b.label, width: labelWidth - 12, size: 12)
            s +=
                "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y0 + 16))\" class=\"blab\" text-anchor=\"end\">\(HTML.escape(label))<title>\(HTML.escape(b.label))</title></text>"
            s +=
                "<rect x=\"\(f(labelWidth))\" y=\"\(f(y0 + 3))\" width=\"\(f(max(w, b.value > 0 ? 2 : 0)))\" height=\"\(f(rowH - 10))\" rx=\"2\" fill=\"\(b.color)\"/>"
            s +=
                "<text x=\"\(f(labelWidth + w + 6))\" y=\"\(f(y0 + 16))\" class=\"bnote\">\(HTML.escape(b.note))</text>"
        }
        return s + "</svg>"
    }

    /// Vertical bars with the value above each bar and the label below.
    static func verticalBars(_ bars: [Bar], width: Double = 420, height: Double = 180) -> String {
        let top = 18.0
        let bottom = 34.0
        let ph = height - top - bottom
        let n = Double(max(bars.count, 1))
        let slot = width / n
        let maxV = max(bars.map(\.value).max() ?? 0, 1)
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\">"
        s += "<line x1=\"0\" y1=\"\(f(top + ph))\" x2=\"\(f(width))\" y2=\"\(f(top + ph))\" class=\"axis\"/>"
        for (i, b) in bars.enumerated() {
            let h = ph * b.value / maxV
            let x0 = slot * Double(i) + slot * 0.18
            let bw = slot * 0.64
            s +=
                "<rect x=\"\(f(x0))\" y=\"\(f(top + ph - h))\" width=\"\(f(bw))\" height=\"\(f(h))\" rx=\"2\" fill=\"\(b.color)\"/>"
            s +=
                "<text x=\"\(f(x0 + bw / 2))\" y=\"\(f(top + ph - h - 4))\" class=\"vnote\" text-anchor=\"middle\">\(HTML.escape(b.note))</text>"
            s +=
                "<text x=\"\(f(x0 + bw / 2))\" y=\"\(f(top + ph + 16))\" class=\"xlab\" text-anchor=\"middle\">\(HTML.escape(b.label))</text>"
        }
        return s + "</svg>"
    }

    /// Estimated rendered width of a text in px: CJK and other wide characters take a full em,
    /// Latin letters and digits about 0.58 em. SVG text does not wrap, so labels are fitted with it.
    static func textWidth(_ s: String, size: Double) -> Double {
        var w = 0.0
        for u in s.unicodeScalars {
            let v = u.value
            if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || v >= 0x1F300
            {
                w += size
            } else if " .,:;·'|!il".unicodeScalars.contains(u) {
                w += size * 0.3
            } else {
                w += size * 0.58
            }
        }
        return w
    }

    /// The text cut with an ellipsis to fit `width` px (the full text stays in a `<title>`).
    static func fitted(_ s: String, width: Double, size: Double) -> String {
        if textWidth(s, size: size) <= width { return s }
        var out = ""
        for ch in s {
            if textWidth(out + String(ch) + "…", size: size) > width { break }
            out.append(ch)
        }
        return out + "…"
    }
}
