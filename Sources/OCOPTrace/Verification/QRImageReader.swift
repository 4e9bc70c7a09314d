import CPNG
import CTurboJPEG
import CZbar
import Foundation

/// Finds every QR code in a photo or PNG of stamps: the image is decoded to grayscale (libpng's
/// simplified API for PNG, TurboJPEG for JPEG) and scanned with libzbar. Every C handle is owned
/// and released inside one call.
public enum QRImageReader {
    typealias ImageError = ImageFile.ReadError

    /// A grayscale image, one byte a pixel.
    struct Gray {
        var width: Int
        var height: Int
        var pixels: [UInt8]
    }

    /// The largest image accepted (a 60-megapixel photo); bigger ones are refused, not scanned.
    static let maximumPixels = 60_000_000

    /// The text of every QR code in the image, top to bottom as zbar finds them.
    public static func decode(path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ImageError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        let gray: Gray
        switch ImageFile.format(of: data) {
        case .png: gray = try decodePNG(data, path: path)
        case .jpeg: gray = try decodeJPEG(data, path: path)
        case nil: throw ImageError.unsupported(path: path)
        }
        return scan(gray)
    }

    static func decodePNG(_ data: Data, path: String) throws -> Gray {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        defer { png_image_free(&image) }
        guard begun != 0 else { throw ImageError.unreadable(path: path, reason: ImageFile.pngMessage(image)) }
        let width = Int(image.width)
        let height = Int(image.height)
        guard width > 0, height > 0, width * height <= maximumPixels else {
            throw ImageError.unreadable(path: path, reason: "the image is \(width)×\(height) pixels")
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        var pixels = [UInt8](repeating: 255, count: width * height)
        let finished = data.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width), nil) }
        }
        guard finished != 0 else { throw ImageError.unreadable(path: path, reason: ImageFile.pngMessage(image)) }
        return Gray(width: width, height: height, pixels: pixels)
    }

    static func decodeJPEG(_ data: Data, path: String) throws -> Gray {
        let header = try ImageFile.inspect(data, path: path)
        guard header.width > 0, header.height > 0, header.width * header.height <= maximumPixels else {
            throw ImageError.unreadable(path: path, reason: "the image is \(header.width)×\(header.height) pixels")
        }
        guard let handle = tjInitDecompress() else { throw ImageError.unreadable(path: path, reason: "TurboJPEG did not start") }
        defer { tjDestroy(handle) }
        var pixels = [UInt8](repeating: 255, count: header.width * header.height)
        let decoded = data.withUnsafeBytes { raw in
            pixels.withUnsafeMutableBufferPointer { output in
                tjDecompress2(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), output.baseAddress,
                              Int32(header.width), 0, Int32(header.height), Int32(TJPF_GRAY.rawValue), 0)
            }
        }
        guard decoded == 0 else { throw ImageError.unreadable(path: path, reason: String(cString: tjGetErrorStr2(handle))) }
        return Gray(width: header.width, height: header.height, pixels: pixels)
    }

    static func scan(_ gray: Gray) -> [String] {
        guard let scanner = zbar_image_scanner_create() else { return [] }
        defer { zbar_image_scanner_destroy(scanner) }
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        guard let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        // "Y800": 8-bit grayscale.
        zbar_image_set_format(image, UInt(0x3030_3859))
        zbar_image_set_size(image, UInt32(gray.width), UInt32(gray.height))
        var texts: [String] = []
        gray.pixels.withUnsafeBytes { raw in
            // zbar reads the pixels during zbar_scan_image only; no cleanup handler, the array owns them.
            zbar_image_set_data(image, raw.baseAddress, UInt(raw.count), nil)
            guard zbar_scan_image(scanner, image) > 0 else { return }
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                let length = Int(zbar_symbol_get_data_length(current))
                if let bytes = zbar_symbol_get_data(current) {
                    texts.append(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self))
                }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
        }
        return texts
    }
}
