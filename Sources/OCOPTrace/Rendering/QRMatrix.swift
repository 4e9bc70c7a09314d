import CQRencode
import Foundation

/// QR error-correction levels: the share of the symbol that can be damaged and still read.
public enum QRErrorCorrection: String, CaseIterable, Sendable, Codable {
    /// About 7 %.
    case low = "L"
    /// About 15 %: the default for printed stamps.
    case medium = "M"
    /// About 25 %.
    case quartile = "Q"
    /// About 30 %.
    case high = "H"

    var cLevel: QRecLevel {
        switch self {
        case .low: QR_ECLEVEL_L
        case .medium: QR_ECLEVEL_M
        case .quartile: QR_ECLEVEL_Q
        case .high: QR_ECLEVEL_H
        }
    }
}

/// The modules of a QR symbol, encoded by libqrencode.
///
/// The C result is copied out and freed inside ``init(encoding:correction:)``; no pointer escapes.
public struct QRMatrix: Sendable, Equatable {
    /// The symbol version, 1 to 40: the width is 17 + 4 × version modules.
    public let version: Int
    /// Modules per side, without the quiet zone.
    public let width: Int
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case containsNUL
        case tooLong(bytes: Int)
        case libraryFailed(errno: Int32)

        public var description: String {
            switch self {
            case .empty: "nothing to encode"
            case .containsNUL: "the text contains a NUL character"
            case .tooLong(let bytes): "\(bytes) bytes do not fit in a QR code"
            case .libraryFailed(let code): "libqrencode failed (errno \(code))"
            }
        }
    }

    /// The largest input accepted: a version-40 symbol at level L holds 2,953 bytes, and libqrencode
    /// has open fuzzing bugs on hostile input, so nothing longer is ever passed to it.
    public static let maximumBytes = 2953

    /// Encodes `text` in the smallest symbol that holds it, letting libqrencode split it into
    /// numeric, alphanumeric and byte segments (which keeps URLs with upper-case parts small).
    public init(encoding text: String, correction: QRErrorCorrection = .medium) throws(EncodingError) {
        try QRMatrix.checkEncodable(text)
        let bytes = text.utf8.count
        let result: (Int, Int, [Bool])? = text.withCString { pointer in
            guard let code = QRcode_encodeString(pointer, 0, correction.cLevel, QR_MODE_8, 1) else { return nil }
            defer { QRcode_free(code) }
            let width = Int(code.pointee.width)
            let data = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
            return (Int(code.pointee.version), width, data.map { $0 & 1 == 1 })
        }
        guard let (version, width, modules) = result else {
            let code = errno
            throw code == ERANGE ? .tooLong(bytes: bytes) : .libraryFailed(errno: code)
        }
        self.version = version
        self.width = width
        self.modules = modules
    }

    /// Encodes `text` and lends its modules to `body` as libqrencode laid them out (a byte a module,
    /// bit 0 dark, `width` × `width`), without copying: the stamp renderer hands them straight to
    /// its PNG writer. Nil when the text does not fit. The pointer is valid only inside `body`.
    static func withEncodedModules<Result>(_ text: String, correction: QRErrorCorrection,
                                           _ body: (_ modules: UnsafePointer<UInt8>, _ width: Int32, _ version: Int32) -> Result) -> Result? {
        text.withCString { pointer in
            guard let code = QRcode_encodeString(pointer, 0, correction.cLevel, QR_MODE_8, 1) else { return nil }
            defer { QRcode_free(code) }
            return body(code.pointee.data, code.pointee.width, code.pointee.version)
        }
    }

    /// Only bounded, NUL-free text is ever handed to libqrencode.
    static func checkEncodable(_ text: String) throws(EncodingError) {
        let bytes = text.utf8.count
        guard bytes > 0 else { throw .empty }
        guard bytes <= QRMatrix.maximumBytes else { throw .tooLong(bytes: bytes) }
        guard !text.utf8.contains(0) else { throw .containsNUL }
    }

    public subscript(row: Int, column: Int) -> Bool {
        modules[row * width + column]
    }
}
