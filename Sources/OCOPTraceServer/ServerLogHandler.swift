import Foundation
import Logging
import Synchronization

/// The server's log on standard error: one line per event, `2026-12-02T09:15:04Z info
/// ocoptrace.serve: GET /v/01/… 200 412µs`, metadata after the message when there is any.
///
/// swift-log's `StreamLogHandler` formats its metadata again each time a key is set (Hummingbird
/// sets a request id on every request) and asks the C library for the local time zone on every
/// line; at thousands of requests a second that cost as much as building a page. This one formats
/// metadata only for the lines that carry it, stamps lines in UTC (a second's text is made once),
/// and writes each line with one `write(2)`, so that lines from both event loops never interleave.
public struct ServerLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let fileDescriptor: Int32

    public init(label: String, fileDescriptor: Int32 = STDERR_FILENO, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.fileDescriptor = fileDescriptor
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ServerLogHandler.clock.text(for: time(nil))
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ": "
        line += event.message.description
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        if let error = event.error { all["error"] = .string("\(error)") }
        if !all.isEmpty {
            line += " ["
            line += all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line += "]"
        }
        line += "\n"
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// The text of the current second, made once a second rather than once a line.
    private static let clock = SecondClock()

    private final class SecondClock: Sendable {
        private let last = Mutex<(second: time_t, text: String)>((-1, ""))

        func text(for second: time_t) -> String {
            if let cached = last.withLock({ $0.second == second ? $0.text : nil }) { return cached }
            var seconds = second
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var buffer = [CChar](repeating: 0, count: 32)
            let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
            let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            last.withLock { $0 = (second, text) }
            return text
        }
    }
}
