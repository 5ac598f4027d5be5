@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Builds a `RecordView` over `fields` (already trimmed, as the reader would hand them) and calls
/// `body` with it while the backing buffers are alive.
func withRecord<R>(_ fields: [String], line: Int = 2, _ body: (RecordView) throws -> R) rethrows -> R {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    for f in fields {
        bytes.append(contentsOf: Array(f.utf8))
        ends.append(bytes.count)
    }
    if bytes.isEmpty { bytes.append(0) }  // a valid base address even for all-empty records
    return try RecordView.with(
        location: RowLocation(file: "t.csv", line: line, record: line - 1), bytes: bytes, ends: ends, body)
}

/// A header map for `table` from header names (line 1 of "t.csv").
func headerMap(_ table: Table, _ names: [String], aliases: [String: String] = [:]) throws -> HeaderMap {
    try withRecord(names, line: 1) { try HeaderMap(table: table, header: $0, aliases: aliases, path: "t.csv") }
}

/// The `badHeader` message `HeaderMap` throws for these names, nil when it accepts them.
func headerError(_ table: Table, _ names: [String], aliases: [String: String] = [:]) -> String? {
    do {
        _ = try headerMap(table, names, aliases: aliases)
        return nil
    } catch let IngestError.badHeader(path, line, message) {
        return path == "t.csv" && line == 1 ? message : "wrong path/line: \(path):\(line)"
    } catch {
        return "unexpected \(error)"
    }
}

extension RowResult {
    var row: Row? {
        if case .row(let r) = self { return r }
        return nil
    }
    var reject: (kind: RejectKind, reason: String)? {
        if case .reject(let k, let m) = self { return (k, m) }
        return nil
    }
}
