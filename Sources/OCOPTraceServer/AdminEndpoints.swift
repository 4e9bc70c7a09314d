import Hummingbird
import Logging
import NIOCore
import OCOPTrace

/// The operator's endpoints, on an address of their own that the public never reaches:
/// `/metrics` (Prometheus' text format), `/healthz` (the process answers) and `/readyz` (the
/// registry answers a read, within the server's wait limit).
struct AdminEndpoints: Sendable {
    let server: ResolverServer

    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                await respond(to: request)
            },
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: server.logger
        )
    }

    func respond(to request: Request) async -> Response {
        guard request.method == .get || request.method == .head else {
            return ResolverServer.plain(.methodNotAllowed, "GET /metrics, /healthz or /readyz\n")
        }
        switch request.uri.path {
        case "/metrics":
            let text = server.metrics.exposition(scans: server.scanLog.statistics)
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            response.setNoStore()
            return response
        case "/healthz":
            return ResolverServer.plain(.ok, "ok\n")
        case "/readyz":
            let scans = server.scanLog.statistics
            let scanNote = scans.failing ? "; scans are not being written (\(scans.waiting) waiting): \(scans.lastError ?? "")" : ""
            do {
                try await server.store.ping()
                return ResolverServer.plain(.ok, "ready: the registry answers\(scanNote)\n")
            } catch {
                var response = ResolverServer.plain(.serviceUnavailable, "not ready: \(error)\(scanNote)\n")
                response.headers[.retryAfter] = ResolverServer.retryAfter
                return response
            }
        default:
            return ResolverServer.plain(.notFound, "404 Not Found: GET /metrics, /healthz or /readyz\n")
        }
    }
}
