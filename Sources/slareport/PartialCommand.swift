import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport partial`: the partial stage of a distributed run (docs/spark.md). Reads bucket K
/// of every logistics file mapped with `map --buckets N`, deduplicates the events as `run` does
/// and writes their figures (shipments, delivery times, stalls, exceptions, carriers) per
/// period to OUT/state.txt, for `merge --partials`.
struct PartialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partial",
        abstract: "Measure one bucket of the mapped logistics events for merge --partials (docs/spark.md).",
        discussion: """
            Reads rows-K-of-N.csv of every logistics file under DIR/map/ (slareport map --buckets N), \
            deduplicates the events as slareport run does, and writes their shipment figures per week \
            and month, with as_of the latest timestamp of all mapped files (or --as-of), to OUT/state.txt.
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

    @Option(name: .long, help: ArgumentHelp("Output folder for state.txt (created when missing).", valueName: "dir"))
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
