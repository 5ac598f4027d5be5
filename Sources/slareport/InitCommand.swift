import ArgumentParser
import Foundation
import SLAConfig
import SLAOutput
import SLAReport

/// `slareport init`: writes the default config file with a comment on every key.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the default slareport.toml (every key, commented)."
    )

    @Option(name: .long, help: ArgumentHelp("Where to write it.", valueName: "file"))
    var path: String = "slareport.toml"

    @Flag(name: .long, help: "Overwrite an existing file.")
    var force = false

    @Flag(name: .long, help: "Print the file to standard output instead.")
    var stdout = false

    func run() throws {
        if stdout {
            print(ConfigTemplate.defaultText, terminator: "")
            return
        }
        if FileManager.default.fileExists(atPath: path) && !force {
            ExitStatus.printError("slareport: \(path) exists; use --force to overwrite it")
            throw ExitCode(ExitStatus.cannotCreate)
        }
        do {
            let dir = (path as NSString).deletingLastPathComponent
            try AtomicWriter(root: dir.isEmpty ? "." : dir).replaceFile(
                (path as NSString).lastPathComponent, Array(ConfigTemplate.defaultText.utf8))
        } catch {
            ExitStatus.fail(error)
        }
    }
}
