import Logging
import OCOPTrace
import ServiceLifecycle
import Synchronization

/// `ocoptrace serve` as a service, after ``RegistryService`` in one group: once the registry's
/// connections run, it opens the registry (migrations), makes the server and runs its application
/// until the group shuts down. The group stops it first and the registry after it, so the scan
/// writer has the registry until its last scan.
public final class ResolverService: Service {
    let store: any RegistryStore
    let configuration: ServerConfiguration
    let logger: Logger
    let onServerRunning: @Sendable (ResolverServer, Int) async -> Void
    let onAdminRunning: @Sendable (Int) async -> Void
    private let server = Mutex<ResolverServer?>(nil)

    /// See ``ResolverServer/application(onServerRunning:onAdminRunning:)``; `onServerRunning` also
    /// gets the server, whose configuration has the normalised base URL.
    public init(store: any RegistryStore, configuration: ServerConfiguration, logger: Logger,
                onServerRunning: @escaping @Sendable (ResolverServer, Int) async -> Void = { _, _ in },
                onAdminRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.onServerRunning = onServerRunning
        self.onAdminRunning = onAdminRunning
    }

    /// The scan writer's figures; nil until the server is made.
    public var scanStatistics: ScanLog.Statistics? {
        server.withLock { $0?.scanStatistics }
    }

    public func run() async throws {
        try await store.prepare()
        let server = try await ResolverServer(store: store, configuration: configuration, logger: logger)
        self.server.withLock { $0 = server }
        let onServerRunning = onServerRunning
        try await server.application(onServerRunning: { port in await onServerRunning(server, port) },
                                     onAdminRunning: onAdminRunning).run()
    }
}
