import ArgumentParser
import Foundation
import SLAConfig
import SLAModel
import SLAReport

/// `slareport map`: the map stage of a distributed run (docs/spark.md). Reads one input file
/// exactly as `run` reads it and writes its accepted rows (rows.csv), its rejected rows as lines
/// of rejects.csv, its entry of run.json's "inputs" (stats.json) and the columns it provides
/// (columns.txt) into a folder.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Read one input file as run does; write its rows, rejects, stats and columns (docs/spark.md)."
    )

    @Argument(help: ArgumentHelp("The input file; - is standard input (then give --name).", valueName: "file"))
    var file: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The file's name as run would show it (rejects, stats, table by name); default: the path.",
            valueName: "name"))
    var name: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The table (orders, logistics, tickets, surveys), as run's --orders etc. name it; default: from the name.",
            valueName: "table"))
    var table: String?

    @Option(
        name: .long, help: ArgumentHelp("Config file (default ./slareport.toml, else built-in).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Output folder (created when missing).", valueName: "dir"))
    var out: String

    @Flag(
        name: .customLong("ignore-other"),
        help: "Write nothing and exit 0 for a file whose name run --input DIR would ignore (no table by name or glob)."
    )
    var ignoreOther = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Split the rows of an orders, logistics or tickets file into N files rows-K-of-N.csv, for slareport partial.",
            valueName: "n"))
    var buckets = 1

    func validate() throws {
        if buckets < 1 { throw ValidationError("--buckets must be at least 1") }
        if file == "-" && name == nil { throw ValidationError("reading standard input (-) needs --name") }
        if let t = table, Table(rawValue: t) == nil {
            throw ValidationError("--table must be orders, logistics, tickets or surveys")
        }
    }

    func run() throws {
        Signals.install()
        do {
            let cfg = try ConfigLoader.load(
                explicitPath: config, workingDirectory: FileManager.default.currentDirectoryPath)
            var req = MapRequest(path: file, name: name, table: table.flatMap { Table(rawValue: $0) }, out: out)
            req.ignoreOther = ignoreOther
            req.buckets = buckets
            _ = try MapStage.run(req, config: cfg)
        } catch {
            ExitStatus.fail(error)
        }
    }
}

/// `--map DIR`: the map stage's output folder, as `partial` and `merge` read it.
struct MapFolderOption: ParsableArguments {
    @Option(
        name: .customLong("map"),
        help: ArgumentHelp("The map stage's output folder (holding map/<file>/).", valueName: "dir"))
    var folder: String
}
