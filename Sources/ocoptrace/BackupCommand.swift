import ArgumentParser
import Foundation
import OCOPTrace

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the registry to one file (sao lưu), while serve and other commands run.",
        discussion: """
            Uses SQLite's online backup: the copy is one moment of the registry, whatever is written \
            meanwhile, and a single file with no -wal beside it. It is written under a temporary name \
            beside FILE and renamed, so FILE is never half written; an existing FILE is replaced. To \
            restore, stop the commands using the registry and put the copy in its place.

            A PostgreSQL registry is backed up with pg_dump; this command prints the command line.

            Examples:
              ocoptrace backup --out backups/registry-2026-12-01.sqlite
              ocoptrace backup --db /srv/ocoptrace/registry.sqlite --out /mnt/usb/registry.sqlite --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("The file to write the copy to (replaced if it exists).", valueName: "file"))
    var out: String

    @Flag(help: "Print the copy's path, size and counts as JSON.")
    var json = false

    func run() async throws {
        let backup = try await registry.with(.readOnly) { store in
            try await store.backup(to: URL(fileURLWithPath: out))
        }
        if json {
            Console.printJSON(backup)
        } else {
            print("backed up the registry to \(backup.path): \(ByteCount.text(backup.bytes)), \(backup.products) products, \(backup.stamps) stamps")
        }
    }
}
