import SLAIngest
import SLAModel

/// The file `slareport init` writes: every setting at its default, each with a comment.
///
/// Parsing `defaultText` gives exactly `Config.defaults` (a test holds it to that), so the file is
/// both the documentation and a faithful starting point.
public enum ConfigTemplate {
    public static let defaultText = #"""
        # slareport configuration (slareport.toml)
        #
        # `slareport run` reads --config FILE, else ./slareport.toml, else the built-in defaults.
        # Every setting below is at its default; delete a line to keep the default, change it to override.
        # A mistake in this file stops the run with exit code 78 and names the line and the key.

        # Time zone of the timestamps in the exports (those without an offset) and of the ISO weeks.
        # An IANA name such as "Asia/Shanghai".
        timezone = "UTC"

        # Language of the reports: "en" or "zh". Numbers and file names are the same in both.
        lang = "en"

        # Folder read when no --input / --orders / --logistics / --tickets / --surveys is given.
        input = "sample-data"

        # Folder the reports are written to (--out overrides).
        out = "reports"

        # Highest share of rejected rows per table before the run exits with code 65 (reports are
        # still written, with rejects.csv).
        max_reject_rate = 0.05

        # Text encoding of the CSV exports: "auto" (UTF-8 when valid, else GB18030), "utf-8" or "gb18030".
        encoding = "auto"

        # Field separator of the CSV exports: ",", ";", "|" or "\t". Files ending in .tsv or .tsv.gz are
        # always tab-separated.
        delimiter = ","

        # Periods reported: ISO weeks (folders 2026-W47) and calendar months (folders 2026-11).
        periods = ["week", "month"]

        # Goal of every promise that sets none of its own (green at or above it, red below).
        attainment_goal = 0.95

        # Timestamps before this date are rejected as out of range (placeholder dates such as 1900-01-01),
        # and so are those more than 2 days after the run's clock (9999-12-31, 2199-…).
        valid_from = "2000-01-01"

        # Write a byte-order mark at the start of CSV outputs, so Excel shows Chinese text correctly.
        csv_bom = true

        # Also write items.csv.gz: one row per promise clock (row and policy) over all the data, for
        # loading into DuckDB, pandas or a spreadsheet (`--export-items` does the same for one run).
        export_items = false

        # How many complaint categories the weekly top list shows (每周汇总投诉数据,分析高频问题TOP3).
        top_n = 3

        # Ticket types counted as complaints (for the top list and the alerts).
        # Types: inquiry, return, exchange, repair, refund, complaint.
        complaint_types = ["return", "exchange", "repair", "refund", "complaint"]

        # A shipment is "stalled" when no tracking update arrives for longer than this many hours
        # (超过1天无物流更新).
        stall_hours = 24

        # Repeat contacts (二次申诉): a ticket counts as a repeat when another ticket on the same order was
        # resolved at most this long before it was created (m, h or d; "7d" = 7 × 24 hours).
        repeat_window = "7d"

        # Staff review (绩效考核): a month report flags an agent with more low scores (1–2) in the month
        # than this (当月超过三次).
        [agents]
        low_score_flag = 3

        # The numbers cut by ticket column, in each week's and month's report and summary.json: per
        # value, tickets, each promise's met / breached / pending, and satisfaction. A ticket without a
        # merchant_id takes its order's.
        [breakdowns]
        # The cuts, in report order: channel, type, priority, category, merchant; add "carrier" for the
        # logistics numbers by carrier (off by default: tracking events' carrier is then read too).
        by = ["channel", "type", "priority", "category", "merchant"]
        # Each cut lists this many values (most tickets, or shipments, first) and adds the rest up as "(other)".
        top_n = 10

