/// What names one carton: its SSCC when the producer has a GS1 company prefix, else a carton code
/// of the registry's own, under the registry's resolver (as stamps without a GTIN are named under
/// `/p/{code}`).
///
/// A carton code is `C` and at least nine digits (`C000000042`), counted registry-wide and never
/// given twice; its URL is `{resolver}/c/C000000042`. It cannot be mistaken for an SSCC (18 digits,
/// no letter), and it makes no claim on a GS1 company prefix nobody paid for. Both forms are kept
/// in the registry's `cartons.sscc` column as their ``text``.
///
/// ```swift
/// try CartonKey(parsing: "089387650000001234")   // .sscc
/// try CartonKey(parsing: "C000000042")           // .local(42)
/// CartonKey.local(42).path                        // "/c/C000000042"
/// ```
public enum CartonKey: Hashable, Sendable, CustomStringConvertible {
    case sscc(SSCC)
    /// A carton code of the registry's own, by its number.
    case local(Int)

    /// The path on a resolver for a carton code: `/c/{code}`.
    public static let localPathName = "c"

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case sscc(SSCC.ParseError)
        case notACartonCode(String)

        public var description: String {
            switch self {
            case .sscc(let error): error.description
            case .notACartonCode(let text):
                "\(text.quoted) is neither an SSCC (18 digits) nor a carton code (C and digits) "
                    + "(không phải mã SSCC 18 chữ số hay mã thùng C…)"
            }
        }
    }

    /// Reads an SSCC as people and labels write it (`(00) 0 89387650000001234`), a carton code
    /// (`C000000042`), or either's URL on any resolver (`https://id.example.vn/00/…`, `…/c/C000000042`).
    public init(parsing text: String) throws(ParseError) {
        var body = Substring(text.trimmed)
        if let query = body.firstIndex(where: { $0 == "?" || $0 == "#" }) { body = body[..<query] }
        while body.hasSuffix("/") { body = body.dropLast() }
        if body.contains("://") {
            let segments = body.split(separator: "/")
            guard segments.count >= 2 else { throw .notACartonCode(text) }
            let name = segments[segments.count - 2]
            guard name == "00" || name == "sscc" || name == Substring(CartonKey.localPathName) else { throw .notACartonCode(text) }
            body = segments[segments.count - 1]
        }
        if let first = body.first, first == "C" || first == "c" {
            let digits = body.dropFirst()
            guard digits.count >= 1, digits.count <= 18, digits.utf8.allSatisfy({ (48...57).contains($0) }), let number = Int(digits) else {
                throw .notACartonCode(text)
            }
            self = .local(number)
            return
        }
        do {
            self = .sscc(try SSCC(parsing: String(body)))
        } catch {
            throw .sscc(error)
        }
    }

    /// The carton with counter value `number` (from 0) under `companyPrefix` (an SSCC: the
    /// counter runs through the serial references of extension digit 0, then 1 …), or carton code
    /// `number + 1` when there is no prefix.
    public init(companyPrefix: String?, number: Int) throws(SSCC.BuildError) {
        guard let companyPrefix else {
            self = .local(number + 1)
            return
        }
        guard let largest = SSCC.largestSerialReference(companyPrefixLength: companyPrefix.utf8.count) else {
            throw .companyPrefixLength(companyPrefix.utf8.count)
        }
        let range = largest + 1
        guard number >= 0, number / range <= 9 else { throw .serialReferenceOutOfRange(number, largest: 10 * range - 1) }
        self = .sscc(try SSCC(extensionDigit: number / range, companyPrefix: companyPrefix, serialReference: number % range))
    }

    /// As the registry stores it and commands print it: the 18 digits, or `C` and the number.
    public var text: String {
        switch self {
        case .sscc(let sscc): sscc.digits
        case .local(let number):
            "C" + String(repeating: "0", count: max(0, 9 - String(number).count)) + String(number)
        }
    }

    public var description: String { text }

    /// The path on a resolver: `/00/{sscc}` or `/c/{code}`.
    public var path: String {
        switch self {
        case .sscc(let sscc): sscc.digitalLinkPath
        case .local: "/" + CartonKey.localPathName + "/" + text
        }
    }

    /// The URL a carton's QR code holds, on the resolver its stamps use.
    public func url(resolver: String) -> String {
        (resolver.hasSuffix("/") ? String(resolver.dropLast()) : resolver) + path
    }

    /// How a label prints it: `(00) 0 89387650000001234`, or the carton code.
    public var humanReadable: String {
        switch self {
        case .sscc(let sscc): sscc.humanReadable
        case .local: text
        }
    }

    /// The URI EPCIS events name the carton by: the canonical `https://id.gs1.org/00/…` for an
    /// SSCC, the registry's own URL for a carton code.
    public func epcisID(resolver: String) -> String {
        switch self {
        case .sscc(let sscc): sscc.digitalLink
        case .local: url(resolver: resolver)
        }
    }
}
