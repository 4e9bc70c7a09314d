import Foundation

/// The system's cryptographically secure generator (the kernel's `getrandom`, as
/// ``SystemRandomNumberGenerator``), read a block at a time.
///
/// `SystemRandomNumberGenerator` makes a system call for every 64 bits; issuing draws two for each
/// serial and one for each PIN, so a 100,000-stamp batch spent a tenth of a second in the kernel.
/// The bits are the same kernel bits, taken 4 KB per call, and each is handed out once. A class,
/// not a struct: a copy of a value would hand out the rest of its block a second time (the same
/// serials, the same PINs); copies of a reference share one position. One task's own (not Sendable).
public final class BufferedSecureRandom: RandomNumberGenerator {
    private var block: [UInt64]
    private var position: Int

    /// 64-bit words per system call.
    static let blockWords = 512

    public init() {
        block = [UInt64](repeating: 0, count: Self.blockWords)
        position = Self.blockWords
    }

    public func next() -> UInt64 {
        if position == block.count {
            block.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            position = 0
        }
        defer { position += 1 }
        return block[position]
    }
}
