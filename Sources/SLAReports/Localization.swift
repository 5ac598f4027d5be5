import SLAFast
import SLAMetrics
import SLAModel

/// Every label, heading, caption, table header and footnote of the human reports, in English and
/// Chinese, keyed by a message id. Numbers are formatted the same way in both languages.
struct Localization: Sendable {
    let lang: ReportLanguage
    /// Month reports say "this month" where week reports say "this week": an id with a
    /// `@month` variant reads that one.
    let period: PeriodKind

    init(_ lang: ReportLanguage, period: PeriodKind = .week) {
        self.lang = lang
        self.period = period
    }

    /// The text of a message id; an unknown id returns the id itself (tests check all ids exist).
    subscript(_ id: String) -> String {
        let pair = (period == .month ? Localization.messages[id + "@month"] : nil) ?? Localization.messages[id]
        guard let pair else { return id }
        return lang == .zh ? pair.zh : pair.en
    }

    /// Whether a message id exists.
    func has(_ id: String) -> Bool { Localization.messages[id] != nil }

    /// A message with `{0}`, `{1}`… replaced by arguments.
    func format(_ id: String, _ args: String...) -> String {
        var s = self[id]
        for (i, a) in args.enumerated() { s = s.replacingAll("{\(i)}", with: a) }
        return s
    }

    /// Like `format`, for HTML: the message text is escaped, the arguments are inserted as they are
    /// (the caller passes HTML).
    func formatHTML(_ id: String, _ args: String...) -> String {
        var s = HTML.escape(self[id])
        for (i, a) in args.enumerated() { s = s.replacingAll("{\(i)}", with: a) }
        return s
    }

    /// A config label such as "Repair plan within 72 h / 72小时内给出维修方案": the part for the
    /// language when it splits in two on " / ", else the whole label (or the policy name if empty).
    func policyLabel(_ label: String, name: String) -> String {
        let trimmed = label.trimmingSpaces
        if trimmed.isEmpty { return name }
        let parts = trimmed.parts(separatedBy: " / ", omittingEmpty: true)
        guard parts.count >= 2 else { return trimmed }
        return lang == .zh ? parts[parts.count - 1] : parts[0]
    }

    /// A known enum value in the report language (ticket types, responsibility, exceptions, alert
    /// kinds); other values (free text from inputs) come back unchanged.
    func value(_ kind: String, _ key: String) -> String {
        let id = "\(kind).\(key)"
        let text = self[id]
        return text == id ? key : text
    }

    /// An input value for display: the `(none)` placeholder for an empty category, channel or
    /// subject is shown in the report language; anything else is kept as written.
    func shown(_ value: String) -> String { value == "(none)" ? self["value.none"] : value }

    static let weekdayIDs = ["", "wd.1", "wd.2", "wd.3", "wd.4", "wd.5", "wd.6", "wd.7"]

    /// ": " in English, "：" in Chinese.
    var colon: String { self["p.colon"] }

    /// `text` in brackets after what precedes it: " (text)" in English, "（text）" in Chinese.
    func paren(_ text: String) -> String { format("p.paren", text) }

    /// Sentences one after another: a space between them in English, none in Chinese.
    func sentences(_ items: String...) -> String { items.joined(separator: lang == .zh ? "" : " ") }

    /// A list joined with ", " in English and "、" in Chinese.
    func list(_ items: [String]) -> String { items.joined(separator: self["p.list"]) }

    /// A duration in words for reading, not computing: "0 min", "59 min", "1 h", "1 h 30 min",
    /// "1 d 1 h", "6 d 2 h" ("6天2小时"). Under a day it keeps minutes; from a day on, whole hours.
    /// Negative durations get a leading "−". nil or non-finite gives "—".
    func duration(hours: Double?) -> String {
        guard let hours, hours.isFinite else { return HTML.dash }
        let sign = hours < 0 ? "−" : ""
        let minutes = Int((abs(hours) * 60).rounded(.toNearestOrAwayFromZero))
        if minutes < 60 { return sign + format("dur.min", String(minutes)) }
        if minutes < 24 * 60 {
            let h = minutes / 60
            let m = minutes % 60
            return sign + (m == 0 ? format("dur.h", String(h)) : format("dur.hm", String(h), String(m)))
        }
        let wholeHours = Int(abs(hours).rounded(.toNearestOrAwayFromZero))
        let d = wholeHours / 24
        let h = wholeHours % 24
        return sign + (h == 0 ? format("dur.d", String(d)) : format("dur.dh", String(d), String(h)))
    }

