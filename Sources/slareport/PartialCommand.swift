import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport partial`: the partial stages of a distributed run (docs/spark.md), one bucket K of
/// a map output made with `map --buckets N` at a time: `--stage tickets` deduplicates the
/// bucket's tickets and passes them on by order; `--stage groups` measures the bucket's order
/// groups and shipments into figures and item lists for `merge --partials`.
struct PartialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partial",
        abstract: "Deduplicate and measure one bucket of the map outputs for merge --partials (docs/spark.md).",
        discussion: """
            --stage tickets: reads bucket K of every tickets and surveys file under DIR/map/, \
            deduplicates the tickets as slareport run does and writes them to OUT by the bucket of \
            their order (rows-J-of-N.csv, surveyed-J-of-N.txt, state.txt). --stage groups: reads \
            bucket K of every orders and logistics file and every tickets-stage output for K \
            (--tickets DIR), deduplicates, joins and measures them as slareport run does, with \
            as_of the latest timestamp of all mapped files (or --as-of), and writes the figures \
            (state.txt), the item lists (lists-week.txt, lists-month.txt) and, with \
            --export-items, the lines of items.csv.gz (items.txt) to OUT.
            """
    )

    @OptionGroup var map: MapFolderOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "tickets (deduplicate bucket K's tickets, pass them on by order) or groups (measure bucket K's order groups and shipments).",
            valueName: "stage"))
    var stage: String = "groups"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "For --stage groups: the tickets stage's output folder (holding <bucket>/).", valueName: "dir"))
    var tickets: String?

    @Option(name: .long, help: ArgumentHelp("The bucket to read (0 ≤ K < N).", valueName: "k"))
    var bucket: Int

    @Option(name: .long, help: ArgumentHelp("The number of buckets the files were mapped into.", valueName: "n"))
    var buckets: Int

    @Option(
        name: .long, help: ArgumentHelp("Config file (default ./slareport.toml, else built-in).", valueName: "file"))
    var config: String?

    @Option(
        name: .long, help: ArgumentHelp("Output folder for the stage's files (created when missing).", valueName: "dir")
    )
    var out: String

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The moment the data describes (default: latest timestamp of the mapped files); give merge the same.",
            valueName: "time"))
    var asOf: String?

    @Flag(
        name: .customLong("export-items"),
        help: "With --stage groups: also write the bucket's rows of items.csv.gz (config export_items does too).")
    var exportItems = false

    func validate() throws {
        if buckets < 1 { throw ValidationError("--buckets must be at least 1") }
        if bucket < 0 || bucket >= buckets { throw ValidationError("--bucket must be between 0 and --buckets − 1") }
        guard let s = PartialRequest.Stage(rawValue: stage) else {
            throw ValidationError("--stage must be tickets or groups")
        }
        if s == .groups && tickets == nil { throw ValidationError("--stage groups needs --tickets DIR") }
    }

    func run() throws {
        Signals.install()
        do {
            let cfg = try ConfigLoader.load(
                explicitPath: config, workingDirectory: FileManager.default.currentDirectoryPath)
            var req = PartialRequest(
                stage: PartialRequest.Stage(rawValue: stage)!, mapFolder: map.folder, bucket: bucket, buckets: buckets,
                out: out)
            req.ticketsFolder = tickets
            req.exportItems = exportItems
            req.asOf = try asOf.map { try ReportOptions.instant($0, config: cfg) }
            try PartialStage.run(req, config: cfg)
        } catch let e as ExitCode {
            throw e
        } catch {
            ExitStatus.fail(error)
        }
    }
}
