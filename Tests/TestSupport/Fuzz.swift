import Foundation
import PropertyBased
import Testing

/// Seeded fuzzing of the parsers that read outside input (issue 21), on swift-property-based's
/// generators and its seedable random source (`Xoshiro`).
///
/// Every fuzz test runs a fixed number of cases, so its time is bounded by its case count and the
/// same cases run on every machine. Each case gets its own random source, made from the seed, the
/// test's name and the case's number, so one case can be replayed alone. Environment variables:
///
/// - `OCOPTRACE_FUZZ_SEED`: another seed (decimal, or hexadecimal with `0x`), to explore further;
///   a failure names the seed and the case that failed.
/// - `OCOPTRACE_FUZZ_CASE`: run only this case number (with the seed that failed), to debug it.
/// - `OCOPTRACE_FUZZ_SCALE`: multiply every test's case count (`10` for a longer run).
///
/// ```sh
/// OCOPTRACE_FUZZ_SEED=0x1234 OCOPTRACE_FUZZ_SCALE=10 swift test --skip-build --filter Fuzz
/// ```
public enum Fuzz {
    /// The seed the suite runs with unless `OCOPTRACE_FUZZ_SEED` names another.
    public static let defaultSeed: UInt64 = 0x0C0F_2026_0021_F022

