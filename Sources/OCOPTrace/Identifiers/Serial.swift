/// A stamp's serial number: 16 characters of Crockford's base32 (80 random bits) from the system's
/// cryptographically secure generator.
///
/// The alphabet has no I, L, O or U, so a serial read aloud or typed cannot mix up look-alikes, and
/// all its characters are in QR alphanumeric mode, which keeps the symbol small. With 80 bits, even
/// ten billion issued stamps leave the odds of guessing a valid serial near 10⁻¹⁴ (the EU's
/// anti-counterfeiting rules ask for less than 10⁻⁴).
public struct Serial: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let text: String

    public static let length = 16
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The value (0...31) of each canonical serial character, -1 elsewhere.
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(value) }
        return table
    }()

    /// A new random serial.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Serial {
        random(using: &generator, keeping: nil)
    }

    /// A new random serial; with `prefix`, its first characters replaced by those (a chunk's).
    /// Written straight into the string's one buffer: issuing draws a serial per stamp.
    private static func random<G: RandomNumberGenerator>(using generator: inout G, keeping prefix: [UInt8]?) -> Serial {
        let first = generator.next() as UInt64, second = generator.next() as UInt64
        return Serial(unchecked: String(unsafeUninitializedCapacity: length) { bytes in
            writeCharacters(of: first, into: bytes, at: 0..<12)
            writeCharacters(of: second, into: bytes, at: 12..<length)
            if let prefix {
                for index in prefix.indices { bytes[index] = prefix[index] }
            }
            return length
        })
    }

    /// Writes `bits` in the alphabet into `out[range]`, 5 bits a character, lowest first: a
    /// serial's characters, and a scratch-off PIN's (the same alphabet, for the same reasons).
    static func writeCharacters(of bits: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at range: Range<Int>) {
        alphabet.withUnsafeBufferPointer { alphabet in
            var bits = bits
            for index in range {
                out[index] = alphabet[Int(bits & 31)]
                bits >>= 5
            }
        }
    }

    /// How many leading characters the serials of one ``randomChunk(_:using:)`` share.
    static let chunkPrefixLength = 3

    /// `count` new serials for one chunk of an issue, in ascending order, sharing a random prefix
    /// of ``chunkPrefixLength`` characters; every character of every serial, the prefix included,
    /// comes from the secure generator.
    ///
    /// Why a shared prefix: the registry indexes every serial ever issued, and serials drawn
    /// independently land one or two to a leaf page of that index once it holds millions, so a
    /// chunk of 4,096 stamps rewrote about 4,096 pages: issuing into a 10-million-stamp registry
    /// cost 2.6 to 4 times what it cost into an empty one. Sharing the first 15 bits puts the chunk in
    /// one of 32,768 narrow ranges of the index, a few pages wide however large the registry grows.
    /// The odds of guessing a valid serial are unchanged: they depend only on how many serials are
    /// valid among the 2⁸⁰ possible ones, and each serial is still uniformly random on its own. One
    /// genuine stamp tells a forger the prefix of its chunk's others, leaving 65 random bits each
    /// (odds of guessing one of them about 10⁻¹⁶).
    public static func randomChunk<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> [Serial] {
        let prefix = Array(random(using: &generator).text.utf8.prefix(chunkPrefixLength))
        return (0..<count).map { _ in random(using: &generator, keeping: prefix) }.sorted()
    }

    public static func random() -> Serial {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    init(unchecked text: String) {
        self.text = text
    }

    /// A serial as stored or as found in a URL: exactly 16 canonical characters, nothing forgiven.
    public init?(exactly text: String) {
        guard text.utf8.count == Serial.length, text.utf8.allSatisfy({ Serial.values[Int($0)] >= 0 }) else { return nil }
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: Serial, rhs: Serial) -> Bool { lhs.text < rhs.text }
}
