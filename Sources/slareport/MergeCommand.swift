import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport merge`: the reports of `run` from the map stage's outputs, or from the partial
/// stages' figures (docs/spark.md): the same report tree `run` writes from the input files,
/// published the same way.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write run's reports from the map stage's outputs (docs/spark.md).",
        discussion: """
            Reads DIR/map/<file>/ (as slareport map writes them) and writes the report tree slareport \
            run writes for the same input files and config, byte for byte (run.json's timings aside). \
            Without --partials it reads every row and holds them, as run does. With --partials P (the \
            groups stage's P/<bucket>/, see slareport partial) it reads only the surveys as rows and \
            adds up the buckets' figures and item lists instead (every bucket must be there, made \
            with the same as_of, config and map outputs).
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
