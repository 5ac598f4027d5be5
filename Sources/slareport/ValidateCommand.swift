import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport validate`: reads every input and prints the data-quality summary; writes nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract:
            "Read the inputs and print per table: files, rows, accepted, rejected by reason, duplicates, encoding."
    )

    @OptionGroup var inputs: InputOptions

    func run() throws {
        AllocatorTuning.forBatchRun()
        do {
            let config = try ConfigLoader.load(
                explicitPath: inputs.config, workingDirectory: FileManager.default.currentDirectoryPath)
            guard let zone = ZoneRules(identifier: config.timezone) else {
                throw ConfigError(file: config.source, line: nil, key: "timezone", message: "unknown time zone")
            }
            var options = LoadOptions(config: config, zone: zone)
            options.keepPartial = inputs.keepPartial
            options.countRejectsOnly = true  // the summary prints counts only
            var skipped: [String] = []
            let files = try InputDiscovery.discover(
                inputs.selection, defaultFolder: config.input, globs: config.fileGlobs, configFile: config.source,
                globLines: config.keyLines, skipped: &skipped)
            for p in skipped { ExitStatus.printError("slareport: warning: \(IngestError.notRegularFile(path: p))") }
            let loaded = try InputLoader.load(files, options: options)
            print(ValidationReport.text(loaded), terminator: "")
            let limit = inputs.maxRejectRate ?? config.maxRejectRate
            var over = false
            for t in loaded.tables where t.rowsRead > 0 && Double(t.rejected) / Double(t.rowsRead) > limit {
                ExitStatus.printError(
                    "slareport: \(IngestError.tooManyRejects(table: t.table, rejected: t.rejected, read: t.rowsRead, limit: limit))"
                )
                over = true
            }
            if over { throw ExitCode(ExitStatus.dataError) }
        } catch let e as ExitCode {
            throw e
        } catch {
            ExitStatus.fail(error)
        }
    }
}
