import Foundation

/// How one series is drawn: a fill colour and, past the first six, a pattern over it.
///
/// Reports are printed in black and white. The six base colours sit on distinct steps of
/// lightness (CIE L* 28, 40, 52, 66, 80, 92: at least 12 apart), so they stay apart as greys;
/// the next six repeat them under diagonal hatching, and "others" is a neutral grey under dots.
/// Hues differ too (blue, amber, green, cream, brick, sky), for readers with colour and for the
/// common forms of colour blindness.
public struct ChartStyle: Sendable, Hashable {
    public enum Pattern: String, Sendable, Hashable {
        case solid, hatched, dotted
    }

    /// `#rrggbb`.
    public var fill: String
    public var pattern: Pattern

    public init(fill: String, pattern: Pattern) {
        self.fill = fill
        self.pattern = pattern
    }

    /// CIE L* (0 black … 100 white) of the fill, as a greyscale printer renders it.
    public var lightness: Double {
        let channels = [1, 3, 5].map { offset -> Double in
            let start = fill.utf8.index(fill.utf8.startIndex, offsetBy: offset)
            let end = fill.utf8.index(start, offsetBy: 2)
            let value = Double(Int(String(fill.utf8[start..<end])!, radix: 16)!) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        return luminance > 216.0 / 24389 ? 116 * cbrt(luminance) - 16 : luminance * 24389 / 27
    }
}
