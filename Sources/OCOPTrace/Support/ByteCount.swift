import Foundation

/// File and data sizes as people read them: `3 MB`, `1.5 MB`, `640 KB`.
public enum ByteCount {
    public static func text<Bytes: BinaryInteger>(_ bytes: Bytes) -> String {
        let value = Double(bytes)
        if value < 1024 { return "\(bytes) bytes" }
        if value < 1_048_576 { return String(format: "%.0f KB", value / 1024) }
        if value < 1_073_741_824 { return String(format: "%.1f MB", value / 1_048_576).replacingOccurrences(of: ".0 MB", with: " MB") }
        return String(format: "%.1f GB", value / 1_073_741_824).replacingOccurrences(of: ".0 GB", with: " GB")
    }
}