    /// A moment in local words with the zone's offset: "Fri 20 Nov 2026, 18:00 (UTC+08:00)",
    /// "2026年11月20日 周五 18:00（UTC+08:00）"; `short` leaves out the year and the offset
    /// ("Fri 20 Nov, 18:00", "11月20日 周五 18:00") for lists inside one report.
    func moment(_ utc: Int64, zone: ZoneRules, short: Bool = false) -> String {
        let off = Int(zone.offset(atUTC: utc))
        let local = utc + Int64(off)
        let days = Int((local >= 0 ? local : local - 86_399) / 86_400)
        let sod = Int(local - Int64(days) * 86_400)
        let c = CivilDate.civil(days)
        let hm = CivilDate.pad(sod / 3600, 2) + ":" + CivilDate.pad(sod / 60 % 60, 2)
        let a = abs(off)
        let offset = (off < 0 ? "-" : "+") + CivilDate.pad(a / 3600, 2) + ":" + CivilDate.pad(a / 60 % 60, 2)
        return format(
            short ? "time.short" : "time.full", self[Localization.weekdayIDs[CivilDate.weekday(days)]],
            String(c.day), self["mon.\(c.month)"], String(c.year), hm, offset)
    }

    /// A promise in words from its columns, for a policy the config gives no label:
    /// "Shipped within 24 h of payment", "Delivered by the promised delivery date"; nil when a
    /// column has no words (then the policy's name is shown).
    func autoLabel(start: String, stop: String, target: String, due: Bool) -> String? {
        guard has("at.\(stop)"), due || has("at.\(start)") else { return nil }
        let text =
            due
            ? format("policy.auto_due", self["at.\(stop)"], target)
            : format("policy.auto", self["at.\(stop)"], target, self["at.\(start)"])
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// A column in words ("payment", "付款"), or its name when it has none.
    func column(_ name: String) -> String { has("at.\(name)") ? self["at.\(name)"] : name }

    static let messages: [String: (en: String, zh: String)] = [
        // Titles and headings
        "title.week": ("After-sales service report", "售后服务周报"),
        "title.week@month": ("After-sales monthly report", "售后服务月报"),
        "h.headline@month": ("Headline", "本月概览"),
        "h.trend@month": ("Trend over the last {0} months", "近{0}个月趋势"),
        "h.trend1@month": ("This month", "本月"),
        "tile.vs_last@month": ("{0} vs last month", "较上月 {0}"),
        "tile.no_last@month": ("no previous month", "无上月数据"),
        "tile.no_tickets@month": ("no tickets this month", "本月无相关工单"),
        "col.previous@month": ("Last month", "上月"),
        "col.this_week@month": ("This month", "本月"),
        "bucket.caption@month": ("Tickets created this month, by time to first response", "本月新建工单的首次响应用时"),
        "empty.none@month": ("None this month.", "本月无。"),
        "empty.week@month": ("No data in this month.", "本月无数据。"),
        "alerts.none@month": ("No early warnings this month.", "本月无预警。"),
        "agents.none@month": ("No tickets with an agent this month.", "本月无指派客服的工单。"),
        "agents.note@month": (
            "Tickets created this month, followed wherever their results fall (cohort); met and breached count every promise. Per-promise columns:",
            "本月新建的工单，其结果无论何时发生都计入本月（同期群）；达成与超时合计所有服务承诺。各承诺明细见"
        ),
        "complaints.total@month": ("{0} after-sales cases this month ({1})", "本月售后单共 {0} 单（{1}）"),
        "callbacks.none@month": ("No low scores this month.", "本月无差评。"),
        "alerts.order@month": (
            "Grouped by kind; in each group the biggest rise since last month comes first.",
            "按类型分组；每组内较上月增加最多的排在前面。"
        ),
        "complaints.vs@month": ("{0} vs last month", "较上月 {0}"),
        "def.week@month": (
            "A month is a calendar month, the 1st 00:00 to the last day 24:00.", "每月按自然月计算：1日 00:00 至月末 24:00。"
        ),
        "def.csat@month": ("CSAT = share of scores 4–5 among the month's responses.", "满意度 = 本月评价中4–5分的占比。"),
        "def.cohort@month": (
            "SLA results count in the month the clock started; a pending ticket can still become met or breached in a later run.",
            "SLA 结果计入计时开始所在的月；处理中的工单在之后的运行中可能变为达成或超时。"
        ),
        "h.months": ("Months", "各月数据"),
        "col.month": ("Month", "月份"),
        "title.index": ("After-sales service reports", "售后服务报告总览"),
        "h.headline": ("Headline", "本周概览"),
        "h.volumes": ("Volumes", "业务量"),
        "h.sla": ("Service promises (SLA)", "服务承诺达成（SLA）"),
        "h.trend": ("Trend over the last {0} weeks", "近{0}周趋势"),
        "h.trend1": ("This week", "本周"),
        "h.complaints": ("Top after-sales categories", "高频售后问题类别"),
        "h.callbacks": ("Callbacks for low scores (1–2)", "差评回访（1–2分）"),
        "h.csat": ("Customer satisfaction", "客户满意度"),
        "h.csat_dist": ("Score distribution (1–5)", "评分分布（1–5分）"),
        "h.response_dist": ("First response time", "首次响应时长分布"),
        "h.alerts": ("Early warnings", "预警"),
        "h.agents": ("Agents", "客服人员"),
        "h.logistics": ("Logistics", "物流"),
        "h.breaches": ("SLA breaches", "超时工单"),
        "h.data_quality": ("Data quality", "数据质量"),
        "h.definitions": ("Definitions", "口径说明"),
        "h.weeks": ("Weeks", "各周数据"),
        "h.trends": ("Trends over all {0} weeks", "全部{0}周趋势"),
        "h.by_type": ("Tickets by type", "按类型"),
        "h.by_channel": ("Tickets by channel", "按渠道"),
        "h.by_responsibility": ("Tickets by responsibility", "按责任方"),
        // Header line
        "meta.week": ("Week", "周次"),
        "meta.dates": ("Dates", "日期"),
        "meta.zone": ("Time zone", "时区"),
        "meta.as_of": ("Data as of", "数据截至"),
        "meta.generated_by": ("Generated by slareport {0}", "由 slareport {0} 生成"),
        // Tiles
        "tile.created": ("Tickets created", "新建工单"),
        "tile.resolved": ("Tickets resolved", "已解决工单"),
        "tile.csat": ("CSAT (4–5 of 5)", "满意度（4–5分占比）"),
        "tile.complaints": ("After-sales cases", "售后单"),
        "tile.cases_of": ("{0}", "含{0}"),
        "tile.orders": ("Orders placed", "下单数"),
        "tile.responses": ("{0} responses", "{0} 份评价"),
        "tile.vs_last": ("{0} vs last week", "较上周 {0}"),
        "tile.no_last": ("no previous week", "无上周数据"),
        "tile.goal": ("goal {0}", "目标 {0}"),
        "tile.target": ("target {0}", "时限 {0}"),
        "tile.met_breached": ("{0} met · {1} breached · {2} pending", "达成 {0} · 超时 {1} · 处理中 {2}"),
        "tile.no_tickets": ("no tickets this week", "本周无相关工单"),
        // Table headers
        "col.policy": ("Promise", "服务承诺"),
        "col.target": ("Target", "时限"),
        "col.clock": ("Clock", "计时方式"),
        "col.eligible": ("Eligible", "适用工单"),
        "col.met": ("Met", "达成"),
        "col.breached": ("Breached", "超时"),
        "col.pending": ("Pending", "处理中"),
        "col.attainment": ("Attainment", "达成率"),
        "col.p50": ("Median", "中位数"),
        "col.p90": ("P90", "P90"),
        "col.category": ("Category", "类别"),
        "col.count": ("Count", "数量"),
        "col.share": ("Share", "占比"),
        "col.previous": ("Last week", "上周"),
        "col.change": ("Change", "变化"),
        "col.kind": ("Warning", "预警类型"),
        "col.subject": ("Subject", "对象"),
        "col.value": ("Value", "数值"),
        "col.threshold": ("Threshold", "阈值"),
        "col.agent": ("Agent", "客服"),
        "col.weakest": ("Most missed promise", "超时最多的承诺"),
        "col.tickets": ("Tickets", "工单数"),
        "col.responses": ("Responses", "评价数"),
        "col.mean": ("Mean score", "平均分"),
        "col.csat": ("CSAT", "满意度"),
        "col.ticket": ("Ticket", "工单号"),
        "col.order": ("Order", "订单号"),
        "col.start": ("Start", "开始"),
        "col.stop": ("Stop", "结束"),
        "col.elapsed": ("Elapsed", "用时"),
        "col.state": ("State", "状态"),
        "col.target_h": ("Target", "时限"),
        "col.metric": ("Metric", "指标"),
        "col.this_week": ("This week", "本周"),
        "col.table": ("Table", "数据表"),
        "col.rows_read": ("Rows read", "读取行数"),
        "col.rejected": ("Rejected", "拒收行数"),
        "col.merged": ("Duplicates merged", "合并重复"),
        "col.unique": ("Unique rows", "去重后"),
        "col.week": ("Week", "周次"),
        "col.alerts": ("Warnings", "预警数"),
        "col.report": ("Report", "报告"),
        "col.orders": ("Orders", "订单"),
        "col.created": ("Created", "新建"),
        "col.resolved": ("Resolved", "已解决"),
        "col.complaints": ("After-sales cases", "售后单"),
        "col.comment": ("Comment", "评价内容"),
        "col.callback_due": ("Call back by", "回访截止"),
        "col.score": ("Score", "评分"),
        // Values
        "state.breached": ("breached", "已超时"),
        "state.breached_open": ("open, overdue", "未完成且已超时"),
        "clock.24x7": ("24×7", "自然时间"),
        "clock.business": ("business hours", "工作时间"),
        "alert.product_complaints": ("Products with many after-sales cases", "售后单偏多的商品"),
        "alert.merchant_complaint_rate": ("Merchants with a high after-sales rate", "售后率偏高的商家"),
        "alert.category_spike": ("After-sales categories that jumped", "激增的售后类别"),
        "type.inquiry": ("inquiry", "咨询"),
        "type.return": ("return", "退货"),
        "type.exchange": ("exchange", "换货"),
        "type.repair": ("repair", "维修"),
        "type.refund": ("refund", "退款"),
        "type.complaint": ("complaint", "投诉"),
        "resp.merchant": ("merchant", "商家"),
        "resp.logistics": ("logistics", "物流"),
        "resp.customer": ("customer", "用户"),
        "resp.platform": ("platform", "平台"),
        "resp.(none)": ("(none)", "（未填）"),
        "value.none": ("(none)", "（未填）"),
        "value.unassigned": ("(unassigned)", "（未指派）"),
        "value.other": ("(other: {0})", "（其他 {0} 项）"),
        "h.breakdowns": ("Where the numbers come from", "分维度拆分"),
        "breakdowns.note": (
            "Tickets created, and breaches and attainment over every promise, counted where the totals count them; red: below the whole period. The {0} largest values of each, the rest added up; every promise and the top {1} in summary.json.",
            "工单数按创建时间统计，超时与达成率合计全部服务承诺，计入方式与总数相同；红色表示低于整体。每个维度列出最多的 {0} 项，其余合计；各项承诺明细及前 {1} 项见 summary.json。"
        ),
        "breakdowns.note@month": (
            "Tickets created, and breaches and attainment over every promise, counted where the totals count them; red: below the whole month. The {0} largest values of each, the rest added up; every promise and the top {1} in summary.json.",
            "工单数按创建时间统计，超时与达成率合计全部服务承诺，计入方式与总数相同；红色表示低于本月整体。每个维度列出最多的 {0} 项，其余合计；各项承诺明细及前 {1} 项见 summary.json。"
        ),
        "breakdowns.all": ("All tickets", "全部工单"),
        "col.cut": ("By", "维度"),
        "col.cut_value": ("Value", "项目"),
        "cut.channel": ("Channel", "渠道"),
        "cut.type": ("Type", "类型"),
        "cut.priority": ("Priority", "优先级"),
        "cut.category": ("Category", "类别"),
        "cut.merchant": ("Merchant", "商家"),
        "cut.carrier": ("Carrier", "承运商"),
        "col.stalled": ("Stalled", "停滞"),
        "carrier.note": (
            "Shipments by the carrier of their earliest event that names one, counted in the period of their first event (delivered, stalled and delivery times with them); exception events in their own period. The top {0} carriers, the rest added up.",
            "运单按其最早一条注明承运商的物流事件归属承运商，计入首个事件所在周期（签收、停滞与配送时长随之统计）；物流异常按事件所在周期统计。列出运单最多的 {0} 家承运商，其余合计。"
        ),
        "exc.damaged": ("damaged", "破损"),
        "exc.lost": ("lost", "丢件"),
        "exc.missing_item": ("missing item", "漏发"),
        "exc.wrong_item": ("wrong item", "错发"),
        "exc.false_signoff": ("false sign-off", "虚假签收"),
        "exc.no_update": ("no tracking update", "无物流更新"),
        "exc.other": ("other", "其他"),
        "exc.(none)": ("(none)", "（未填）"),
        "table.orders": ("orders", "订单"),
        "table.logistics": ("logistics", "物流"),
        "table.tickets": ("tickets", "工单"),
        "wd.1": ("Mon", "周一"), "wd.2": ("Tue", "周二"), "wd.3": ("Wed", "周三"), "wd.4": ("Thu", "周四"),
        "wd.5": ("Fri", "周五"), "wd.6": ("Sat", "周六"), "wd.7": ("Sun", "周日"),
        // Logistics box
        "log.shipments": ("Shipments", "发货运单"),
        "log.delivered": ("Delivered", "已签收"),
        "log.stalled": ("Stalled (no update > {0} h)", "停滞（超过{0}小时无更新）"),
        "log.exceptions": ("Exceptions", "物流异常"),
        "log.p50": ("Delivery time, median", "配送时长中位数"),
        "log.p90": ("Delivery time, P90", "配送时长P90"),
        "log.none": ("No exceptions", "无异常"),
        // Satisfaction
        "csat.responses": ("Responses", "评价数"),
        "csat.mean": ("Mean score", "平均分"),
        "csat.csat": ("CSAT (share of 4–5)", "满意度（4–5分占比）"),
        "csat.low": ("Low scores (1–2) for callback", "差评（1–2分）待回访"),
        "csat.rate": ("Response rate", "评价率"),
        "csat.low_link": ("List: low_scores.csv", "名单：low_scores.csv"),
        // Response buckets
        "bucket.lt": ("< {0} h", "< {0} 小时"),
        "bucket.range": ("{0}–{1} h", "{0}–{1} 小时"),
        "bucket.ge": ("≥ {0} h", "≥ {0} 小时"),
        "bucket.none": ("no response yet", "尚未响应"),
        "bucket.caption": ("Tickets created this week, by time to first response", "本周新建工单的首次响应用时"),
        "target.h": ("{0} h", "{0}小时"),
        "target.m": ("{0} min", "{0}分钟"),
        "target.d": ("{0} days", "{0}天"),
        "target.bd": ("{0} business days", "{0}个工作日"),
        "target.due": ("by {0}", "不晚于{0}"),
        "due.promised_delivery_at": ("the promised delivery date", "承诺送达时间"),
        "due.promised_ship_at": ("the promised shipping date", "承诺发货时间"),
        "due.due_at": ("the due date", "截止时间"),
        "sla.skipped": ("no data ({0} not in the export)", "无数据（导出文件缺少 {0}）"),
        // Misc captions
        "unit.hours": ("{0} h", "{0} 小时"),
        "unit.pp": ("{0} pp", "{0} 个百分点"),
        "empty.none": ("None this week.", "本周无。"),
        "empty.week": ("No data in this week.", "本周无数据。"),
        "alerts.none": ("No early warnings this week.", "本周无预警。"),
        "agents.none": ("No tickets with an agent this week.", "本周无指派客服的工单。"),
        "agents.more": ("{0} more agents, all in agents.csv (worst first).", "另有 {0} 名客服，完整名单见 agents.csv（按表现从差到好排列）。"),
        "agents.note": (
            "Tickets created this week, followed wherever their results fall (cohort); met and breached count every promise. Per-promise columns:",
            "本周新建的工单，其结果无论何时发生都计入本周（同期群）；达成与超时合计所有服务承诺。各承诺明细见"
        ),
        "breaches.first": ("First {0} of {1}; the full list is in {2}.", "共 {1} 条，此处列出前 {0} 条；完整名单见 {2}。"),
        "breaches.all": ("All {0}; also in {1}.", "共 {0} 条；另见 {1}。"),
        "complaints.total": ("{0} after-sales cases this week ({1})", "本周售后单共 {0} 单（{1}）"),
        "callbacks.none": ("No low scores this week.", "本周无差评。"),
        "callbacks.rule": (
            "Call back within 24 h of the response; earliest deadline first.", "收到评价后24小时内回访；按回访截止时间排序。"
        ),
        "list.first": ("First {0} of {1}; all in {2}.", "共 {1} 条，此处列出前 {0} 条；完整名单见 {2}。"),
        "alerts.more": ("{0} more in {1}.", "另有 {0} 条，见 {1}。"),
        "alerts.order": (
            "Grouped by kind; in each group the biggest rise since last week comes first.",
            "按类型分组；每组内较上周增加最多的排在前面。"
        ),
        "complaints.vs": ("{0} vs last week", "较上周 {0}"),
        "dq.invalid_durations": ("Invalid durations (stop before start)", "无效时长（结束早于开始）"),
        "dq.invalid_scores": ("Invalid satisfaction scores", "无效满意度评分"),
        "dq.rejects_link": ("Rejected rows: {0}", "拒收行明细：{0}"),
        "dq.whole_run": ("Rows are counted over the whole run (all weeks).", "行数为整次运行（所有周）的合计。"),
        "legend.goal": ("goal {0}", "目标 {0}"),
        "legend.csat": ("CSAT", "满意度"),
        "chart.no_data": ("No data", "无数据"),
        "chart.created": ("Tickets created", "新建工单"),
        "chart.complaints": ("After-sales cases", "售后单"),
        "chart.csat": ("CSAT", "满意度"),
        "chart.attainment": ("SLA attainment", "SLA达成率"),
        "index.open": ("open", "查看"),
        "index.newest": ("Newest first. Each week links to its full report.", "按时间倒序；点击周次查看完整周报。"),
        "md.definitions": (
            "How every number is counted: the Definitions section of report.html.",
            "各项数字的计算口径见 report.html 的“口径说明”。"
        ),
        "md.files": (
            "Files: summary.json, sla_breaches.csv, low_scores.csv, agents.csv, alerts.csv, repeat_contacts.csv",
            "文件：summary.json、sla_breaches.csv、low_scores.csv、agents.csv、alerts.csv、repeat_contacts.csv"
        ),
        // Durations: "6 d 2 h", "6天2小时" (NumberFormat picks the form)
        "dur.min": ("{0} min", "{0}分钟"),
        "dur.h": ("{0} h", "{0}小时"),
        "dur.hm": ("{0} h {1} min", "{0}小时{1}分钟"),
        "dur.d": ("{0} d", "{0}天"),
        "dur.dh": ("{0} d {1} h", "{0}天{1}小时"),
        // Local date and time: {0} weekday, {1} day, {2} month, {3} year, {4} hh:mm, {5} offset
        "time.full": ("{0} {1} {2} {3}, {4} (UTC{5})", "{3}年{2}月{1}日 {0} {4}（UTC{5}）"),
        "time.short": ("{0} {1} {2}, {4}", "{2}月{1}日 {0} {4}"),
        "mon.1": ("Jan", "1"), "mon.2": ("Feb", "2"), "mon.3": ("Mar", "3"), "mon.4": ("Apr", "4"),
        "mon.5": ("May", "5"), "mon.6": ("Jun", "6"), "mon.7": ("Jul", "7"), "mon.8": ("Aug", "8"),
        "mon.9": ("Sep", "9"), "mon.10": ("Oct", "10"), "mon.11": ("Nov", "11"), "mon.12": ("Dec", "12"),
        // Punctuation that differs: full-width in Chinese text
        "p.colon": (": ", "："),
        "p.paren": (" ({0})", "（{0}）"),
        "p.list": (", ", "、"),
        // A promise in words, from its columns, when the config gives no label:
        // "Shipped within 24 h of payment", "Delivered by the promised delivery date"
        "policy.auto": ("{0} within {1} of {2}", "{2}后{1}内{0}"),
        "policy.auto_due": ("{0} {1}", "{1}{0}"),
        "at.created_at": ("ticket created", "工单创建"),
        "at.first_response_at": ("first response", "首次响应"),
        "at.fault_confirmed_at": ("fault type confirmed", "确认故障类型"),
        "at.repair_plan_at": ("repair plan given", "给出维修方案"),
        "at.plan_rejected_at": ("plan rejected", "用户不接受方案"),
        "at.escalated_at": ("escalated", "升级"),
        "at.resolved_at": ("resolved", "解决"),
        "at.surveyed_at": ("surveyed", "回访"),
        "at.ordered_at": ("order placed", "下单"),
        "at.paid_at": ("payment", "付款"),
        "at.shipped_at": ("shipped", "发货"),
        "at.signed_at": ("delivered", "签收"),
        "at.sent_at": ("survey sent", "发出评价邀请"),
        "at.answered_at": ("survey answered", "客户评价"),
        // "This week, first" (top of the page) and "Act now" (open clocks), with the closed breaches
        "h.first": ("This week, first", "本周要点"),
        "h.first@month": ("This month, first", "本月要点"),
        "first.below_goal": ("Below goal", "未达目标"),
        "first.all_met": ("Every promise decided this week is at or above its goal.", "本周已判定的服务承诺全部达到目标。"),
        "first.all_met@month": ("Every promise decided this month is at or above its goal.", "本月已判定的服务承诺全部达到目标。"),
        "first.none_decided": ("No promise decided yet this week.", "本周尚无已判定的服务承诺。"),
        "first.none_decided@month": ("No promise decided yet this month.", "本月尚无已判定的服务承诺。"),
        "first.more_below": ("{0} more below goal", "另有 {0} 项未达目标"),
        "first.open": ("Open now", "当前未完成"),
        "first.open_line": ("{0} overdue · {1} due within 24 h", "{0} 项已超时 · {1} 项24小时内到期"),
        "first.callbacks": ("Callbacks", "差评回访"),
        "first.callbacks_line": ("{0} low scores (1–2) waiting for a callback", "{0} 条差评（1–2分）待回访"),
        "first.alerts": ("Top warnings", "主要预警"),
        "first.alerts_more": ("{0} warnings in all", "共 {0} 条预警"),
        "first.was": ("last week {0}", "上周 {0}"),
        "first.was@month": ("last month {0}", "上月 {0}"),
        "h.act_now": ("Act now: open and overdue", "立即处理：未完成且已超时"),
        "act.scope_all": (
            "Every clock still open at the data time, whichever week it started in.",
            "截至数据时间仍未完成的全部事项，不论开始于哪一周。"
        ),
        "act.scope_all@month": (
            "Every clock still open at the data time, whichever month it started in.",
            "截至数据时间仍未完成的全部事项，不论开始于哪个月。"
        ),
        "act.scope_period": (
            "Clocks started this week and still open at the data time (the newest week lists every open one).",
            "本周开始、截至数据时间仍未完成的事项（最新一周列出全部未完成事项）。"
        ),
        "act.scope_period@month": (
            "Clocks started this month and still open at the data time (the newest month lists every open one).",
            "本月开始、截至数据时间仍未完成的事项（最新一月列出全部未完成事项）。"
        ),
        "act.counts": ("{0} open: {1} overdue, {2} due within 24 h.", "共 {0} 项未完成：{1} 项已超时，{2} 项24小时内到期。"),
        "act.none": ("Nothing open is overdue.", "无已超时的未完成事项。"),
        "act.first": (
            "The {0} most overdue of {1}; every open item is in {2}.", "共 {1} 项已超时，此处列出超时最久的 {0} 项；全部未完成事项见 {2}。"
        ),
        "act.all": ("Every open item is in {0}.", "全部未完成事项见 {0}。"),
        "col.item": ("Ticket / order", "工单/订单"),
        "col.type": ("Type", "类型"),
        "col.priority": ("Priority", "优先级"),
        "col.due": ("Due", "截止时间"),
        "col.overdue": ("Overdue by", "已超时"),
        "h.aging": ("Open items by age", "未完成事项账龄"),
        "col.age": ("Age (since start)", "已开始时长"),
        "col.open": ("Open", "未完成"),
        "col.overdue_n": ("of them overdue", "其中已超时"),
        "age.lt": ("< {0} d", "< {0} 天"),
        "age.range": ("{0}–{1} d", "{0}–{1} 天"),
        "age.ge": ("≥ {0} d", "≥ {0} 天"),
        "prio.normal": ("normal", "普通"),
        "prio.urgent": ("urgent", "紧急"),
        "prio.major": ("major", "重大"),
        "h.breaches_closed": ("Breaches closed late", "已完成但超时"),
        "breaches.closed_first": (
            "First {0} of {1} closed late; {2} lists them with the open ones.",
            "共 {1} 条已完成但超时，此处列出前 {0} 条；{2} 含全部超时（包括未完成的）。"
        ),
        "breaches.closed_all": (
            "All {0} closed late; {1} lists them with the open ones.",
            "共 {0} 条已完成但超时；{1} 含全部超时（包括未完成的）。"
        ),
        // Arrival pattern (heat map), repeat contacts (二次申诉), agent review
        "h.arrivals": ("When tickets arrive", "工单到达时段"),
        "arrivals.caption": (
            "Tickets created this week, by weekday and local hour ({0}); darker = more.",
            "本周新建工单，按星期与当地时间小时（{0}）统计；颜色越深，工单越多。"
        ),
        "arrivals.caption@month": (
            "Tickets created this month, by weekday and local hour ({0}); darker = more.",
            "本月新建工单，按星期与当地时间小时（{0}）统计；颜色越深，工单越多。"
        ),
        "arrivals.busiest": ("Busiest hours: {0}", "最忙时段：{0}"),
        "arrivals.slot": ("{0} {1}–{2} ({3})", "{0} {1}–{2}（{3}）"),
        "arrivals.cell": ("{0} {1}–{2}, {3} created", "{0} {1}–{2}：新建 {3} 单"),
        "col.day": ("Day", "星期"),
        "col.total": ("Total", "合计"),
        "tile.repeats": ("Repeat contacts (within {0})", "二次申诉（{0}内）"),
        "tile.repeats_of": ("{0} of {1} tickets", "{1} 单中 {0} 单"),
        "repeats.line": (
            "Repeat contacts (within {0} of a resolved ticket on the same order): {1} of {2} tickets ({3}).",
            "二次申诉（同一订单的工单解决后{0}内再次提交）：{2} 单中 {1} 单（{3}）。"
        ),
        "repeats.list": ("List", "名单"),
        "col.handling_p50": ("Median handling", "处理时长中位数"),
        "col.low_scores": ("Low scores", "差评"),
        "agents.flagged": ("over {0}", "超过{0}次"),
        "agents.flag_note": (
            "Low scores: scores 1–2 of the agent's tickets. Median handling: created → resolved.",
            "差评：该客服工单的1–2分评价。处理时长：工单创建至解决。"
        ),
        "agents.flag_note@month": (
            "Low scores: scores 1–2 of the agent's tickets; “over {0}” marks more than {0} in the month. Median handling: created → resolved.",
            "差评：该客服工单的1–2分评价；“超过{0}次”表示当月差评超过{0}次。处理时长：工单创建至解决。"
        ),
        "agents.flagged_line": ("Agents with more than {0} low scores this month: {1}", "本月差评超过{0}次的客服：{1}"),
        "agents.flagged_none": ("No agent has more than {0} low scores this month.", "本月没有差评超过{0}次的客服。"),
        "agents.flagged_more": ("{0} more in agents.csv", "另有 {0} 人，见 agents.csv"),
        "def.repeat": (
            "Repeat contact (二次申诉): a ticket whose order had another ticket resolved at most {0} before it was created; counted in the week it was created.",
            "二次申诉：同一订单的另一工单解决后{0}内新建的工单，计入其新建所在的周。"
        ),
        "def.repeat@month": (
            "Repeat contact (二次申诉): a ticket whose order had another ticket resolved at most {0} before it was created; counted in the month it was created.",
            "二次申诉：同一订单的另一工单解决后{0}内新建的工单，计入其新建所在的月。"
        ),
        // Definitions footnote
        "def.zone": ("All times are in {0}.", "所有时间均为 {0} 时区。"),
        "def.week": ("A week is an ISO week, Monday 00:00 to Sunday 24:00.", "每周按 ISO 周计算：周一 00:00 至周日 24:00。"),
        "def.business": (
            "Business hours {0} on {1} (one business day = {4} h); holidays {2}, extra workdays {3}.",
            "工作时间 {0}，工作日 {1}（1个工作日 = {4} 小时）；节假日 {2} 天，调休工作日 {3} 天。"
        ),
        "def.policy": ("{0}: from {1} to {2}, within {3} ({4} clock).", "{0}：从{1}到{2}，时限 {3}（{4}计时）。"),
        "def.policy_due": ("{0}: from {1} to {2}, {3}.", "{0}：从{1}到{2}，{3}。"),
        "def.attainment": (
            "Attainment = met ÷ (met + breached); pending tickets are not yet due. Goal line at {0}.",
            "达成率 = 达成 ÷（达成 + 超时）；处理中工单尚未到期，不计入。目标线为 {0}。"
        ),
        "def.csat": ("CSAT = share of scores 4–5 among surveyed tickets of the week.", "满意度 = 本周评价中4–5分的占比。"),
        "def.pause": (
            "Pause-unaware: exports carry no status history, so clocks cannot pause while waiting on the customer.",
            "不含暂停：导出数据没有状态历史，等待客户回复期间计时无法暂停。"
        ),
        "def.dash": ("“—” means no data (nothing to measure), not zero.", "“—”表示无数据（无可计算的工单），而非零。"),
        "def.cohort": (
            "SLA results count in the week the clock started; a pending ticket can still become met or breached in a later run.",
            "SLA 结果计入计时开始所在的周；处理中的工单在之后的运行中可能变为达成或超时。"
        ),
    ]
}

extension String {
    /// Trimmed of leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
