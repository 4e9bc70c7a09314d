import Crypto
import Foundation

enum Digest {
    /// The first `bytes` bytes of the SHA-256 of `text`, in lower-case hex.
    static func hex(of text: String, bytes: Int = 32) -> String {
        hex(SHA256.hash(data: Data(text.utf8)).prefix(bytes))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex digits, made once: hashes are written in hex a stamp at a time.
    private static let digits = Array("0123456789abcdef".utf8)

    /// The SHA-256 of a file's bytes, read in chunks, in hex: what the job log records.
    static func sha256(ofFile url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }
}
