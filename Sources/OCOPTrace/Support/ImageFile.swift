import CPNG
import CTurboJPEG
import Foundation

/// What a PNG or JPEG file is, read from its header by libpng and TurboJPEG, without decoding the
/// pixels: format, size in pixels and in bytes; and its pixels in grayscale, for reading QR codes
/// in photos. The one place that uses libpng's and TurboJPEG's readers.
public struct ImageFile: Sendable, Equatable {
    public enum Format: String, Sendable, Codable {
        case png
        case jpeg
    }

    public var format: Format
    public var width: Int
    public var height: Int
    public var bytes: Int

    /// The format by the file's first bytes (its signature), not its name.
    static func format(of data: Data) -> Format? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    public enum ReadError: Error, Sendable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case unsupported(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot read the image: \(reason)"
            case .unsupported(let path): "\(path): not a PNG or JPEG image"
            }
        }
    }

    /// `path` names the file in errors only: the bytes are already read.
    static func inspect(_ data: Data, path: String) throws -> ImageFile {
        switch format(of: data) {
        case .png:
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
            defer { png_image_free(&image) }
            guard begun != 0 else { throw ReadError.unreadable(path: path, reason: pngMessage(image)) }
            return ImageFile(format: .png, width: Int(image.width), height: Int(image.height), bytes: data.count)
        case .jpeg:
            guard let handle = tjInitDecompress() else { throw ReadError.unreadable(path: path, reason: "TurboJPEG did not start") }
            defer { tjDestroy(handle) }
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            let status = data.withUnsafeBytes { raw in
                tjDecompressHeader3(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), &width, &height, &subsampling, &colorspace)
            }
            guard status == 0 else { throw ReadError.unreadable(path: path, reason: String(cString: tjGetErrorStr2(handle))) }
            return ImageFile(format: .jpeg, width: Int(width), height: Int(height), bytes: data.count)
        case nil:
            throw ReadError.unsupported(path: path)
        }
    }

    static func pngMessage(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// A grayscale image, one byte a pixel.
    struct Gray {
        var width: Int
        var height: Int
        var pixels: [UInt8]
    }

    /// The largest image decoded (a 60-megapixel photo); bigger ones are refused.
    static let maximumPixels = 60_000_000

    /// The image's pixels in grayscale.
    static func grayscale(_ data: Data, path: String) throws -> Gray {
        switch format(of: data) {
        case .png: try decodePNG(data, path: path)
        case .jpeg: try decodeJPEG(data, path: path)
        case nil: throw ReadError.unsupported(path: path)
        }
    }

    static func decodePNG(_ data: Data, path: String) throws -> Gray {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        defer { png_image_free(&image) }
        guard begun != 0 else { throw ReadError.unreadable(path: path, reason: pngMessage(image)) }
        let width = Int(image.width)
        let height = Int(image.height)
        guard width > 0, height > 0, width * height <= maximumPixels else {
            throw ReadError.unreadable(path: path, reason: "the image is \(width)×\(height) pixels")
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        var pixels = [UInt8](repeating: 255, count: width * height)
        let finished = data.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width), nil) }
        }
        guard finished != 0 else { throw ReadError.unreadable(path: path, reason: pngMessage(image)) }
        return Gray(width: width, height: height, pixels: pixels)
    }

    static func decodeJPEG(_ data: Data, path: String) throws -> Gray {
        let header = try inspect(data, path: path)
        guard header.width > 0, header.height > 0, header.width * header.height <= maximumPixels else {
            throw ReadError.unreadable(path: path, reason: "the image is \(header.width)×\(header.height) pixels")
        }
        guard let handle = tjInitDecompress() else { throw ReadError.unreadable(path: path, reason: "TurboJPEG did not start") }
        defer { tjDestroy(handle) }
        var pixels = [UInt8](repeating: 255, count: header.width * header.height)
        let decoded = data.withUnsafeBytes { raw in
            pixels.withUnsafeMutableBufferPointer { output in
                tjDecompress2(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), output.baseAddress,
                              Int32(header.width), 0, Int32(header.height), Int32(TJPF_GRAY.rawValue), 0)
            }
        }
        guard decoded == 0 else { throw ReadError.unreadable(path: path, reason: String(cString: tjGetErrorStr2(handle))) }
        return Gray(width: header.width, height: header.height, pixels: pixels)
    }
}