    public static let seed: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["OCOPTRACE_FUZZ_SEED"], !text.isEmpty else { return defaultSeed }
        let value = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let value else { fatalError("OCOPTRACE_FUZZ_SEED=\(text) is not a number (decimal, or hexadecimal with 0x)") }
        return value
    }()

    static let onlyCase: Int? = ProcessInfo.processInfo.environment["OCOPTRACE_FUZZ_CASE"].flatMap { Int($0) }
    static let scale: Int = ProcessInfo.processInfo.environment["OCOPTRACE_FUZZ_SCALE"].flatMap { Int($0) }.map { max(1, $0) } ?? 1

    /// The longest error description accepted. Generous: some parsers quote the value they refuse
    /// whole (the catalog's field parsers); a message must never grow with the file, though.
    public static let maximumMessageBytes = 64 * 1024

    /// A property that did not hold for one case.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Fails the case unless `condition` holds.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(Failure) {
        if !condition { throw Failure(message()) }
    }

    /// Checks that a refusal is the parser's own typed error, with a description that is not empty,
    /// is bounded, and names `place` (a file, a row, a column, a request) where the API has one.
    @discardableResult
    public static func expectClearError<E: Error>(_ error: any Error, _ type: E.Type, naming places: [String] = []) throws(Failure) -> E {
        guard let typed = error as? E else {
            throw Failure("threw \(Swift.type(of: error)) instead of \(E.self): \(excerpt(String(describing: error)))")
        }
        let description = String(describing: typed)
        try check(!description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(E.self) with an empty description")
        try check(description.utf8.count <= maximumMessageBytes,
                  "\(E.self) description of \(description.utf8.count) bytes: \(excerpt(description))")
        for place in places {
            try check(description.contains(place), "\(E.self) does not name \(place): \(excerpt(description))")
        }
        return typed
    }

    /// Runs `body` on `cases` inputs from `input` (times `OCOPTRACE_FUZZ_SCALE`). A case fails when
    /// `body` throws; the first few failures are recorded with the seed, the case number and an
    /// excerpt of the input, and the run stops after them.
    public static func run<Value>(
        _ name: String = #function, cases: Int, input: Generator<Value, some SendableSequenceType>,
        describe: (Value) -> String = { excerpt(String(describing: $0)) },
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (Value) throws -> Void
    ) {
        let salt = name.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }  // FNV-1a
        var failures = 0
        let range = onlyCase.map { $0...$0 } ?? 0...(cases * scale - 1)
        for index in range {
            var random = caseRandom(index: index, salt: salt)
            let value = input.run(using: &random)
            do { try body(value) } catch {
                failures += 1
                Issue.record("""
                    \(name) case \(index) (OCOPTRACE_FUZZ_SEED=0x\(String(seed, radix: 16)) OCOPTRACE_FUZZ_CASE=\(index)): \
                    \(error)
                    input: \(describe(value))
                    """, sourceLocation: sourceLocation)
                if failures >= 5 { return }
            }
        }
    }

    /// The case's own random source: its state words are SplitMix64 outputs of seed, test and case,
    /// so that neighbouring cases do not start alike (Xoshiro's first outputs follow its seed closely).
    public static func caseRandom(index: Int, salt: UInt64) -> Xoshiro {
        var state = seed ^ salt &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Xoshiro(seed: (next(), next(), next(), next()))
    }

    /// The start and end of a long text, for messages.
    public static func excerpt(_ text: String, limit: Int = 300) -> String {
        guard text.count > limit else { return text }
        return "\(text.prefix(limit / 2))…(\(text.utf8.count) bytes)…\(text.suffix(limit / 2))"
    }

    public static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self).debugDescription
        return excerpt(text) + " [\(bytes.count) bytes]"
    }

    // MARK: Generators

    /// Random bytes, of any value.
    public static func bytes(count: ClosedRange<Int>) -> Generator<[UInt8], some SendableSequenceType> {
        Gen<UInt8>.value(in: 0...255).array(of: count)
    }

    /// Random text: ASCII, Vietnamese (NFC and NFD), symbols, controls and other scripts mixed.
    public static func text(length: ClosedRange<Int>) -> Generator<String, some SendableSequenceType> {
        Gen.int(in: 0...(interestingScalars.count - 1)).array(of: length)
            .map { indexes in String(String.UnicodeScalarView(indexes.map { interestingScalars[$0] })) }
    }

    /// Valid examples mutated (most cases), or random bytes: structure-aware fuzzing.
    /// `tokens` are pieces of the format (delimiters, tags, escapes) that mutations insert.
    public static func mutated(_ examples: [[UInt8]], tokens: [[UInt8]] = [], hugeUpTo huge: Int = 16_000,
                               randomBytes: Double = 0.1) -> Generator<[UInt8], some SendableSequenceType> {
        precondition(!examples.isEmpty)
        let dictionary = tokens + commonTokens
        return Generator { random in
            if Double.random(in: 0..<1, using: &random) < randomBytes {
                return (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            var bytes = examples.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                mutate(&bytes, dictionary: dictionary, huge: huge, using: &random)
            }
            return bytes
        }
    }

    /// Valid example texts mutated as bytes; the result is UTF-8 decoded with repairs, so that
    /// invalid sequences become U+FFFD as they do wherever a `String` comes from bytes.
    public static func mutated(texts examples: [String], tokens: [String] = [], hugeUpTo huge: Int = 16_000,
                               randomBytes: Double = 0.1) -> Generator<String, some SendableSequenceType> {
        mutated(examples.map { Array($0.utf8) }, tokens: tokens.map { Array($0.utf8) }, hugeUpTo: huge, randomBytes: randomBytes)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// One mutation, chosen at random: a bit flip, an interesting byte, a cut, a deletion, a copy,
    /// an inserted token, NUL or invalid UTF-8, Unicode, a huge run or deep nesting.
    public static func mutate(_ bytes: inout [UInt8], dictionary: [[UInt8]], huge: Int, using random: inout some RandomNumberGenerator) {
        func position() -> Int { Int.random(in: 0...bytes.count, using: &random) }
        // Cheap mutations most often; a huge run or deep nesting about once in 25 cases.
        switch Int.random(in: 0..<60, using: &random) {
        case 0..<8 where !bytes.isEmpty:  // flip a bit
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 8..<16 where !bytes.isEmpty:  // an interesting byte
            bytes[Int.random(in: 0..<bytes.count, using: &random)] = interestingBytes.randomElement(using: &random)!
        case 16..<20:  // truncate
            bytes.removeSubrange(position()...)
        case 20..<26 where !bytes.isEmpty:  // delete a slice
            let start = Int.random(in: 0..<bytes.count, using: &random)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...64, using: &random)))
        case 26..<30 where !bytes.isEmpty:  // duplicate a slice elsewhere
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let slice = Array(bytes[start..<min(bytes.count, start + Int.random(in: 1...256, using: &random))])
            bytes.insert(contentsOf: slice, at: position())
        case 30..<42:  // a token of the format
            bytes.insert(contentsOf: dictionary.randomElement(using: &random)!, at: position())
        case 42..<47:  // NUL and broken UTF-8
            bytes.insert(contentsOf: brokenUTF8.randomElement(using: &random)!, at: position())
        case 47..<52:  // Unicode
            let scalars = (0..<Int.random(in: 1...12, using: &random)).map { _ in interestingScalars.randomElement(using: &random)! }
            bytes.insert(contentsOf: Array(String(String.UnicodeScalarView(scalars)).utf8), at: position())
        case 52:  // a huge run: one byte, or a token repeated
            let length = Int.random(in: 1_000...max(1_000, huge), using: &random)
            let unit = Bool.random(using: &random) ? [UInt8(ascii: "A")] : dictionary.randomElement(using: &random)!
            bytes.insert(contentsOf: repeated(unit, length / max(1, unit.count)), at: position())
        case 53:  // deep nesting
            let depth = Int.random(in: 100...min(5_000, max(100, huge / 4)), using: &random)
            let (open, close) = nestings.randomElement(using: &random)!
            let at = position()
            bytes.insert(contentsOf: repeated(open, depth) + repeated(close, Int.random(in: 0...depth, using: &random)), at: at)
        default:  // random bytes
            bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position())
        }
    }

    /// `unit` `count` times (`Array(repeating:).joined()` is slow in a debug build).
    static func repeated(_ unit: [UInt8], _ count: Int) -> [UInt8] {
        if unit.count == 1 { return [UInt8](repeating: unit[0], count: count) }
        var out: [UInt8] = []
        out.reserveCapacity(unit.count * count)
        for _ in 0..<count { out.append(contentsOf: unit) }
        return out
    }

    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x25, 0x26, 0x27, 0x2C, 0x2F, 0x3B, 0x3C, 0x3D,
                                            0x3E, 0x3F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xEF, 0xF0, 0xFE, 0xFF]
    static let brokenUTF8: [[UInt8]] = [[0x00], [0xFF], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE1, 0xBB],
                                        [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0x80, 0x80, 0x80]]
    static let commonTokens: [[UInt8]] = ["\"", "\"\"", ",", ";", "\t", "\r\n", "\n", "\r", "%", "%2F", "%zz", "%C3%A0", "%00", "/", "?", "&",
                                          "=", "#", "<", ">", "&amp;", "&#0;", "&#x110000;", "0", "9", "-1", "99999999999999999999", "1e308",
                                          "NaN", "đ", "Ạ", "\u{0301}", "\u{FEFF}", "\u{202E}", "👨‍👩‍👧"].map { Array($0.utf8) }
    static let nestings: [([UInt8], [UInt8])] = [("<a>", "</a>"), ("[", "]"), ("{\"a\":", "}"), ("(", ")"), ("\"", "\""), ("%25", "")]
        .map { (Array($0.0.utf8), Array($0.1.utf8)) }
    static let interestingScalars: [Unicode.Scalar] = {
        let ascii = (0x20...0x7E).compactMap(Unicode.Scalar.init)
        let vietnamese = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂĐÊÔƠƯẠỆ₫"
        let others = "\u{0}\u{1}\t\n\r\u{7F}\u{85}\u{A0}\u{AD}\u{300}\u{301}\u{303}\u{309}\u{323}\u{200B}\u{200D}\u{202E}\u{2028}\u{FEFF}\u{FFFD}★⭐×–—€中文العربية😀👨‍👩‍👧\u{10FFFF}"
        return ascii + ascii + Array(vietnamese.unicodeScalars) + Array(vietnamese.decomposedStringWithCanonicalMapping.unicodeScalars)
            + Array(others.unicodeScalars)
    }()
}
