import ArgumentParser
import Foundation
import OCOPTrace
import OCOPTraceServer

@main
struct OCOPTraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocoptrace",
        abstract: "Traceability stamps and marketplace listings for OCOP producers.",
        discussion: """
            Imports producer catalogs (CSV or Excel, Vietnamese text) into an SQLite registry, issues \
            traceability stamps as QR PNGs, and runs the batch jobs built on them.

            The registry is output/registry.sqlite unless --db or OCOPTRACE_DB names another.

            Example:
              ocoptrace run catalogs/
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, ImportCommand.self, IssueCommand.self, RenderCommand.self, LabelsCommand.self, KeysCommand.self,
                      VerifyCommand.self, PackCommand.self, RevokeCommand.self, ScansCommand.self, ExportCommand.self, CategoriesCommand.self,
                      EPCISCommand.self, CartonsCommand.self, ShipCommand.self, ReceiveCommand.self, ProductsCommand.self, JobsCommand.self, BackupCommand.self,
                      ReportCommand.self, ServeCommand.self]
    )

    static func main() async {
        // `serve` runs its tasks on the HTTP server's own event loops (see the function); nothing
        // has run on the concurrency pool yet at this point.
        if CommandLine.arguments.dropFirst().first == ServeCommand.configuration.commandName {
            ResolverServer.runConcurrencyOnEventLoops()
        }
        // Benchmarks ask for the peak memory of this process alone (see PeakMemory).
        if ProcessInfo.processInfo.environment[PeakMemory.reportVariable] != nil {
            atexit { PeakMemory.reportIfAsked() }
        }
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The one place an error becomes an exit code (see ExitCodes.report).
            exit(withError: ExitCodes.report(error))
        }
    }
}

/// Options every command that touches the registry shares.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The registry: an SQLite file, or a PostgreSQL database as postgres://user@host:5432/db (default: $OCOPTRACE_DB, else output/registry.sqlite).",
        valueName: "path|url"))
    var db: String?

    /// Where the registry is. A malformed PostgreSQL URL is a usage error.
    var location: RegistryLocation {
        get throws {
            do {
                return try RegistryLocation.resolve(db)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func validate() throws {
        _ = try location
    }

    /// Opens the registry, runs `body` and closes it.
    func with<T>(_ access: RegistryAccess, waitLimit: Duration? = nil, _ body: (any RegistryStore) async throws -> T) async throws -> T {
        try await RegistryStores.with(try location, access: access, waitLimit: waitLimit, body)
    }

    /// The folder the registry is in (`output/` by default), where reports beside it go.
    var outputFolder: URL { ((try? location) ?? .sqlite(path: RegistryLocation.defaultPath)).outputFolder }
}

/// Exit codes, documented in the README. `OCOPTraceCommand.main` turns every error a command throws
/// into one of them with ``report(_:)``; commands only throw.
enum ExitCodes {
    /// Some input was rejected: invalid rows, nothing of that file imported.
    static let rejected = ExitCode(1)
    /// `--skip-invalid` left rows out.
    static let partial = ExitCode(2)
    /// An input file could not be read or is not a catalog at all (sysexits EX_NOINPUT).
    static let unreadableInput = ExitCode(66)
    /// The registry could not be opened or written (sysexits EX_CANTCREAT).
    static let registryError = ExitCode(73)
    /// An output file could not be written (sysexits EX_IOERR).
    static let cannotWrite = ExitCode(74)
}
