import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OCOPTrace
import ServiceLifecycle

/// The request context: Hummingbird's, plus the peer's address for the scan log.
public struct ResolverRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// `ocoptrace serve`: a GS1 Digital Link resolver (1.2) for the registry's GTINs, and the
/// verification page every stamp's URL leads to.
public struct ResolverServer: Sendable {
    public let configuration: ServerConfiguration
    let directory: ResolverDirectory
    let verifier: StampPageVerifier
    let scanLog: ScanLog
    let store: any RegistryStore
    let salt: [UInt8]
    /// Checks the page's PIN form; nil when the keys folder holds no PIN key.
    let pinCheck: ScratchPINCheck?
    let logger: Logger
    public let metrics = ServerMetrics()
    let connections: ConnectionTable

    static let allowedMethods = "GET, HEAD, OPTIONS"
    static let linksetContext = "https://ref.gs1.org/standards/resolver/1.2.0/linkset-context"
    /// What a 503 asks a client to wait before trying again, in seconds.
    static let retryAfter = "5"

    /// Serves from `store`, prepared and running for the server's life: in `serve`,
    /// ``RegistryService`` runs it in the same group and stops it after the application (see
    /// ``ResolverService``).
    public init(store: any RegistryStore, configuration: ServerConfiguration, logger: Logger) async throws {
        var configuration = configuration
        configuration.baseURL = try StampURL.normalisedResolver(configuration.baseURL)
        self.configuration = configuration
        self.store = store
        directory = ResolverDirectory(store: store)
        var scanLogConfiguration = ScanLog.Configuration(spool: configuration.scanSpool)
        scanLogConfiguration.pageWaitLimit = configuration.scanWaitLimit
        var scanLogger = Logger(label: "ocoptrace.scans")
        scanLogger.logLevel = logger.logLevel
        let scanLog = ScanLog(store: store, reloadWindow: configuration.reloadWindow, configuration: scanLogConfiguration,
                              logger: scanLogger)
        self.scanLog = scanLog
        verifier = try await StampPageVerifier(store: store, scanLog: scanLog, publicKeys: configuration.publicKeys,
                                               cloneThreshold: configuration.cloneThreshold)
        salt = try await ScanSalt.load(from: store)
        pinCheck = try configuration.keysFolder.flatMap { try PINKey.load(folder: $0) }.map { ScratchPINCheck(store: store, key: $0) }
        self.logger = logger
        connections = ConnectionTable(maximum: configuration.limits.maximumConnections)
    }

