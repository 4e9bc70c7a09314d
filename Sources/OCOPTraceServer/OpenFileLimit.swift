#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, which caps the connections a server can hold.
public enum OpenFileLimit {
    /// Files kept free for everything but client connections: the registry and its WAL, database
    /// connections, the spool file, logs, the admin listener.
    public static let reserved = 64

    /// Raises the soft limit to the hard one (a server should not run out at 1,024 when the
    /// system allows more) and returns the soft limit in force afterwards.
    @discardableResult
    public static func raise() -> (soft: Int, hard: Int, raised: Bool) {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return (1024, 1024, false) }
        let hard = limit.rlim_max
        var raised = false
        if limit.rlim_cur < hard {
            var wanted = limit
            wanted.rlim_cur = hard
            if setrlimit(resource, &wanted) == 0 {
                limit = wanted
                raised = true
            }
        }
        let clamp = { (value: rlim_t) -> Int in value > rlim_t(Int32.max) ? Int(Int32.max) : Int(value) }
        return (clamp(limit.rlim_cur), clamp(hard), raised)
    }

    /// The most client connections that fit under a soft limit of `soft` open files.
    public static func connectionsFitting(_ soft: Int) -> Int {
        max(8, soft - reserved)
    }
}
