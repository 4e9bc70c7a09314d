import NIOCore
import NIOPosix

extension ResolverServer {
    /// Makes the server's NIO event loops run Swift concurrency's jobs too. Each request otherwise
    /// hops from an event loop thread to a concurrency pool thread and back, and on a small machine
    /// those thread switches cost as much CPU as building the page. Call it first thing in `main`,
    /// before any task has run, and only in a process that serves (SQLite reads, which run in
    /// place, take microseconds; nothing on the request path blocks for longer).
    /// - Returns: whether the event loops took over (false where the runtime offers no hook).
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
