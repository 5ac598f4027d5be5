import SLAFast
import SLAMetrics
import SLAModel

/// HTML escaping and the page frame shared by report.html and index.html: inline CSS with a system
/// CJK font stack, print rules, no script and no external reference.
enum HTML {
    /// Escapes `& < > " '` so any input-derived text is safe in element content and attributes.
    static func escape(_ s: String) -> String {
        // Most text (ids, numbers, labels) has nothing to escape: hand it back without a copy.
        if !s.utf8.contains(where: needsEscape) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // A CR (a Windows line break inside a quoted field) is a line break like LF; other
                // control characters are invisible at best: show them as U+FFFD.
                if c == "\r" {
                    out += "\n"
                } else if c.value < 0x20 && c != "\t" && c != "\n" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    /// Whether a UTF-8 byte starts something `escape` changes (`& < > " '`, controls but tab/LF).
    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): return true
        case 0x09, 0x0A: return false
        default: return b < 0x20
        }
    }

    static let dash = "—"

    static func page(lang: ReportLanguage, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(lang == .zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let css = """
        :root{--ink:#1c2430;--muted:#5b6675;--line:#dfe3e8;--bg:#f5f7fa;--ok:#127a3a;--okbg:#e7f5ec;--bad:#b42318;--badbg:#fdecea;--accent:#1f6feb}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
        html:lang(en) body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif}
        main{max-width:1200px;margin:0 auto;padding:20px 24px 40px}
        h1{font-size:24px;margin:0 0 4px}
        h2{font-size:16px;margin:0 0 10px}
        h3{font-size:14px;margin:12px 0 6px;color:var(--muted)}
        a{color:var(--accent)}
        .meta{color:var(--muted);margin:0 0 16px}
        .meta span{margin-right:18px;white-space:nowrap}
        .box{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 16px;break-inside:avoid;page-break-inside:avoid}
        .grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
        .grid2>.box{margin:0 0 16px}
        @media (max-width:860px){.grid2{grid-template-columns:1fr}}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;margin:0 0 16px}
        .tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;break-inside:avoid;page-break-inside:avoid;border-left:5px solid var(--line)}
        .tile .cap{color:var(--muted);font-size:13px;line-height:1.3;min-height:2.6em}
        .tile .big{font-size:28px;font-weight:650;line-height:1.2;margin:4px 0 2px}
        .tile .sub{color:var(--muted);font-size:12px}
        .tile.ok{border-left-color:var(--ok)} .tile.ok .big{color:var(--ok)}
        .tile.bad{border-left-color:var(--bad)} .tile.bad .big{color:var(--bad)}
        .tile.none .big{color:#9aa3ad}
        .up{color:var(--ok)} .down{color:var(--bad)}
        table{border-collapse:collapse;width:100%;font-size:13px}
        th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        tr.total th,tr.total td{font-weight:600;border-bottom:2px solid var(--muted)}
        th{color:var(--muted);font-weight:600;background:#fafbfc}
        td.n,th.n{text-align:right;white-space:nowrap}
        table.fit{width:auto;min-width:60%}
        td.ok{color:var(--ok);font-weight:600} td.bad{color:var(--bad);font-weight:600}
        .scroll{overflow-x:auto}
        .kv{display:grid;grid-template-columns:auto auto;gap:4px 16px;justify-content:start}
        .kv dt{color:var(--muted)} .kv dd{margin:0;font-weight:600;text-align:right}
        .note{color:var(--muted);font-size:12px;margin:6px 0 0}
        .empty{color:var(--muted);font-style:italic}
        .banner{background:#fff8e1;border:1px solid #f3d27a;border-radius:8px;padding:10px 14px;margin:0 0 16px}
        .legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;color:var(--muted);margin:4px 0 0}
        .legend i{display:inline-block;width:16px;height:3px;margin:0 6px 3px 0;vertical-align:middle}
        .legend i.goalkey{border-top:2px dashed var(--bad);height:0}
        svg.chart{display:block;max-width:100%;height:auto;overflow:visible}
        svg .grid{stroke:#e8ebef;stroke-width:1} svg .axis{stroke:#b8c0ca;stroke-width:1}
        svg .goal{stroke:var(--bad);stroke-width:1.2;stroke-dasharray:6 4}
        svg text{fill:var(--muted);font-size:11px} svg .goallab{fill:var(--bad);paint-order:stroke;stroke:#fff;stroke-width:3px}
        svg .blab{fill:var(--ink);font-size:12px} svg .bnote,svg .vnote{fill:var(--ink);font-size:12px}
        svg .nodata{font-size:14px}
        .small{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:12px 20px}
        .small h3{margin:0 0 4px;color:var(--ink);font-weight:600;min-height:2.8em;line-height:1.4}
        td.nw,span.nw{white-space:nowrap}
        .first{border-left:5px solid var(--accent)}
        .firstgrid{display:grid;grid-template-columns:1.6fr 1fr 1fr 1.4fr;gap:12px 20px}
        @media (max-width:860px){.firstgrid{grid-template-columns:1fr 1fr}}
        .firstgrid h3{margin:0 0 4px}
        .flist{margin:0;padding:0 0 0 16px} .flist li{margin:2px 0 4px} .flist small{color:var(--muted);display:block;line-height:1.3}
        .fig{margin:0;font-size:15px} .fig b{font-size:22px}
        .first a{color:inherit} .okline{color:var(--ok);margin:0}
        b.bad{color:var(--bad)}
        .actgrid{display:grid;grid-template-columns:2.4fr 1fr;gap:16px;align-items:start}
        @media (max-width:860px){.actgrid{grid-template-columns:1fr}}
        .actgrid h3{margin:0 0 6px}
        table.heat{table-layout:fixed;font-size:11px;min-width:760px}
        table.heat th,table.heat td{padding:3px 2px;text-align:center;border:1px solid #fff}
        table.heat th[scope=row]{text-align:left;width:4.5em} table.heat td.n,table.heat th.n:last-child{width:4.5em;text-align:right}
        table.heat caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:12px;padding-top:6px}
        .heat td.q1{background:#e3edfd} .heat td.q2{background:#bcd3fa} .heat td.q3{background:#8cb4f5}
        .heat td.q4{background:#4f8bec;color:#fff} .heat td.q5{background:#1f5fc8;color:#fff}
        .heat td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        footer{color:var(--muted);font-size:12px}
        footer li{margin:2px 0}
        @media print{
          body{background:none;font-size:11px}
          main{max-width:none;padding:0}
          .box,.tile{border-color:#bbb}
          .grid2{grid-template-columns:1fr 1fr}
          .tiles{grid-template-columns:repeat(6,1fr);gap:6px}
          .tile{padding:6px 8px} .tile .big{font-size:20px} .tile .cap{font-size:11px}
          a{color:inherit;text-decoration:none}
          h2{break-after:avoid;page-break-after:avoid}
          tr{break-inside:avoid;page-break-inside:avoid}
          .scroll{overflow:visible}
        }
        """
}
