import ArgumentParser
import Foundation
import Logging
import OCOPTrace
import OCOPTraceServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer the stamps' URLs: a GS1 Digital Link resolver and the verification page shoppers see.",
        discussion: """
            Serves until SIGINT or SIGTERM, then finishes the requests in flight, writes the queued \
            scans and exits 0. Run it behind a TLS reverse proxy that sets X-Forwarded-For (see the README).

            Example:
              ocoptrace serve --base-url https://id.ocoptrace.vn --port 8080 --public-key keys/Xq3b.pub
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port, printed at start).", valueName: "port"))
    var port = 8080

    @Option(name: .customLong("base-url"),
            help: ArgumentHelp("The public resolver root the stamps were issued with (default: $OCOPTRACE_RESOLVER, else \(IssueOptions.defaultResolver)).",
                               valueName: "url"))
    var baseURL: String?

    @Option(name: .customLong("public-key"), parsing: .singleValue,
            help: ArgumentHelp("A public key file to check embedded signatures with, besides the registry's own keys (repeatable).", valueName: "file"))
    var publicKeys: [String] = []

    @Option(help: ArgumentHelp("The resolver's name in /.well-known/gs1resolver.", valueName: "text"))
    var name = "ocoptrace resolver"

    @Option(help: ArgumentHelp("Who runs the resolver, for /.well-known/gs1resolver.", valueName: "text"))
    var contact: String?

    @Option(help: ArgumentHelp("More counted scans than this flag a suspected copy.", valueName: "n"))
    var cloneThreshold = 5

    @Option(help: ArgumentHelp("Seconds within which a reload from the same network counts once.", valueName: "seconds"))
    var reloadWindow = 300.0

    @Flag(help: "Ignore X-Forwarded-For even from the loopback address (no proxy in front).")
    var noProxy = false

    @Option(help: ArgumentHelp("Log level: info logs one line per request.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard cloneThreshold >= 1 else { throw ValidationError("--clone-threshold must be at least 1") }
        guard reloadWindow >= 0 else { throw ValidationError("--reload-window cannot be negative") }
        do { _ = try StampURL.normalisedResolver(IssueOptions.resolveResolver(baseURL)) } catch { throw ValidationError("--base-url: \(error)") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label) }
        let logger = {
            var logger = Logger(label: "ocoptrace.serve")
            logger.logLevel = logLevel
            return logger
        }()
        let keys = try publicKeys.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CatalogError.unreadable(file: path, reason: "cannot read the public key file")
            }
            do { return try PublicStampKey(fileText: text) } catch { throw CatalogError.unreadable(file: path, reason: "\(error)") }
        }
        let configuration = ServerConfiguration(host: host, port: port, baseURL: IssueOptions.resolveResolver(baseURL), name: name,
                                                contact: contact, publicKeys: keys, cloneThreshold: cloneThreshold,
                                                reloadWindow: reloadWindow, trustProxy: !noProxy)
        let location = try registry.location
        // The store stays open for the server's life, and is closed after the last scan is written.
        try await registry.with(.readWrite) { store in
            let server = try await ResolverServer(store: store, configuration: configuration, logger: logger)
            let application = server.application { port in
                logger.notice("serving \(server.configuration.baseURL) on http://\(server.configuration.host):\(port) (registry \(location))")
            }
            do {
                try await application.runService()
            } catch {
                await server.finish()
                throw error
            }
            await server.finish()
        }
        logger.notice("stopped; scans written")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
