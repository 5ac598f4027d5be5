import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite("Pipeline.InputDiscovery")
struct InputDiscoveryTests {
    @Test(arguments: [
        ("orders-2026.csv", Table.orders as Table?), ("Tickets_1.CSV.GZ", .tickets), ("logistics.tsv", .logistics),
        ("logistics-x.tsv.gz", .logistics), ("orders.gz", .orders), ("orders.txt", nil), ("README.md", nil),
        ("customers.csv", nil),
    ])
    func tableFromName(name: String, table: Table?) throws {
        #expect(try InputDiscovery.table(forName: name) == table)
    }

    @Test func readOrderIsBaseNameThenPath() {
        let files = [
            InputFile(path: "/b/tickets-2.csv", table: .tickets, tsv: false),
            InputFile(path: "/a/tickets-2.csv", table: .tickets, tsv: false),
            InputFile(path: "/z/tickets-1.csv", table: .tickets, tsv: false),
            InputFile(path: "/z/orders.csv", table: .orders, tsv: false),
        ]
        let out = InputDiscovery.ordered(files)
        #expect(out.map(\.path) == ["/z/orders.csv", "/z/tickets-1.csv", "/a/tickets-2.csv", "/b/tickets-2.csv"])
        #expect(out.map(\.rank) == [0, 0, 1, 2])
    }

    @Test func missingInputsAreNamed() throws {
        var sel = InputSelection()
        sel.tickets = ["/nonexistent/tickets.csv"]
        #expect(throws: IngestError.inputMissing(path: "/nonexistent/tickets.csv")) {
            try InputDiscovery.discover(sel, defaultFolder: "sample-data")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        FileManager.default.createFile(atPath: empty + "/notes.txt", contents: Data())
        FileManager.default.createFile(atPath: empty + "/export_2025_11_24.csv", contents: Data())
        // The message names the folder, the patterns looked for and the files ignored.
        let patterns = InputDiscovery.patterns(globs: [:])
        #expect(patterns.first == "orders* (.csv, .tsv, .gz)" && patterns.count == 4)
        #expect(
            throws: IngestError.noInputFound(
                folders: [empty], patterns: patterns, ignored: [empty + "/export_2025_11_24.csv", empty + "/notes.txt"])
        ) {
            try InputDiscovery.discover(InputSelection(), defaultFolder: empty)
        }
        // A files glob finds the export; one that two tables share is a config error.
        let found = try InputDiscovery.discover(InputSelection(), defaultFolder: empty, globs: [.tickets: ["EXPORT_*"]])
        #expect(found.map(\.table) == [.tickets])
        #expect(throws: ConfigError.self) {
            try InputDiscovery.discover(
                InputSelection(), defaultFolder: empty, globs: [.tickets: ["export_*"], .orders: ["*.csv"]])
        }
    }

    @Test(arguments: [
        ("olist_orders*", "olist_orders_dataset.csv", true), ("*.csv", "a.csv", true), ("a?c.csv", "abc.csv", true),
        ("a[xy]c*", "ayc.csv", true), ("a[xy]c*", "azc.csv", false), ("*orders*", "x.csv", false),
        ("export_*_1.csv", "export_2025_11_24_8f3c_1.csv", true), ("*", "", true), ("?", "", false),
    ])
    func globs(pattern: String, name: String, matches: Bool) {
        #expect(Glob.matches(pattern, name) == matches)
    }
}
