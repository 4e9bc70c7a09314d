import Foundation

/// Real image files of a given size for tests, made by independent tools: PNG by Python's zlib
/// (no imaging library needed), JPEG by cjpeg (libjpeg-turbo-progs, installed by scripts/setup.sh).
public enum ImageFixture {
    /// An RGB PNG; `noise` fills it with random bytes, which do not compress (for file-size limits).
    @discardableResult
    public static func png(_ path: String, width: Int, height: Int, noise: Bool = false) throws -> String {
        let script = """
            import os, struct, sys, zlib
            path, width, height, noise = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
            def chunk(kind, data):
                return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
            row = lambda: b"\\x00" + (os.urandom(width * 3) if noise else bytes([200, 150, 90]) * width)
            raw = b"".join(row() for _ in range(height))
            with open(path, "wb") as out:
                out.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                          + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
            """
        _ = try ExternalTools.run("python3", ["-c", script, path, String(width), String(height), noise ? "1" : "0"])
        return path
    }

    /// A JPEG of a plain colour.
    @discardableResult
    public static func jpeg(_ path: String, width: Int, height: Int) throws -> String {
        var ppm = Data("P6 \(width) \(height) 255\n".utf8)
        ppm.append(Data([UInt8](repeating: 0, count: width * height * 3).enumerated().map { UInt8(truncatingIfNeeded: 90 + $0.offset % 3 * 50) }))
        let input = URL(fileURLWithPath: path + ".ppm")
        try ppm.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        _ = try ExternalTools.run("cjpeg", ["-quality", "85", "-outfile", path, input.path])
        return path
    }
}
