import SLAFast
import SLAModel

/// A row a policy can measure: its canonical timestamp and text columns by slot number (see
/// `MeasuredColumns`). Text slots give a string id, or an enum's raw value (0 = empty).
protocol MeasuredRow {
    static var table: Table { get }
    var extra: ExtraIndex { get }
    func time(_ slot: Int) -> Int64
    func value(_ slot: Int) -> Int32
    /// What `sla_breaches.csv` lists of the row.
    var breachKeys: BreachKeys { get }
}

/// The identifying columns of a breached or open row: ticket, order, the row's own key, agent,
/// status, and the ticket's type and priority (raw values, 0 = none).
struct BreachKeys: Sendable {
    var ticket: StrID = .none
    var order: StrID = .none
    var id: StrID = .none
    var agent: StrID = .none
    var status: StrID = .none
    var type: UInt8 = 0
    var priority: UInt8 = 0
}

extension TicketRow: MeasuredRow {
    static var table: Table { .tickets }

    var breachKeys: BreachKeys {
        BreachKeys(
            ticket: ticketID, order: orderID, id: ticketID, agent: agent, status: status, type: type.rawValue,
            priority: priority.rawValue)
    }

    @inline(__always)
    func time(_ slot: Int) -> Int64 { slot == 9 ? dueAt : times[TicketTime(rawValue: slot)!] }

    @inline(__always)
    func value(_ slot: Int) -> Int32 {
        switch slot {
        case 0: return ticketID
        case 1: return orderID
        case 2: return product
        case 3: return merchant
        case 4: return channel
        case 5: return agent
        case 6: return category
        case 7: return status
        case 8: return Int32(type.rawValue)
        case 9: return Int32(priority.rawValue)
        default: return Int32(responsibility?.rawValue ?? 0)
        }
    }
}

extension OrderRow: MeasuredRow {
    static var table: Table { .orders }

    var breachKeys: BreachKeys { BreachKeys(order: orderID, id: orderID, status: status) }

    @inline(__always)
    func time(_ slot: Int) -> Int64 {
        switch slot {
        case 0: return orderedAt
        case 1: return paidAt
        case 2: return shippedAt
        case 3: return signedAt
        case 4: return updatedAt
        case 5: return promisedShipAt
        default: return promisedDeliveryAt
        }
    }

    @inline(__always)
    func value(_ slot: Int) -> Int32 {
        switch slot {
        case 0: return orderID
        case 1: return customer
        case 2: return merchant
        case 3: return product
        case 4: return category
        default: return status
        }
    }
}

extension SurveyRow: MeasuredRow {
    static var table: Table { .surveys }

    var breachKeys: BreachKeys { BreachKeys(ticket: ticketID, order: orderID, id: surveyID, agent: agent) }

    @inline(__always)
    func time(_ slot: Int) -> Int64 {
        switch slot {
        case 0: return sentAt
        case 1: return answeredAt
        default: return updatedAt
        }
    }

    @inline(__always)
    func value(_ slot: Int) -> Int32 {
        switch slot {
        case 0: return surveyID
        case 1: return ticketID
        case 2: return orderID
        case 3: return agent
        default: return comment
        }
    }
}
