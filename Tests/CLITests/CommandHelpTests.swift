import Foundation
import Testing
import TestSupport

/// Every command's whole `--help`, compared with its page in docs/commands/ (which
/// scripts/command-docs.sh writes from the same `--help`): the docs cannot drift from the commands,
/// and a change to any command's help shows in review as a change to its page.
@Suite struct CommandHelpTests {
    /// The commands the index lists, as typed after `ocoptrace` ("" for `ocoptrace` itself).
    static let documented: [String] = {
        let index = (try? String(contentsOf: docs.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        return index.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("- [`ocoptrace"), let end = line.firstIndex(of: "]") else { return nil }
            let name = line[line.index(line.startIndex, offsetBy: 4)..<end].dropLast()
            return String(name.dropFirst("ocoptrace".count).drop(while: { $0 == " " }))
        }
    }()

    static let docs = repositoryRoot.appendingPathComponent("docs/commands")

    /// Help as the pages have it: 80 columns, whatever the terminal running the tests.
    private static func help(_ command: String) throws -> CommandResult {
        let folder = TemporaryFolder()
        return try OCOPTraceBinary.run(command.split(separator: " ").map(String.init) + ["--help"], in: folder.url,
                                       environment: ["COLUMNS": "80"])
    }

    @Test(arguments: documented)
    func helpIsItsDocsPageExactly(_ command: String) throws {
        let help = try Self.help(command)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: ocoptrace \(command)"))
        #expect(help.stdout.contains("Example"))
        let file = Self.docs.appendingPathComponent(command.isEmpty ? "ocoptrace.md" : command.replacingOccurrences(of: " ", with: "-") + ".md")
        let page = try String(contentsOf: file, encoding: .utf8)
        let start = try #require(page.range(of: "```text\n"), "\(file.lastPathComponent) has no help block")
        let end = try #require(page.range(of: "```\n", options: .backwards), "\(file.lastPathComponent) has no end to its help block")
        #expect(String(page[start.upperBound..<end.lowerBound]) == help.stdout,
                "\(file.lastPathComponent) differs from `ocoptrace \(command) --help`: run bash scripts/command-docs.sh")
    }

    /// The index lists every command and subcommand the executable has, found through the
    /// SUBCOMMANDS of each help, and no other.
    @Test func theIndexListsEveryCommand() throws {
        var found: [String] = []
        // Each command, then its subcommands, in the order its help lists them.
        func walk(_ command: String) throws {
            found.append(command)
            let lines = try Self.help(command).stdout.split(separator: "\n", omittingEmptySubsequences: false)
            guard let section = lines.firstIndex(of: "SUBCOMMANDS:") else { return }
            for line in lines[(section + 1)...] {
                if !line.hasPrefix(" ") { break }
                guard line.hasPrefix("  "), let first = line.dropFirst(2).first, first.isLetter else { continue }
                let name = String(line.dropFirst(2).prefix(while: { $0 != " " }))
                if name != "help" { try walk(command.isEmpty ? name : command + " " + name) }
            }
        }
        try walk("")
        #expect(found.count > 17)
        #expect(Self.documented == found, "run bash scripts/command-docs.sh")
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.docs.path).filter { $0 != "README.md" }
        #expect(Set(pages) == Set(found.map { $0.isEmpty ? "ocoptrace.md" : $0.replacingOccurrences(of: " ", with: "-") + ".md" }))
    }
}
