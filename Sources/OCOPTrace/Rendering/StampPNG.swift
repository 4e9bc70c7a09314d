import Foundation
import StampRaster

/// How stamp PNGs are drawn.
public struct RenderOptions: Sendable, Codable, Equatable {
    /// Pixels per QR module.
    public var moduleSize: Int = 4
    public var correction: QRErrorCorrection = .medium
    /// Light modules around the symbol; scanners need 4.
    public var quietZone: Int = 4
    /// zlib level, 0–9: 1-bit QR images compress about as well at 1 as at 9, much faster.
    public var compressionLevel: Int = 1

    public init(moduleSize: Int = 4, correction: QRErrorCorrection = .medium, quietZone: Int = 4, compressionLevel: Int = 1) {
        self.moduleSize = moduleSize
        self.correction = correction
        self.quietZone = quietZone
        self.compressionLevel = compressionLevel
    }

    public func validate() throws(RenderError) {
        guard (1...64).contains(moduleSize) else { throw .badOption("the module size must be 1 to 64 pixels") }
        guard (0...40).contains(quietZone) else { throw .badOption("the quiet zone must be 0 to 40 modules") }
        guard (0...9).contains(compressionLevel) else { throw .badOption("the compression level must be 0 to 9") }
    }
}

public enum RenderError: Error, Sendable, CustomStringConvertible {
    case badOption(String)
    case encoding(QRMatrix.EncodingError)
    case png

    public var description: String {
        switch self {
        case .badOption(let message): message
        case .encoding(let error): "cannot encode the QR code: \(error)"
        case .png: "libpng could not write the image"
        }
    }
}

/// Time spent in each step of rendering, summed over stamps (and threads).
public struct RenderTimings: Sendable, Codable {
    public var encodeSeconds = 0.0
    public var pngSeconds = 0.0
    public var writeSeconds = 0.0
    public var stamps = 0
    /// How many stamps needed each QR version.
    public var versions: [Int: Int] = [:]

    public init() {}

    mutating func add(_ other: RenderTimings) {
        encodeSeconds += other.encodeSeconds
        pngSeconds += other.pngSeconds
        writeSeconds += other.writeSeconds
        stamps += other.stamps
        versions.merge(other.versions, uniquingKeysWith: +)
    }

    enum CodingKeys: String, CodingKey {
        case encodeSeconds = "encode_cpu_seconds", pngSeconds = "png_cpu_seconds", writeSeconds = "write_cpu_seconds"
        case stamps, versions = "qr_versions"
    }
}

/// Turns stamp URLs into PNG bytes: QR symbol from libqrencode, 1-bit grayscale PNG from libpng
/// into a reused memory buffer.
///
/// Not thread-safe: each rendering thread has its own. The buffer is freed in `deinit`.
final class StampPNGWriter {
    private var buffer = stamp_png_buffer(data: nil, size: 0, capacity: 0)
    private let options: RenderOptions
    private(set) var timings = RenderTimings()

    init(options: RenderOptions) {
        self.options = options
    }

    deinit {
        stamp_png_buffer_free(&buffer)
    }

    /// The PNG bytes of `text`.
    func pngData(_ text: String) throws(RenderError) -> Data {
        _ = try render(text)
        return Data(bytes: buffer.data, count: buffer.size)
    }

    private func render(_ text: String) throws(RenderError) -> Int {
        do { try QRMatrix.checkEncodable(text) } catch { throw .encoding(error) }
        let started = DispatchTime.now().uptimeNanoseconds
        var encodedAt: UInt64 = 0
        let result: Int32? = QRMatrix.withEncodedModules(text, correction: options.correction) { modules, width, version in
            encodedAt = DispatchTime.now().uptimeNanoseconds
            let status = stamp_png_write(modules, width, Int32(options.moduleSize), Int32(options.quietZone),
                                         Int32(options.compressionLevel), &buffer)
            return status == 0 ? version : -1
        }
        guard let version = result else { throw .encoding(.tooLong(bytes: text.utf8.count)) }
        guard version > 0 else { throw .png }
        let finished = DispatchTime.now().uptimeNanoseconds
        timings.encodeSeconds += Double(encodedAt - started) / 1e9
        timings.pngSeconds += Double(finished - encodedAt) / 1e9
        timings.stamps += 1
        timings.versions[Int(version), default: 0] += 1
        return Int(version)
    }
}
