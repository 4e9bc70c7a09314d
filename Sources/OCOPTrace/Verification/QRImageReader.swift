import CZbar
import Foundation

/// Finds every QR code in a photo or PNG of stamps: the image is decoded to grayscale
/// (``ImageFile``, which owns libpng and TurboJPEG) and scanned with libzbar. Every zbar handle is
/// owned and released inside one call.
public enum QRImageReader {
    typealias ImageError = ImageFile.ReadError
    typealias Gray = ImageFile.Gray

    /// The text of every QR code in the image, top to bottom as zbar finds them.
    public static func decode(path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ImageError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return scan(try ImageFile.grayscale(data, path: path))
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
