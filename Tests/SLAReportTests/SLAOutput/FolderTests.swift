import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

#if canImport(Glibc)
    import Glibc
#endif

/// Inside the output folder nothing is reached through a link: a folder swapped for a link is
/// refused, removing a link removes only the link, and files are only ever created new.
@Suite("Output.folder")
struct FolderTests {
    func setUp() throws -> (root: String, elsewhere: String) {
        let base = try GenerationsTests.scratch()
        let root = base + "/out"
        let elsewhere = base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: elsewhere + "/keep.txt"))
        #expect(symlink(elsewhere, root + "/2026-W47") == 0)
        return (root, elsewhere)
    }

    @Test func aLinkWhereAFolderGoesIsRefused() throws {
        let (root, elsewhere) = try setUp()
        let top = try Folder(path: root)
        #expect(
            throws: OutputError.cannotCreate(
                path: root + "/2026-W47",
                message: "is a symbolic link slareport did not create; remove it to let the run write here")
        ) {
            try top.descend("2026-W47/deeper", create: true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere) == ["keep.txt"])
    }

    @Test func removingALinkLeavesItsTarget() throws {
        let (root, elsewhere) = try setUp()
        let top = try Folder(path: root)
        top.removeTree("2026-W47")
        #expect(top.entries().isEmpty)
        #expect(try String(contentsOfFile: elsewhere + "/keep.txt", encoding: .utf8) == "precious")
    }

    @Test func filesAreOnlyCreatedNewAndNeverThroughALink() throws {
        let (root, elsewhere) = try setUp()
        let top = try Folder(path: root)
        #expect(symlink(elsewhere + "/keep.txt", root + "/index.html") == 0)
        #expect(throws: OutputError.self) { try top.createFile("index.html", Array("x".utf8)) }
        try top.createFile("weeks.csv", Array("a".utf8))
        #expect(throws: OutputError.self) { try top.createFile("weeks.csv", Array("b".utf8)) }
        #expect(try String(contentsOfFile: elsewhere + "/keep.txt", encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: root + "/weeks.csv", encoding: .utf8) == "a")
    }
}