        # Business calendar for policies with clock = "business".
        [calendar]
        # Working hours of one day, "HH:MM-HH:MM"; a list for breaks, e.g. ["09:00-12:00", "13:30-18:00"].
        # Hours cannot cross midnight. One business day ("1bd") is the total length of these intervals.
        business_hours = "09:00-18:00"
        # Days of the week that are worked: Mon Tue Wed Thu Fri Sat Sun.
        workdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        # Dates that are not worked although their weekday is, e.g. national holidays:
        # holidays = ["2026-10-01", "2026-10-02", "2026-10-05"]
        holidays = []
        # Dates that are worked although their weekday is not (调休 make-up days):
        # extra_workdays = ["2026-10-10"]
        extra_workdays = []

        # Early warnings (同一商品多起投诉、同一商家投诉率过高自动预警), counted over the complaint
        # tickets created in a week or month. The period's overall rate is its complaint tickets / its
        # orders placed; warnings compare products and merchants with it, so a popular product or a big
        # merchant is not flagged for its size alone.
        [alerts]
        # Warn when one product has at least this many complaints ...
        product_complaints = 3
        # ... and, when it had orders in the period, its complaints / orders are at least this many times
        # the overall rate.
        product_rate_ratio = 2.0
        # Warn when a merchant's complaints / orders placed are at least this many times the overall rate ...
        merchant_rate_ratio = 2.0
        # ... and at least this absolute rate (0 = no floor) ...
        merchant_complaint_rate = 0.0
        # ... and the merchant had at least this many orders in the period.
        merchant_min_orders = 50
        # Warn when a category has at least category_spike_ratio times the previous period's complaints ...
        category_spike_ratio = 2.0
        # ... and at least this many.
        category_spike_min = 10

        # Extra header names for the CSV columns: "header as exported" = "column".
        # Header names match after trimming and lower-casing; the column is one of the canonical names
        # (order_id, ticket_id, created_at, merchant_id, category, ...). For example:
        [aliases]
        # "售后单号" = "ticket_id"
        # "Order No." = "order_id"

        # Your own exports, read as they are: per table (orders, logistics, tickets, surveys), more file
        # name patterns, the encoding and separator, which header holds which column, extra columns and
        # constants for missing ones. For example, a marketplace's order report:
        # [tables.orders]
        # files = ["olist_orders*"]                  # also read these files when scanning a folder
        # encoding = "auto"
        # delimiter = ","
        # [tables.orders.columns]                    # column = "header in these files"
        # ordered_at = "order_purchase_timestamp"
        # paid_at = "order_approved_at"
        # status = "order_status"
        # promised_delivery_at = "order_estimated_delivery_date"
        # [tables.orders.extra]                      # more columns: string, timestamp, int or decimal
        # customer_city = "string"
        # [tables.tickets.defaults]                  # a value for a column the file lacks or leaves empty
        # type = "inquiry"

        # Service promises (SLA policies), measured per row of a table from `start` to `stop`.
        # When any [[policy]] block is given, the blocks replace this whole list.
        #   name    identifier used in summary.json and the CSV files
        #   label   text shown in the reports (default: the name)
        #   table   "tickets" (default), "orders" or "surveys"
        #   when    optional filters on any text column of the table: type = [...], priority = [...]
        #           (normal, urgent, major), channel = [...], status = [...], ...; "" matches an empty value
        #   unless  the same, to leave rows out: unless = { status = ["canceled"] }
        #   start   timestamp column where the clock starts (tickets: created_at, first_response_at,
        #           fault_confirmed_at, repair_plan_at, plan_rejected_at, escalated_at, resolved_at,
        #           surveyed_at, updated_at; orders: ordered_at, paid_at, shipped_at, signed_at; surveys:
        #           sent_at, answered_at; or an extra timestamp column)
        #   stop    column where it stops
        #   target  m (minutes), h (hours), d (24 hours), bd (business days: clock = "business" only)
        #   due     instead of target: the row's own deadline column (promised_delivery_at, due_at, ...)
        #   clock   "24x7" (elapsed time, the default) or "business" (only business hours count); with target
        #   goal    this promise's goal (default attainment_goal)

        # 工单/邮件需在24小时内首次响应
        [[policy]]
        name = "first_response"
        label = "First response within 24 h / 24小时内首次响应"
        start = "created_at"
        stop = "first_response_at"
        target = "24h"
        clock = "24x7"

