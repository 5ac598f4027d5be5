import ArgumentParser
import Foundation
import SLAModel
import SLAReport

/// `slagen`: deterministic test data for slareport — orders, logistics events, tickets and
/// (with `--surveys`) satisfaction surveys of an imaginary shop, clean or messy (the faults real
/// exports have), plain or gzip.
struct Slagen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slagen",
        abstract: "Generate deterministic order, logistics, ticket and survey exports for slareport.",
        discussion: "The same options always give byte-identical files; nothing depends on today's date.")

    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Number of distinct orders.") var orders: Int = 15_000
    @Option(help: "Number of distinct tickets.") var tickets: Int = 3_000
    @Option(help: "Weeks of data, ending on --end.") var weeks: Int = 8
    @Option(help: "Last day of the data (YYYY-MM-DD, local).") var end: String = "2026-11-22"
    @Flag(help: "Write the main files as .csv.gz.") var gzip = false
    @Flag(help: "Add the faults of real exports: second dumps, Chinese/GB18030/BOM files, odd timestamps, bad rows.")
    var messy = false
    @Flag(
        help:
            "Also write a surveys table: satisfaction-survey invitations and answers for about 60 % of the resolved tickets (with --messy also a second dump, duplicates, invalid scores and bad rows). Off by default; a data set that should have surveys needs it on every run that makes it."
    )
    var surveys = false
    @Option(help: "Output folder (created if missing).") var out: String = "slagen-out"
    @Option(help: "IANA zone the local timestamps are meant in (used for offset-bearing timestamps).")
    var timezone: String = "Asia/Shanghai"
    @Option(help: "zlib level for .gz files (1 fastest … 9 smallest).") var level: Int32 = 1

    func validate() throws {
        guard orders >= 100 else { throw ValidationError("--orders must be at least 100") }
        guard tickets >= 20 else { throw ValidationError("--tickets must be at least 20") }
        guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be 1…520") }
        guard CivilDate.parse(end) != nil else { throw ValidationError("--end must be YYYY-MM-DD") }
        guard ZoneRules(identifier: timezone) != nil else { throw ValidationError("unknown --timezone \(timezone)") }
        guard (1...9).contains(level) else { throw ValidationError("--level must be 1…9") }
    }

    func run() throws {
        let cfg = GenConfig(
            seed: seed, orders: orders, tickets: tickets, weeks: weeks, endDay: CivilDate.parse(end)!,
            gzip: gzip, messy: messy, surveys: surveys, out: out, zone: ZoneRules(identifier: timezone)!, level: level)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw GenError.io("cannot create \(out): \(error.localizedDescription)")
        }
        var command = "slagen --seed \(seed) --orders \(orders) --tickets \(tickets) --weeks \(weeks) --end \(end)"
        command += " --timezone \(timezone)" + (gzip ? " --gzip --level \(level)" : "") + (messy ? " --messy" : "")
        command += (surveys ? " --surveys" : "") + " --out \(out)"
        let text = try Generator(cfg: cfg).run(command: command)
        try Data(text.utf8).write(to: URL(fileURLWithPath: out + "/slagen-manifest.txt"))
    }
}
