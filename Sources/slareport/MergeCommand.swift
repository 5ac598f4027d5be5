import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport merge`: the reports of `run` from the map stage's outputs (docs/spark.md). Reads
/// every `DIR/map/<file>/` that `slareport map` wrote, deduplicates the rows as `run` does and
/// writes and publishes the same report tree `run` writes from the input files.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write run's reports from the map stage's outputs (docs/spark.md).",
        discussion: """
            Reads DIR/map/<file>/ (rows.csv, rejects.csv, stats.json, columns.txt, latest.txt, as \
            slareport map writes them) and writes the report tree slareport run writes for the same \
            input files and config, byte for byte (run.json's timings aside). With --partials P, the \
            logistics events are not read: the figures slareport partial wrote to P/<bucket>/state.txt \
            are added instead (every bucket must be there, made with the same as_of, config and files). \
            Orders, tickets and surveys are still held in memory as rows. Configs with [tables.*] extras \
            are refused (rows.csv does not carry extra columns yet).
            """
    )

    @OptionGroup var map: MapFolderOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The partial stage's output folder (<bucket>/state.txt): logistics figures instead of events.",
            valueName: "dir"))
    var partials: String?

    @Option(
        name: .long, help: ArgumentHelp("Config file (default ./slareport.toml, else built-in).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("max-reject-rate"), parsing: .unconditional,
        help: ArgumentHelp(
            "Exit 65 when more than this share of a table's rows is rejected (default 0.05).", valueName: "rate"))
    var maxRejectRate: Double?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if let r = maxRejectRate, !(0...1).contains(r) {
            throw ValidationError("--max-reject-rate must be between 0 and 1")
        }
    }

    func run() throws {
        AllocatorTuning.forBatchRun()
        Signals.install()
        let progress = Progress(quiet: report.quiet)
        let outcome: RunOutcome
        do {
            let cfg = try ConfigLoader.load(
                explicitPath: config, workingDirectory: FileManager.default.currentDirectoryPath)
            var req = try report.request(config: cfg)
            req.maxRejectRate = maxRejectRate
            outcome = try ReportJob.merge(
                req, mapFolder: map.folder, partials: partials, config: cfg, progress: progress.say)
        } catch let e as ExitCode {
            throw e
        } catch {
            ExitStatus.fail(error)
        }
        try report.finish(outcome, progress: progress)
    }
}