        # 维修:24小时内确认故障类型
        [[policy]]
        name = "repair_fault_confirm"
        label = "Repair: fault type confirmed within 24 h / 24小时内确认故障类型"
        when = { type = ["repair"] }
        start = "created_at"
        stop = "fault_confirmed_at"
        target = "24h"
        clock = "24x7"

        # 维修:72小时内给出维修方案
        [[policy]]
        name = "repair_plan"
        label = "Repair plan within 72 h / 72小时内给出维修方案"
        when = { type = ["repair"] }
        start = "created_at"
        stop = "repair_plan_at"
        target = "72h"
        clock = "24x7"

        # 普通投诉1小时内处理
        [[policy]]
        name = "complaint_normal"
        label = "Normal complaint handled within 1 h / 普通投诉1小时内处理"
        when = { type = ["complaint"], priority = ["normal"] }
        start = "created_at"
        stop = "first_response_at"
        target = "1h"
        clock = "24x7"

        # 紧急投诉4小时内处理
        [[policy]]
        name = "complaint_urgent"
        label = "Urgent complaint handled within 4 h / 紧急投诉4小时内处理"
        when = { type = ["complaint"], priority = ["urgent"] }
        start = "created_at"
        stop = "first_response_at"
        target = "4h"
        clock = "24x7"

        # 重大投诉24小时内处理
        [[policy]]
        name = "complaint_major"
        label = "Major complaint handled within 24 h / 重大投诉24小时内处理"
        when = { type = ["complaint"], priority = ["major"] }
        start = "created_at"
        stop = "first_response_at"
        target = "24h"
        clock = "24x7"

        # 用户不接受方案,24小时内升级
        [[policy]]
        name = "escalation"
        label = "Escalation within 24 h of a rejected plan / 用户不接受方案24小时内升级"
        start = "plan_rejected_at"
        stop = "escalated_at"
        target = "24h"
        clock = "24x7"

        # 收到退款申请后24小时内退款
        [[policy]]
        name = "refund"
        label = "Refund within 24 h / 收到退款申请后24小时内退款"
        when = { type = ["refund"] }
        start = "created_at"
        stop = "resolved_at"
        target = "24h"
        clock = "24x7"

        # 复杂问题3个工作日内给出解决方案 (business days of the [calendar] above)
        [[policy]]
        name = "resolution_3bd"
        label = "Solution within 3 working days / 复杂问题3个工作日内给出解决方案"
        start = "created_at"
        stop = "resolved_at"
        target = "3bd"
        clock = "business"

        # 处理完成后3日内回访
        [[policy]]
        name = "survey_followup"
        label = "Satisfaction follow-up within 3 days / 处理完成后3日内回访"
        start = "resolved_at"
        stop = "surveyed_at"
        target = "72h"
        clock = "24x7"

        # 确认后24小时内发出快递: orders shipped within 24 h of payment (canceled and unavailable
        # orders are never shipped, so they are left out)
        [[policy]]
        name = "ship_24h"
        label = "Shipped within 24 h of payment / 付款后24小时内发货"
        table = "orders"
        unless = { status = ["canceled", "cancelled", "unavailable", "已取消"] }
        start = "paid_at"
        stop = "shipped_at"
        target = "24h"
        clock = "24x7"

        # Delivered by the date promised to the customer (承诺时效内送达), cancelled orders left out:
        # [[policy]]
        # name = "delivered_as_promised"
        # label = "Delivered by the promised date / 承诺时效内送达"
        # table = "orders"
        # unless = { status = ["canceled", "unavailable"] }
        # start = "ordered_at"
        # stop = "signed_at"
        # due = "promised_delivery_at"
        # goal = 0.9

        # An extra promise, for example VIP customers answered within 30 minutes:
        # [[policy]]
        # name = "vip_response"
        # label = "VIP first response within 30 min / VIP 30分钟内响应"
        # when = { channel = ["VIP"] }
        # start = "created_at"
        # stop = "first_response_at"
        # target = "30m"

        """#
}
