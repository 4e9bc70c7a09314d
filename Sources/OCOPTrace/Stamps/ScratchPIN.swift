import Crypto
import Foundation

/// The PIN printed under a stamp's scratch-off film: 8 characters of Crockford's base32
/// (`0-9 A-Z` without `I L O U`), 40 bits from the system's CSPRNG, printed as is, with no
/// separators. What a buyer types is normalised before it is checked (see ``normalised(_:)``).
///
/// Why 8: with at most 5 wrong guesses per stamp and hour (then a lock), a guesser gets at most
/// 120 guesses a day on one stamp, 43,800 a year: the odds of hitting its PIN within a year are
/// 43,800 / 2⁴⁰ ≈ 4 × 10⁻⁸. See docs/scratch-pin.md.
public struct ScratchPIN: Sendable, Hashable, CustomStringConvertible {
    /// The 8 characters, as printed and as `pins.csv` holds them.
    public let text: String

    /// Its characters are a serial's: Crockford's base32, digits and capitals without I, L, O, U.
    public static let length = 8

    /// Never printed whole in logs by accident: a PIN's description is its length only.
    public var description: String { "PIN(\(ScratchPIN.length) characters)" }

    init(unchecked text: String) { self.text = text }

    /// The PIN of the low 40 bits of `bits`, 5 a character, lowest first.
    private init(bits: UInt64) {
        // Written in place: 8 characters fit in the string itself, with no buffer to allocate.
        self.init(unchecked: String(unsafeUninitializedCapacity: Self.length) { out in
            Serial.writeCharacters(of: bits, into: out, at: 0..<Self.length)
            return Self.length
        })
    }

    /// A new random PIN.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ScratchPIN {
        ScratchPIN(bits: generator.next())
    }

    /// `count` new random PINs from the system's CSPRNG, read a block at a time
    /// (``BufferedSecureRandom``) instead of a system call a PIN.
    public static func random(_ count: Int) -> [ScratchPIN] {
        var generator = BufferedSecureRandom()
        return (0..<count).map { _ in random(using: &generator) }
    }

    /// What a buyer typed as a PIN, when it can be one: spaces, dashes and dots dropped, lower case
    /// raised, `O` read as `0` and `I`/`L` as `1` (Crockford's rule); nil when what is left is not
    /// 8 characters of the alphabet. A PIN of the wrong shape is a wrong PIN, never an error.
    public static func normalised(_ typed: String) -> ScratchPIN? {
        var out: [UInt8] = []
        for byte in typed.utf8 {
            if byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x09 { continue }
            if out.count >= length { return nil }
            var upper = (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
            switch upper {
            case UInt8(ascii: "O"): upper = UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): upper = UInt8(ascii: "1")
            default: break
            }
            guard Serial.values[Int(upper)] >= 0 else { return nil }
            out.append(upper)
        }
        guard out.count == length else { return nil }
        return ScratchPIN(unchecked: String(decoding: out, as: UTF8.self))
    }
}

/// The key of the PINs' keyed hash (HMAC-SHA256): 32 random bytes in `pin-hmac.key`, beside the
/// signing keys (mode 0600), never in the registry. The registry holds only
/// HMAC(key, serial, PIN): a stolen registry without this file gives no PIN, and checking one is a
/// microsecond's work (see docs/scratch-pin.md).
///
/// ```
/// ocoptrace-pin-key 1
/// key: <32 bytes, base64url>
/// ```
public struct PINKey: @unchecked Sendable {
    // @unchecked: swift-crypto 3 does not mark SymmetricKey Sendable; it is an immutable value, and
    // hashing only reads it.
    /// Made once: issuing hashes every stamp's PIN with it.
    let key: SymmetricKey
    /// HMAC's state after the key: copied for each PIN instead of hashing the key again each time
    /// (issuing hashes a PIN per stamp).
    private let keyed: HMAC<SHA256>

    public static let fileName = "pin-hmac.key"

    init(key: [UInt8]) {
        self.key = SymmetricKey(data: key)
        keyed = HMAC<SHA256>(key: self.key)
    }

    /// The keyed hash of a stamp's PIN, in hex, as the registry stores it.
    ///
    /// What is hashed: the UTF-8 bytes of `ocoptrace-pin 1\n{serial}\n{PIN}`, built in one buffer on
    /// the stack (issuing hashes a PIN per stamp).
    public func hash(serial: Serial, pin: ScratchPIN) -> String {
        var mac = keyed
        let length = Self.domain.count + serial.text.utf8.count + 1 + pin.text.utf8.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { message in
            var count = 0
            for byte in Self.domain { message[count] = byte; count += 1 }
            for byte in serial.text.utf8 { message[count] = byte; count += 1 }
            message[count] = UInt8(ascii: "\n")
            count += 1
            for byte in pin.text.utf8 { message[count] = byte; count += 1 }
            mac.update(data: UnsafeRawBufferPointer(message))
        }
        // The first 128 bits (RFC 2104 §5: at least half the output): a wrong guess matches with
        // odds of 2⁻¹²⁸, and the registry's row stays short (see docs/scratch-pin.md).
        return mac.finalize().withUnsafeBytes { Digest.hex($0.prefix(Self.storedBytes)) }
    }

    /// Bytes of the HMAC the registry keeps.
    static let storedBytes = 16

    /// The first line of every hashed message: the scheme and its version.
    private static let domain = Array("ocoptrace-pin 1\n".utf8)

    /// The key in `folder`; nil when there is none.
    public static func load(folder: URL) throws(KeyError) -> PINKey? {
        let path = folder.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              text.split(whereSeparator: \.isNewline).first.map({ String($0).trimmed }) == "ocoptrace-pin-key 1",
              let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("key:") }),
              let raw = Base64URL.decode(String(line.dropFirst("key:".count)).trimmed), raw.count == 32
        else { throw .unreadablePrivateKey(path: path) }
        return PINKey(key: raw)
    }

    /// The key in `folder`, created (mode 0600, never overwritten) when there is none: the first
    /// `issue --scratch-pin` makes it.
    public static func loadOrCreate(folder: URL) throws -> PINKey {
        if let key = try load(folder: folder) { return key }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let raw = (0..<32).map { _ in UInt8.random(in: .min ... .max) }  // SystemRandomNumberGenerator: the OS's CSPRNG
        do {
            try KeyStore.writeNew(folder.appendingPathComponent(fileName).path, "ocoptrace-pin-key 1\nkey: \(Base64URL.encode(raw))\n", mode: 0o600)
        } catch KeyError.cannotWrite(let path, let reason) {
            // Another run made it meanwhile: use that one.
            if let key = try load(folder: folder) { return key }
            throw KeyError.cannotWrite(path: path, reason: reason)
        }
        guard let key = try load(folder: folder) else { throw KeyError.unreadablePrivateKey(path: folder.appendingPathComponent(fileName).path) }
        return key
    }

    /// The key `serve` and `verify --pin` need: an error naming the folder when it is missing.
    public static func required(folder: URL) throws -> PINKey {
        guard let key = try load(folder: folder) else { throw KeyError.noPINKey(folder: folder.path) }
        return key
    }
}
