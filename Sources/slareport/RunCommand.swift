import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport run`: reads the inputs and writes the weekly reports (SPEC 6, 7). With no
/// arguments it reads the config's input folder (default sample-data/) into reports/.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Read the inputs and write one folder of reports per ISO week."
    )

    @OptionGroup var inputs: InputOptions

    @OptionGroup var report: ReportOptions

    func run() throws {
        AllocatorTuning.forBatchRun()
        Signals.install()
        let progress = Progress(quiet: report.quiet)
        let outcome: RunOutcome
        do {
            let config = try ConfigLoader.load(
                explicitPath: inputs.config, workingDirectory: FileManager.default.currentDirectoryPath)
            var req = try report.request(config: config)
            req.selection = inputs.selection
            req.maxRejectRate = inputs.maxRejectRate
            req.keepPartial = inputs.keepPartial
            outcome = try ReportJob.run(req, config: config, progress: progress.say)
        } catch let e as ExitCode {
            throw e
        } catch {
            ExitStatus.fail(error)
        }
        try report.finish(outcome, progress: progress)
    }
}

/// The report options of `run` and `merge` (what to write and where; SPEC 6, 7).
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output folder (default: config 'out', reports/).", valueName: "dir"))
    var out: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "First period to write: a week (2026-W40), a month (2026-10) or a date.", valueName: "period"))
    var from: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Last period to write: a week (2026-W47), a month (2026-11) or a date.", valueName: "period")
    )
    var to: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The moment the data describes (default: latest timestamp in the inputs).", valueName: "time"))
    var asOf: String?

    @Option(name: .long, help: ArgumentHelp("Report language: en or zh.", valueName: "lang"))
    var lang: String?

    @Flag(name: .long, help: "Print nothing on success (also the default without a terminal).")
    var quiet = false

    @Flag(
        name: .customLong("publish-anyway"),
        help: "Publish the reports even when more than max_reject_rate of a table is rejected (still exit 65).")
    var publishAnyway = false

    @Flag(
        name: .customLong("export-items"),
        help: "Also write items.csv.gz: one row per promise clock over all the data (config export_items).")
    var exportItems = false

    func validate() throws {
        let hint = "an ISO week like 2026-W47, a month like 2026-11 or a date like 2026-11-20"
        if let f = from, PeriodBound.days(f) == nil { throw ValidationError("--from: '\(f)' is not \(hint)") }
        if let t = to, PeriodBound.days(t) == nil { throw ValidationError("--to: '\(t)' is not \(hint)") }
        if let f = from.flatMap(PeriodBound.days), let t = to.flatMap(PeriodBound.days), f.first > t.last {
            throw ValidationError("--from \(from!) comes after --to \(to!)")
        }
        if let l = lang, ReportLanguage(rawValue: l) == nil { throw ValidationError("--lang must be en or zh") }
    }

    /// The request these options make (input selection and read options left to the caller).
    func request(config: Config) throws -> RunRequest {
        var req = RunRequest()
        req.out = out
        req.fromDay = from.flatMap(PeriodBound.days)?.first
        req.toDay = to.flatMap(PeriodBound.days)?.last
        req.lang = lang.flatMap { ReportLanguage(rawValue: $0) }
        req.publishAnyway = publishAnyway
        req.exportItems = exportItems
        req.asOf = try asOf.map { try Self.instant($0, config: config) }
        return req
    }

    /// An --as-of value read in the config's time zone (exit 64 when it is not a timestamp).
    static func instant(_ a: String, config: Config) throws -> Int64 {
        guard let zone = ZoneRules(identifier: config.timezone), let t = TimestampParser.parse(a, zone: zone) else {
            ExitStatus.printError("slareport: --as-of: cannot read '\(a)' as a timestamp")
            throw ExitCode(ExitStatus.usage)
        }
        return t
    }

    /// Prints the warnings and the closing line of a job; exits 65 over the reject rate.
    func finish(_ outcome: RunOutcome, progress: Progress) throws {
        for w in outcome.warnings { ExitStatus.printError("slareport: warning: \(w)") }
        if !outcome.overRejectLimit.isEmpty {
            for e in outcome.overRejectLimit {
                ExitStatus.printError("slareport: \(e); reports and rejects.csv written to \(outcome.outFolder)")
            }
            throw ExitCode(ExitStatus.dataError)
        }
        progress.say(
            "wrote \(outcome.weeksWritten) week\(outcome.weeksWritten == 1 ? "" : "s") (\(outcome.files) files) to \(outcome.outFolder)"
        )
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT/SIGTERM end the run at once with 130/143. Nothing is half-published: the run writes a
/// new generation no reader sees (removed by the next run if unfinished) and switches to it with
/// these signals blocked (see `Generations`).
///
/// The signal mask is inherited across exec: a parent that spawns slareport from a thread with
/// signals blocked (Dispatch worker threads block nearly all; Foundation's `Process` and
/// `posix_spawn` pass that mask on) would leave SIGTERM and SIGINT pending forever, so a
/// supervisor's `kill` or Ctrl-C did nothing. Unblock them here, before any thread starts.
enum Signals {
    static func install() {
        signal(SIGINT) { _ in _exit(130) }
        signal(SIGTERM) { _ in _exit(143) }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
