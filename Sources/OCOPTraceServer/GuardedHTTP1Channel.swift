import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Synchronization

/// Hummingbird's HTTP/1.1 child channel with the limits a server on the open internet needs, as
/// nginx sets them: a bounded request line (414), header fields and header block (431) and body
/// (413, per method), a deadline to send a whole request (408), an idle keep-alive timeout, and a
/// cap on open connections over which the longest-idle ones are closed first. A refused request is
/// answered, its connection's output shut, what the client still sends read and dropped for a
/// moment (so the client reads the answer rather than a reset), then the connection closed for
/// good: no socket is left half-open and no unread bytes stay queued.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: HTTPLimits
    let connections: ConnectionTable
    let metrics: ServerMetrics?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let guardHandler = ConnectionGuard(limits: limits, connections: connections, metrics: metrics)
            try channel.pipeline.syncOperations.addHandler(guardHandler)
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            // The decoder counts the request target as a field too: the request line has its own
            // limit, checked by the guard before the decoder sees the bytes.
            decoderLimits.maxHeaderFieldSize = max(limits.headerField, limits.requestLine)
            decoderLimits.maxHeaderListSize = limits.headerBlock + limits.requestLine
            decoderLimits.maxHeaderFieldCount = limits.headerFieldCount
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits
            )
            try channel.pipeline.syncOperations.addHandler(RequestLimitsHandler(connection: guardHandler, limits: limits))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// How much a client may send, and for how long.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line (method, target, version), bytes: longer is answered 414.
    public var requestLine = 8 * 1024
    /// One header field, and all of them together, bytes: more is answered 431.
    public var headerField = 8 * 1024
    public var headerBlock = 32 * 1024
    public var headerFieldCount = 100
    /// The largest body each method takes, bytes: more is answered 413. GET, HEAD and OPTIONS take
    /// none; every other method the server answers has its own limit here.
    public var bodyLimits: [String: Int] = ["POST": 4096]  // a PIN form: a few bytes
    /// From a request's first byte to its last: slower is answered 408 and closed.
    public var requestTimeout: TimeAmount = .seconds(15)
    /// How long a kept-alive connection may wait for its next request.
    public var idleTimeout: TimeAmount = .seconds(30)
    /// The most connections open at once; past it the longest-idle are closed, and when none is
    /// idle the newest is answered 503.
    public var maximumConnections = 8192
    /// After a refusal: how long what the client still sends is read and dropped before closing.
    public var lingerTime: TimeAmount = .seconds(2)

    public init() {}

    func bodyLimit(_ method: HTTPMethod) -> Int {
        bodyLimits[method.rawValue] ?? 0
    }
}

/// Every open connection of one server, with when each became idle, so that the longest-idle
/// can be closed when a new connection would pass the cap.
final class ConnectionTable: Sendable {
    private struct Entry {
        let channel: any Channel
        var idleSince: NIODeadline?
    }

    private let state = Mutex<(entries: [ObjectIdentifier: Entry], idleCount: Int)>(([:], 0))
    let maximum: Int

    init(maximum: Int) { self.maximum = maximum }

    var count: Int { state.withLock { $0.entries.count } }

    /// Adds a connection; returns false when the table is full and no connection is idle (the
    /// new connection is then refused). Closes the longest-idle connections past the cap.
    func open(_ id: ObjectIdentifier, channel: any Channel) -> Bool {
        let (admitted, evicted): (Bool, [any Channel]) = state.withLock { state in
            var evicted: [any Channel] = []
            // Idle connections are closed to make room; each leaves the table when it has closed.
            var open = state.entries.count
            if open >= maximum, state.idleCount > 0 {
                let excess = open - maximum + 1
                let oldest = state.entries.filter { $0.value.idleSince != nil }
                    .sorted { $0.value.idleSince! < $1.value.idleSince! }.prefix(max(excess, 1))
                for (key, entry) in oldest {
                    evicted.append(entry.channel)
                    state.entries[key]?.idleSince = nil  // closing: not idle, not picked again
                    state.idleCount -= 1
                    open -= 1
                }
            }
            guard open < maximum else { return (false, evicted) }
            state.entries[id] = Entry(channel: channel, idleSince: .now())
            state.idleCount += 1
            return (true, evicted)
        }
        for channel in evicted { channel.close(promise: nil) }
        return admitted
    }

