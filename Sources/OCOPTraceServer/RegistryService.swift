import OCOPTrace
import ServiceLifecycle

/// The registry's connections (PostgreSQL's connection pool) as a service: `serve`'s group runs it
/// first, so that it stops last, once the scan writer has written every scan. A graceful shutdown
/// ends it as a cancellation does (``RegistryStore/run()``).
public struct RegistryService: Service {
    let store: any RegistryStore

    /// `store` as ``RegistryStores/connect(_:access:waitLimit:)`` makes it, not yet running.
    public init(store: any RegistryStore) {
        self.store = store
    }

    public func run() async {
        await cancelWhenGracefulShutdown { [store] in await store.run() }
    }
}