    /// The Hummingbird application, with the scan writer and (when an admin address is set) the
    /// metrics and health endpoints as its services; `onServerRunning` learns the bound port (for
    /// `--port 0`). Stopping it stops the public server first, then the admin one, then the scan
    /// writer once it has written (or saved) every scan.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
                            onAdminRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        var services: [any Service] = [ScanLogService(log: scanLog, closeWithin: configuration.scanCloseLimit)]
        if let admin = configuration.adminAddress {
            services.append(AdminEndpoints(server: self).application(host: admin.host, port: admin.port, onRunning: onAdminRunning))
        }
        let limits = configuration.limits
        let connections = connections
        let metrics = metrics
        let shared = SharedHeadersMiddleware<ResolverRequestContext>()
        return Application(
            responder: CallbackResponder { (request: Request, context: ResolverRequestContext) in
                try await shared.handle(request, context: context) { request, context in
                    await self.respondAndLog(to: request, context: context)
                }
            },
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, limits: limits, connections: connections, metrics: metrics)
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 1024),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Returns once the scans counted so far are in the registry.
    public func waitForScans() async {
        await scanLog.waitUntilWritten()
    }

    /// The scan writer's figures (tests, metrics).
    public var scanStatistics: ScanLog.Statistics { scanLog.statistics }

    func respondAndLog(to request: Request, context: ResolverRequestContext) async -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await respond(to: request, context: context)
        } catch {
            // Every request's only failing step is reading the registry: it is away or failing.
            // Say so, and when to come back; the log says why.
            logger.error("\(request.method) \(Self.pathForLog(request.head.path)): \(error)")
            if case .unavailable = error as? RegistryError { metrics.registryFailed(timedOut: true) } else { metrics.registryFailed(timedOut: false) }
            response = Self.plain(.serviceUnavailable, "503 Service Unavailable: the registry cannot be read right now; try again in a moment\n")
            response.headers[.retryAfter] = Self.retryAfter
        }
        if request.method == .head { response.body = ResponseBody() }
        let elapsed = ContinuousClock.now - started
        metrics.request(route: Self.routeName(request.head.path), status: response.status.code, duration: elapsed)
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        // One line a request, and nothing about who made it.
        logger.info("\(request.method) \(Self.pathForLog(request.head.path)) \(response.status.code) \(micros)µs")
        return response
    }

    /// The route a path takes, as a metric's label: a few fixed names, never the path itself.
    static func routeName(_ target: String?) -> String {
        let path = target?.split(separator: "?", maxSplits: 1).first ?? "/"
        if path == "/" { return "home" }
        if path.hasPrefix("/.well-known/") { return "description" }
        if path.hasPrefix("/01/") { return "gtin" }
        if path.hasPrefix("/v/") { return "page" }
        if path.hasPrefix("/p/") { return "stamp" }
        if path.hasPrefix("/00/") || path.hasPrefix("/c/") { return "carton" }
        if path.hasPrefix("/epcis/") { return "epcis" }
        if path.hasPrefix("/e") { return "compressed" }
        return "other"
    }

    /// The path without the query string (which may carry a signature), at most 200 characters.
    static func pathForLog(_ target: String?) -> String {
        let path = target?.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        return path.count > 200 ? String(path.prefix(200)) + "…" : path
    }

    func respond(to request: Request, context: ResolverRequestContext) async throws -> Response {
        let target = request.head.path ?? "/"
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        let rawQuery = parts.count > 1 ? String(parts[1]) : nil
        let query = QueryString(rawQuery)

        if request.method == .post, case .stampPage(let stampPath, _) = ResolverRoute(path: path) {
            return try await pinForm(stampPath, request: request, context: context, rawQuery: rawQuery, query: query, pagePath: path)
        }
        guard request.method == .get || request.method == .head || request.method == .options else {
            var response = Self.plain(.methodNotAllowed, "this resolver answers GET, HEAD and OPTIONS\n")
            response.headers[.allow] = Self.allowedMethods
            return response
        }
        if request.method == .options {
            var response = Response(status: .noContent)
            response.headers[.allow] = Self.allowedMethods
            // An answer about a key names its linkset, as GET and HEAD do (GS1's resolver tests look for it).
            if case .digitalLink(let link) = ResolverRoute(path: path) {
                response.headers[.link] = Self.linksetLink(configuration.baseURL + link.text)
            }
            return response
        }
        switch ResolverRoute(path: path) {
        case .home:
            return Self.plain(.ok, "\(configuration.name): a GS1 Digital Link resolver for OCOP traceability stamps (\(configuration.baseURL)/01/{GTIN}...)\n")
        case .descriptionFile:
            var response = Self.bytes(.ok, descriptionFile(), contentType: "application/json")
            response.headers[.cacheControl] = "max-age=3600"
            return response
        case .malformed(let reason):
            return Self.plain(.badRequest, "400 Bad Request: \(reason)\n")
        case .certification(let gtin):
            return try await certification(gtin: gtin, request: request)
        case .carton(let key):
            return try await cartonPage(key, request: request, query: query)
        case .traceability(let link):
            return try await traceability(link)
        case .digitalLink(let link):
            return try await resolve(link, request: request, rawQuery: rawQuery, query: query)
        case .compressed(let epc):
            // Answered as the uncompressed URI would be, its data attributes ahead of the request's
            // own query, and named with owl:sameAs (resolver 1.2, §5.5); never redirected to itself.
            let merged = [epc.attributeQuery, rawQuery].compactMap { $0 }.joined(separator: "&")
            let mergedQuery = merged.isEmpty ? nil : merged
            var response = try await resolve(epc.link, request: request, rawQuery: mergedQuery, query: QueryString(mergedQuery))
            response.headers.append(HTTPField(name: .link, value: "<\(configuration.baseURL)\(epc.uncompressed)>; rel=\"owl:sameAs\""))
            return response
        case .stampPage(let stampPath, let link):
            return try await stampPage(stampPath, link: link, request: request, context: context, rawQuery: rawQuery, query: query, pagePath: path)
        }
    }

    // MARK: Resolving

    func resolve(_ link: DigitalLinkPath, request: Request, rawQuery: String?, query: QueryString) async throws -> Response {
        let accept = request.headers[.accept] ?? ""
        let linkType = query.value("linkType")
        let wantsLinkset = linkType == "linkset" || linkType == "all"
            || (linkType == nil && (accept.containsASCIICaseInsensitive("application/linkset+json") || Self.prefersJSON(accept)))
        guard let entry = try await directory.lookup(gtin: link.gtin, lot: link.lot, serial: link.serial, levels: wantsLinkset) else {
            return Self.plain(.notFound, "404 Not Found: GTIN \(link.gtin.digits) is not in this registry\n")
        }
        let linkset = Linkset(baseURL: configuration.baseURL, link: link, entry: entry, pageQuery: query.without("linkType"))
        if wantsLinkset {
            var response = Self.bytes(.ok, linkset.json(), contentType: "application/linkset+json")
            response.headers[.link] = "<\(Self.linksetContext)>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""
            response.setNegotiated()
            return response
        }
        let target: String
        switch linkType.map({ Linkset.relation(of: $0) ?? "" }) {
        case nil, "defaultLink", "pip": target = linkset.pageURL
        case "certificationInfo" where linkset.certificationURL != nil: target = linkset.certificationURL!
        default:
            return Self.plain(.notFound, "404 Not Found: no link of type \(linkType ?? "") for \(link.text)\n")
        }
        // 307, never 301/308: browsers cache permanent redirects, which would freeze links and hide scans.
        var response = Response(status: .temporaryRedirect)
        response.headers[.location] = target + (rawQuery.map { "?" + $0 } ?? "")
        response.headers[.link] = Self.linksetLink(linkset.requestAnchor)
        response.setNegotiated()
        response.headers[.contentLength] = "0"
        return response
    }

    /// The `Link` header value naming a key's linkset.
    static func linksetLink(_ anchor: String) -> String {
        "<\(anchor)?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""
    }

    /// The item's (or lot's) EPCIS events as a JSON-LD document: the target of `gs1:traceability`.
    func traceability(_ link: DigitalLinkPath) async throws -> Response {
        guard let lot = link.lot, let product = try await verifier.product(gtin: link.gtin) else {
            return Self.plain(.notFound, "404 Not Found: GTIN \(link.gtin.digits) is not in this registry\n")
        }
        let document = try await TraceabilityEvents.document(productID: product.id, lot: lot, serial: link.serial, in: store)
        var response = Self.bytes(.ok, document, contentType: "application/ld+json")
        response.headers[.link] = Self.linksetLink(configuration.baseURL + "/01/" + link.gtin.digits + "/10/" + StampURL.percentEncoded(lot))
        return response
    }

    static func prefersJSON(_ accept: String) -> Bool {
        accept.containsASCIICaseInsensitive("application/json") && !accept.containsASCIICaseInsensitive("text/html")
    }

    func descriptionFile() -> String {
        var out = JSONBytes()
        out.raw("{\"resolverRoot\":"); out.string(configuration.baseURL)
        out.raw(",\"supportedPrimaryKeys\":[\"01\",\"00\"],\"name\":"); out.string(configuration.name)
        out.raw(",\"supportedLinkType\":[{\"namespace\":\"https://gs1.org/voc/\",\"prefix\":\"gs1:\"}]")
        out.raw(",\"linkTypeDefaultCanBeLinkset\":false")
        out.raw(",\"jsonLdContextLocation\":"); out.string(Self.linksetContext)
        if let contact = configuration.contact { out.raw(",\"contact\":{\"fn\":"); out.string(contact); out.raw("}") }
        out.raw("}")
        return out.text
    }

    // MARK: Pages

    func stampPage(_ stampPath: String, link: DigitalLinkPath?, request: Request, context: ResolverRequestContext, rawQuery: String?,
                   query: QueryString, pagePath: String) async throws -> Response {
        let url = configuration.baseURL + stampPath + (rawQuery.map { "?" + $0 } ?? "")
        let accept = request.headers[.accept] ?? ""
        let language = Language.negotiate(query: query.value("lang"), acceptLanguage: request.headers[.acceptLanguage])
        // A GTIN-level link (a product's barcode as a Digital Link, or gs1:pip of the product)
        // names no stamp: product information, with no verdict, and no scan.
        if !Self.prefersJSON(accept), let link, link.serial == nil,
           let product = try await verifier.product(gtin: link.gtin) {
            let html = ProductInformationPage(product: product, language: language,
                                              pathAndQuery: pagePath + (rawQuery.map { "?" + $0 } ?? "")).render()
            var response = Self.bytes(.ok, html, contentType: "text/html; charset=utf-8")
            response.setPage(language: language)
            response.setNegotiated()
            return response
        }
        // One GET by a person is one scan; HEAD, previews and crawlers are not.
        var client: ScanClient?
        if request.method == .get, !ScanClient.isAutomated(userAgent: request.headers[.userAgent]) {
            client = ScanClient(address: clientAddress(request, context), salt: salt)
        }
        let page = try await verifier.verify(url: url, client: client)
        var response: Response
        if Self.prefersJSON(accept) {
            response = Self.bytes(.ok, page.result.jsonLine + "\n", contentType: "application/json")
        } else {
            let view = VerificationPage(page: page, language: language, pathAndQuery: pagePath + (rawQuery.map { "?" + $0 } ?? ""),
                                        baseURL: configuration.baseURL)
            response = Self.bytes(.ok, view.render(), contentType: "text/html; charset=utf-8")
            response.setPage(language: language, pinForm: view.showsPINForm)
        }
        response.setNegotiated()
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    /// A carton's page (or its JSON, as `verify --json` prints it); 404 for a carton not in the registry.
    func cartonPage(_ key: CartonKey, request: Request, query: QueryString) async throws -> Response {
        guard let carton = try await CartonInquiry.lookUp(key, in: store) else {
            return Self.plain(.notFound, "404 Not Found: carton \(key.text) is not in this registry\n")
        }
        var response: Response
        if Self.prefersJSON(request.headers[.accept] ?? "") {
            response = Self.bytes(.ok, String(decoding: try JSONEncoder().encode(carton), as: UTF8.self) + "\n", contentType: "application/json")
        } else {
            let language = Language.negotiate(query: query.value("lang"), acceptLanguage: request.headers[.acceptLanguage])
            response = Self.bytes(.ok, CartonPage(carton: carton, language: language).render(), contentType: "text/html; charset=utf-8")
            response.setPage(language: language)
        }
        response.setNegotiated()
        return response
    }

    /// A PIN posted by a stamp page's form (`pin=…`, form-encoded): the page (or, for
    /// `Accept: application/json`, the verdict with its `pin`) with the answer; 429 with
    /// `Retry-After` when the stamp or the network is locked; 400 without a `pin` field. A PIN of
    /// any other shape is a wrong PIN.
    func pinForm(_ stampPath: String, request: Request, context: ResolverRequestContext, rawQuery: String?, query: QueryString,
                 pagePath: String) async throws -> Response {
        guard let pinCheck else {
            return Self.plain(.serviceUnavailable, "503 Service Unavailable: this server checks no PINs (no pin-hmac.key in its keys folder) / máy chủ này chưa kiểm tra được mã PIN\n")
        }
        // The channel has refused a body over the POST limit (413) before it got here.
        let body = try await request.body.collect(upTo: max(configuration.limits.bodyLimits["POST"] ?? 0, 1))
        guard let typed = Self.formField("pin", in: String(buffer: body)) else {
            return Self.plain(.badRequest, "400 Bad Request: send the PIN as the form field pin (application/x-www-form-urlencoded) / hãy gửi mã PIN trong trường pin\n")
        }
        let accept = request.headers[.accept] ?? ""
        let language = Language.negotiate(query: query.value("lang"), acceptLanguage: request.headers[.acceptLanguage])
        let url = configuration.baseURL + stampPath + (rawQuery.map { "?" + $0 } ?? "")
        let client = ScanClient(address: clientAddress(request, context), salt: salt)
        let page = try await verifier.checkPIN(url: url, typed: typed, client: client, check: pinCheck)
        let locked = page.result.pin?.state == .tooManyAttempts
        let status: HTTPResponse.Status = locked ? .tooManyRequests : .ok
        var response: Response
        if Self.prefersJSON(accept) {
            response = Self.bytes(status, page.result.jsonLine + "\n", contentType: "application/json")
        } else {
            let view = VerificationPage(page: page, language: language, pathAndQuery: pagePath + (rawQuery.map { "?" + $0 } ?? ""),
                                        baseURL: configuration.baseURL)
            response = Self.bytes(status, view.render(), contentType: "text/html; charset=utf-8")
            response.setPage(language: language, pinForm: view.showsPINForm)
        }
        if locked, let seconds = page.result.pin?.retryAfterSeconds() { response.headers[.retryAfter] = String(seconds) }
        response.setNegotiated()
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    /// The first value of a form-encoded field (`+` is a space, `%XX` a byte); nil when absent.
    static func formField(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name[...] else { continue }
            let raw = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }

    func certification(gtin: GTIN, request: Request) async throws -> Response {
        guard let entry = try await directory.lookup(gtin: gtin, lot: nil, serial: nil, levels: false), let ocop = entry.ocop else {
            return Self.plain(.notFound, "404 Not Found: no OCOP recognition for GTIN \(gtin.digits)\n")
        }
        let language = Language.negotiate(query: nil, acceptLanguage: request.headers[.acceptLanguage])
        let certificate = CertificationPage(entry: entry, ocop: ocop, language: language).render()
        var response = Self.bytes(.ok, certificate, contentType: "text/html; charset=utf-8")
        response.setPage(language: nil)
        return response
    }

    /// The client's address: the connection's peer, or, behind our own proxy on this machine, the
    /// last address the proxy appended to `X-Forwarded-For`.
    func clientAddress(_ request: Request, _ context: ResolverRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? ""
        if configuration.trustProxy, peer == "127.0.0.1" || peer == "::1",
           let forwarded = request.headers[.xForwardedFor],
           let last = forwarded.split(separator: ",").last.map({ String($0).trimmed }), !last.isEmpty {
            return last
        }
        return peer
    }

    // MARK: Responses

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var response = bytes(status, text, contentType: "text/plain; charset=utf-8")
        response.setNoStore()
        return response
    }

    static func bytes(_ status: HTTPResponse.Status, _ text: String, contentType: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}

/// A raw query string, read but never rewritten: redirects pass it on as it came.
struct QueryString {
    let raw: String?

    init(_ raw: String?) { self.raw = raw }

    /// The first value of `name`, percent-decoded.
    func value(_ name: String) -> String? {
        guard let raw else { return nil }
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? (try? StampURL.percentDecoded(String(parts[1]))) ?? String(parts[1]) : "" }
        }
        return nil
    }

    /// The query without `name`, untouched otherwise; nil when nothing is left.
    func without(_ name: String) -> String? {
        guard let raw else { return nil }
        let kept = raw.split(separator: "&").filter { $0 != name && !$0.hasPrefix(name + "=") }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }
}

extension HTTPField.Name {
    /// RFC 8288 `Link`, which HTTPTypes does not name.
    public static let link = HTTPField.Name("Link")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// The scan writer as a service: it runs for the application's life and, when the application
/// stops (after the public server has), writes what is queued within `closeWithin`.
struct ScanLogService: Service {
    let log: ScanLog
    let closeWithin: Duration

    func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await log.run()
            } onGracefulShutdown: {
                log.close(within: closeWithin)
            }
        } onCancel: {
            log.close(within: .zero)
        }
    }
}
