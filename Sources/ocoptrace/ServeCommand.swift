import ArgumentParser
import Foundation
import Logging
import OCOPTrace
import OCOPTraceServer
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer the stamps' URLs: a GS1 Digital Link resolver and the verification page shoppers see.",
        discussion: """
            Serves until SIGINT or SIGTERM, then finishes the requests in flight, writes the queued \
            scans and exits 0. Each page is answered once its scan is durable: committed to the \
            registry, or, on SQLite, appended to the scan journal beside it (registry.sqlite-scans-…), \
            which the registry takes every half second and the next command that opens it takes \
            after a crash. Scans the registry does not take (a database outage, a full disk) are kept \
            and retried, and those still unwritten at a stop are saved to the spool file (or kept in \
            the journal) and written at the next start. \
            Run it behind a TLS reverse proxy that sets X-Forwarded-For (see docs/serve.md). Requests \
            and connections are limited as nginx limits them (the options below); /metrics, /healthz \
            and /readyz are served on --admin-port only.

            Example:
              ocoptrace serve --base-url https://id.ocoptrace.vn --port 8080 --admin-port 9464 --public-key keys/Xq3b.pub
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

    @Option(help: ArgumentHelp("The keys folder: its pin-hmac.key (made by `issue --scratch-pin`) lets the page check scratch-off PINs.",
                               valueName: "folder"))
    var keys = "keys"

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

    @Option(help: ArgumentHelp("Serve /metrics, /healthz and /readyz on this port (0: any free port), on --admin-host; none when not given.",
                               valueName: "port"))
    var adminPort: Int?

    @Option(help: ArgumentHelp("The address the admin port listens on; keep it off the public network.", valueName: "host"))
    var adminHost = "127.0.0.1"

    @Option(help: ArgumentHelp("Where scans the registry did not take before a stop are saved, and written from at the next start (default: beside an SQLite registry, else in the current folder).",
                               valueName: "file"))
    var scanSpool: String?

    @Option(help: ArgumentHelp("The longest request line, in bytes (longer: 414).", valueName: "bytes"))
    var maxRequestLine = HTTPLimits().requestLine

    @Option(help: ArgumentHelp("The longest header field, in bytes, and all header fields together (more: 431).", valueName: "bytes"))
    var maxHeaderField = HTTPLimits().headerField

    @Option(help: ArgumentHelp("All header fields of a request together, in bytes (more: 431).", valueName: "bytes"))
    var maxHeaders = HTTPLimits().headerBlock

    @Option(help: ArgumentHelp("Seconds a client has to send a whole request (slower: 408).", valueName: "seconds"))
    var requestTimeout = 15.0

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may wait for its next request.", valueName: "seconds"))
    var idleTimeout = 30.0

    @Option(help: ArgumentHelp("The most open connections (past it the longest-idle are closed); at most the open-file limit less \(OpenFileLimit.reserved).",
                               valueName: "n"))
    var maxConnections = HTTPLimits().maximumConnections

    @Option(help: ArgumentHelp("Seconds a page may wait for the registry (PostgreSQL) before it answers 503.", valueName: "seconds"))
    var registryWait = 3.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard cloneThreshold >= 1 else { throw ValidationError("--clone-threshold must be at least 1") }
        guard reloadWindow >= 0 else { throw ValidationError("--reload-window cannot be negative") }
        if let adminPort, !(0...65535).contains(adminPort) { throw ValidationError("--admin-port must be 0 to 65535") }
        guard maxRequestLine >= 256, maxHeaderField >= 256, maxHeaders >= maxHeaderField else {
            throw ValidationError("--max-request-line and --max-header-field must be at least 256 bytes, and --max-headers at least --max-header-field")
        }
        guard requestTimeout > 0, idleTimeout > 0, registryWait > 0 else {
            throw ValidationError("--request-timeout, --idle-timeout and --registry-wait must be more than 0 seconds")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
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
        var configuration = ServerConfiguration(host: host, port: port, baseURL: IssueOptions.resolveResolver(baseURL), name: name,
                                                contact: contact, publicKeys: keys, cloneThreshold: cloneThreshold,
                                                reloadWindow: reloadWindow, trustProxy: !noProxy)
        configuration.keysFolder = URL(fileURLWithPath: self.keys)
        let files = OpenFileLimit.raise()
        configuration.limits.requestLine = maxRequestLine
        configuration.limits.headerField = maxHeaderField
        configuration.limits.headerBlock = maxHeaders
        configuration.limits.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        configuration.limits.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.limits.maximumConnections = min(maxConnections, OpenFileLimit.connectionsFitting(files.soft))
        logger.notice("open files: at most \(files.soft)\(files.raised ? " (raised to the hard limit)" : ""); connections: at most \(configuration.limits.maximumConnections)")
        configuration.adminAddress = adminPort.map { (adminHost, $0) }
        let location = try registry.location
        configuration.scanSpool = URL(fileURLWithPath: scanSpool ?? Self.defaultSpool(location))
        let waitLimit = Duration.milliseconds(Int64(registryWait * 1000))
        // One group runs the registry's connections and the server: the server stops first (its
        // scan writer writes what is queued), the registry's connections last.
        let store = try await RegistryStores.connect(location, access: .readWrite, waitLimit: waitLimit)
        let resolver = ResolverService(store: store, configuration: configuration, logger: logger, onServerRunning: { server, port in
            logger.notice("serving \(server.configuration.baseURL) on http://\(server.configuration.host):\(port) (registry \(location))")
        }, onAdminRunning: { port in
            logger.notice("metrics and health on http://\(adminHost):\(port)/metrics, /healthz, /readyz")
        })
        // SIGTERM or SIGINT stops the public server, then writes the scans; a stop that takes
        // longer than the limit (a registry that never answers) is cut short: the scan writer
        // then saves what is left to the spool file at once.
        var group = ServiceGroupConfiguration(services: [RegistryService(store: store), resolver], gracefulShutdownSignals: [.sigterm, .sigint],
                                              logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(20)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
        guard let statistics = resolver.scanStatistics else { return }
        let kept = statistics.spooled > 0 ? "; \(statistics.spooled) scan(s) the registry did not take saved to \(configuration.scanSpool?.path ?? "")" : ""
        let lost = statistics.dropped > 0 ? "; \(statistics.dropped) scan(s) dropped (see the log)" : ""
        let journaled = statistics.journaled > 0 ? "; \(statistics.journaled) scan(s) kept in the scan journal, written when the registry is next opened" : ""
        logger.notice("stopped; \(statistics.written) scan(s) written\(kept)\(journaled)\(lost)")
    }

    /// Beside an SQLite registry; for PostgreSQL, in the current folder, named for the database.
    static func defaultSpool(_ location: RegistryLocation) -> String {
        switch location {
        case .sqlite(let path): path + ".unwritten-scans.jsonl"
        case .postgres(let url): "ocoptrace-\(url.database)-unwritten-scans.jsonl"
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
