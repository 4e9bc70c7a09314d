import OCOPTrace
import Prometheus
import Synchronization

/// What an operator watches: requests by route and status, how long they take, the scan log,
/// the registry's errors and slow reads, open and refused connections. Served in Prometheus' text
/// format on the admin address (never the public one), from a registry of this server's own, so
/// that several servers in one process (the tests) keep theirs apart.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let duration: DurationHistogram
    private let registryErrors: Counter
    private let registryTimeouts: Counter
    private let openConnections: Gauge
    private let connectionsTotal: Counter
    private let refusals = Mutex<[UInt: Counter]>([:])
    private let scanGauges: [String: Gauge]
    private let scanCounters: [String: Counter]
    private let scanCounted = Mutex<[String: Int]>([:])

    private struct RequestKey: Hashable {
        var route: String
        var status: Int
    }

    /// A metric named `ocoptrace_…_unit`, its parts as Prometheus' descriptor wants them.
    private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        let parts = name.split(separator: "_")
        return MetricNameDescriptor(namespace: String(parts[0]), metricName: parts.dropFirst().dropLast().joined(separator: "_"),
                                    unitName: String(parts.last!), helpText: help)
    }

    public init() {
        duration = registry.makeDurationHistogram(
            descriptor: Self.named("ocoptrace_http_request_duration_seconds", "Time from a request's head to its answer."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)])
        registryErrors = registry.makeCounter(descriptor: Self.named("ocoptrace_registry_errors_total", "Requests the registry could not answer (answered 503)."))
        registryTimeouts = registry.makeCounter(descriptor: Self.named("ocoptrace_registry_waits_timed_out_total", "Requests that waited too long for a registry connection (answered 503)."))
        openConnections = registry.makeGauge(descriptor: Self.named("ocoptrace_http_connections_open", "Open client connections."))
        connectionsTotal = registry.makeCounter(descriptor: Self.named("ocoptrace_http_connections_total", "Client connections accepted."))
        scanGauges = [
            "waiting": registry.makeGauge(descriptor: Self.named("ocoptrace_scans_waiting", "Scans queued or kept for a retry, not yet in the registry.")),
            "journaled": registry.makeGauge(descriptor: Self.named("ocoptrace_scans_journaled", "Scans durable in the scan journal (SQLite), not yet in the registry.")),
            "failing": registry.makeGauge(descriptor: Self.named("ocoptrace_scans_registry_failing", "1 while the registry refuses scans.")),
        ]
        scanCounters = [
            "queued": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_queued_total", "Scans counted by the page and queued.")),
            "written": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_written_total", "Scans written to the registry.")),
            "failed_batches": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_failed_batches_total", "Scan batches the registry refused (their scans are kept and retried).")),
            "deferred": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_deferred_total", "Pages answered before their scan was written (count shown as unavailable).")),
            "dropped": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_dropped_total", "Scans dropped: too many waited for the registry.")),
            "spooled": registry.makeCounter(descriptor: Self.named("ocoptrace_scans_spooled_total", "Scans saved to the spool file at shutdown.")),
        ]
    }

    /// One answered request; `route` is a small fixed set of names, never a path.
    func request(route: String, status: Int, duration elapsed: Duration) {
        let key = RequestKey(route: route, status: status)
        let counter = requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(descriptor: Self.named("ocoptrace_http_requests_total", "Requests answered, by route and status."),
                                               labels: [("route", route), ("status", String(status))])
            counters[key] = counter
            return counter
        }
        counter.increment()
        duration.record(elapsed)
    }

    func registryFailed(timedOut: Bool) {
        (timedOut ? registryTimeouts : registryErrors).increment()
    }

    func connectionOpened() {
        openConnections.increment()
        connectionsTotal.increment()
    }

    func connectionClosed() {
        openConnections.decrement()
    }

    /// A request refused before it reached the resolver (limits, timeouts, the connection cap).
    func refused(_ status: UInt) {
        let counter = refusals.withLock { counters in
            if let counter = counters[status] { return counter }
            let counter = registry.makeCounter(descriptor: Self.named("ocoptrace_http_refused_total", "Requests refused before the resolver saw them (limits, timeouts, the connection cap)."),
                                               labels: [("status", String(status))])
            counters[status] = counter
            return counter
        }
        counter.increment()
    }

    /// The metrics as Prometheus' text format, with the scan log's figures as of now.
    func exposition(scans: ScanLog.Statistics) -> [UInt8] {
        scanGauges["waiting"]?.set(Int64(scans.waiting))
        scanGauges["failing"]?.set(Int64(scans.failing ? 1 : 0))
        scanGauges["journaled"]?.set(Int64(scans.journaled))
        let totals = ["queued": scans.queued, "written": scans.written, "failed_batches": scans.failedBatches,
                      "deferred": scans.deferred, "dropped": scans.dropped, "spooled": scans.spooled]
        // The scan log keeps running totals; the counters move by what changed since the last scrape.
        scanCounted.withLock { counted in
            for (name, total) in totals {
                let change = total - (counted[name] ?? 0)
                if change > 0 { scanCounters[name]?.increment(by: Int64(change)) }
                counted[name] = total
            }
        }
        return registry.emitToBuffer()
    }
}
