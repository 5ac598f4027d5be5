import ArgumentParser
import SLAReport

@main
struct SLAReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slareport",
        abstract: "Weekly after-sales SLA reports from order, logistics and ticket exports.",
        version: SLAReportVersion.current,
        subcommands: [
            RunCommand.self, ValidateCommand.self, InitCommand.self, MapCommand.self, PartialCommand.self,
            MergeCommand.self,
        ]
    )
}

/// Input flags shared by `run` and `validate` (SPEC 2.1, 7).
struct InputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Scan a folder for orders*/logistics*/tickets*/surveys* files and [tables.*] files globs (repeatable).",
            valueName: "dir"))
    var input: [String] = []

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Order files; - is standard input.", valueName: "file"))
    var orders: [String] = []

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Logistics event files; - is standard input.", valueName: "file"))
    var logistics: [String] = []

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Ticket files; - is standard input.", valueName: "file"))
    var tickets: [String] = []

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Satisfaction survey or review files; - is standard input.", valueName: "file"))
    var surveys: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("Config file (default ./slareport.toml, else built-in).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("max-reject-rate"), parsing: .unconditional,
        help: ArgumentHelp(
            "Exit 65 when more than this share of a table's rows is rejected (default 0.05).", valueName: "rate"))
    var maxRejectRate: Double?

    @Flag(name: .customLong("keep-partial"), help: "Keep the rows read before a truncated or corrupt gzip stream.")
    var keepPartial = false

    var selection: InputSelection {
        var s = InputSelection()
        s.folders = input
        s.orders = orders
        s.logistics = logistics
        s.tickets = tickets
        s.surveys = surveys
        return s
    }

    func validate() throws {
        if let r = maxRejectRate, !(0...1).contains(r) {
            throw ValidationError("--max-reject-rate must be between 0 and 1")
        }
        let stdinUses = (orders + logistics + tickets + surveys).filter { $0 == "-" }.count
        if stdinUses > 1 { throw ValidationError("standard input (-) can be named only once") }
    }
}