    func close(_ id: ObjectIdentifier) {
        state.withLock { state in
            if let entry = state.entries.removeValue(forKey: id), entry.idleSince != nil { state.idleCount -= 1 }
        }
    }

    func setIdle(_ id: ObjectIdentifier, _ idle: Bool) {
        state.withLock { state in
            guard let entry = state.entries[id], (entry.idleSince != nil) != idle else { return }
            state.entries[id]?.idleSince = idle ? .now() : nil
            state.idleCount += idle ? 1 : -1
        }
    }
}

/// The first handler of a connection: it sees the raw bytes. It checks the request line's
/// length, runs the request and idle timers, keeps the connection's place in the
/// ``ConnectionTable``, and carries out refusals (answer, shut output, drain, close).
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    fileprivate enum Phase {
        /// Between requests (or before the first): the idle timer runs.
        case idle
        /// A request is being received: the request timer runs.
        case receiving
        /// Whole requests are being answered; no bytes of a further one yet.
        case answering
        /// Refused: the answer is sent, and what still comes is dropped until the connection closes.
        case refusing
    }

    private let limits: HTTPLimits
    private let connections: ConnectionTable
    private let metrics: ServerMetrics?
    private var context: ChannelHandlerContext?
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?
    private var timerDue = NIODeadline.distantFuture
    private var deadline: NIODeadline?
    private var onDeadline: ((ConnectionGuard) -> Void)?
    /// Requests whose head arrived and whose answer has not been written yet.
    private var unanswered = 0
    private var registered = false
    /// The line being received: its length so far, and whether it starts like a request line
    /// (a method token, then a space; a header field's name is followed by a colon).
    private var lineLength = 0
    private var lineStart: [UInt8] = []

    init(limits: HTTPLimits, connections: ConnectionTable, metrics: ServerMetrics?) {
        self.limits = limits
        self.connections = connections
        self.metrics = metrics
    }

    private var id: ObjectIdentifier { ObjectIdentifier(self) }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { becameActive(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        becameActive(context)
        context.fireChannelActive()
    }

    private func becameActive(_ context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        metrics?.connectionOpened()
        guard connections.open(id, channel: context.channel) else {
            refuse(.serviceUnavailable, "503 Service Unavailable: too many connections; try again in a moment\n")
            return
        }
        schedule(limits.idleTimeout) { guardHandler in guardHandler.context?.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if registered {
            registered = false
            connections.close(id)
            metrics?.connectionClosed()
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        switch phase {
        case .refusing:
            return  // dropped: the connection is closing
        case .idle:
            phase = .receiving
            connections.setIdle(id, false)
            schedule(limits.requestTimeout) { guardHandler in
                guardHandler.refuse(.requestTimeout, "408 Request Timeout: the request was not received in time\n")
            }
        case .receiving, .answering:
            break
        }
        guard requestLineFits(bytes) else {
            refuse(.uriTooLong, "414 URI Too Long: the request line is longer than \(limits.requestLine) bytes\n")
            return
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closed its side: nothing more will come; a refused connection is done.
        if case .refusing = phase, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Follows the lines in `bytes`; false when a request line grows past the limit.
    private func requestLineFits(_ bytes: ByteBuffer) -> Bool {
        bytes.withUnsafeReadableBytes { raw in
            var index = 0
            while index < raw.count {
                if lineStart.count < 16 {
                    let take = min(16 - lineStart.count, raw.count - index)
                    var offset = 0
                    while offset < take, raw[index + offset] != 0x0A {
                        lineStart.append(raw[index + offset])
                        offset += 1
                    }
                }
                let rest = UnsafeRawBufferPointer(rebasing: raw[index...])
                if let newline = rest.firstIndex(of: 0x0A) {
                    lineLength += newline
                    if lineLength > limits.requestLine, Self.looksLikeRequestLine(lineStart) { return false }
                    lineLength = 0
                    lineStart.removeAll(keepingCapacity: true)
                    index += newline + 1
                } else {
                    lineLength += rest.count
                    index = raw.count
                }
            }
            return !(lineLength > limits.requestLine && Self.looksLikeRequestLine(lineStart))
        }
    }

    /// A method token followed by a space: header names end with a colon, and continuation lines
    /// start with white space.
    static func looksLikeRequestLine(_ start: [UInt8]) -> Bool {
        guard let space = start.firstIndex(of: 0x20), space > 0 else { return false }
        return start[..<space].allSatisfy(isTokenCharacter)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    // MARK: Told by the request handler

    /// A request's head was decoded.
    func requestBegan() {
        unanswered += 1
    }

    /// A request's last byte arrived: its timer stops.
    func requestReceived() {
        guard case .receiving = phase else { return }
        phase = .answering
        clearDeadline()
    }

    /// A request was answered: with none left, the connection is idle.
    func responseSent() {
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0, case .answering = phase else { return }
        phase = .idle
        connections.setIdle(id, true)
        schedule(limits.idleTimeout) { guardHandler in guardHandler.context?.close(promise: nil) }
    }

    /// Answers with `status` and closes, whatever else the connection was doing.
    func refuse(_ status: HTTPResponseStatus, _ text: String) {
        guard let context, !(phase == .refusing) else { return }
        phase = .refusing
        metrics?.refused(status.code)
        connections.setIdle(id, false)
        var answer = context.channel.allocator.buffer(capacity: 200 + text.utf8.count)
        answer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                           + "Content-Length: \(text.utf8.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n\(text)")
        // Then the output is shut: the client reads the answer and an end of stream.
        context.writeAndFlush(NIOAny(answer)).assumeIsolatedUnsafeUnchecked().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        // Whatever happens, the connection is gone after the linger time.
        schedule(limits.lingerTime) { guardHandler in guardHandler.context?.close(promise: nil) }
    }

    /// Sets the connection's one deadline. The event loop's timer is moved only when the new
    /// deadline is sooner than the one it is set for: a later deadline is found when the timer
    /// fires, and the timer set again for it. Each request moves the deadline twice (its own
    /// timeout, then the idle one), and this costs a clock read, not a scheduled task, each time.
    private func schedule(_ delay: TimeAmount, _ action: @escaping (ConnectionGuard) -> Void) {
        let due = NIODeadline.now() + delay
        deadline = due
        onDeadline = action
        if timer == nil || timerDue > due { arm(due) }
    }

    /// No deadline until the next ``schedule(_:_:)``; the timer, if set, finds none and stops.
    private func clearDeadline() {
        deadline = nil
        onDeadline = nil
    }

    private func arm(_ due: NIODeadline) {
        timer?.cancel()
        guard let context else { return }
        timerDue = due
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let deadline = self.deadline, let action = self.onDeadline else { return }
            if deadline > .now() {
                self.arm(deadline)
            } else {
                self.clearDeadline()
                action(self)
            }
        }
    }
}

extension ConnectionGuard.Phase: Equatable {}

/// Sits after the HTTP decoder: checks each request's body against its method's limit, turns the
/// decoder's errors into answers (431 for oversized headers, 400 for the rest), and tells the
/// ``ConnectionGuard`` when requests begin, are received and are answered.
final class RequestLimitsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: ConnectionGuard
    private let limits: HTTPLimits
    private var bodyLimit = 0
    private var bodyReceived = 0
    private var refused = false

    init(connection: ConnectionGuard, limits: HTTPLimits) {
        self.connection = connection
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            connection.requestBegan()
            bodyLimit = limits.bodyLimit(head.method)
            bodyReceived = 0
            let declared = head.headers.first(name: "content-length").flatMap { Int($0.trimmingASCIISpaces) }
            if let declared, declared > bodyLimit {
                return refuse(bodyLimit)
            }
        case .body(let bytes):
            bodyReceived += bytes.readableBytes
            if bodyReceived > bodyLimit { return refuse(bodyLimit) }
        case .end:
            connection.requestReceived()
        }
        context.fireChannelRead(data)
    }

    private func refuse(_ limit: Int) {
        refused = true
        connection.refuse(.payloadTooLarge, limit == 0 ? "413 Content Too Large: this request takes no body\n"
                                                       : "413 Content Too Large: a body here is at most \(limit) bytes\n")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        refused = true
        if error == .headerOverflow {
            connection.refuse(.requestHeaderFieldsTooLarge,
                              "431 Request Header Fields Too Large: at most \(limits.headerFieldCount) fields of \(limits.headerField) bytes, \(limits.headerBlock) bytes in all\n")
        } else {
            connection.refuse(.badRequest, "400 Bad Request: the request is not well-formed HTTP/1.1 (\(error))\n")
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            context.write(data, promise: promise)
            connection.responseSent()
            return
        }
        context.write(data, promise: promise)
    }
}

extension String {
    fileprivate var trimmingASCIISpaces: Substring {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
