/// What an inspector hands the verifier: a scanned URL or a typed stamp ID, read forgivingly but
/// decided strictly.
public enum VerificationInput: Sendable {
    case url(StampURL)
    case stampID(StampID)
    /// Not a stamp of ours; the reason says why, in plain words.
    case malformed(VerificationReason)

    /// The longest input looked at; anything longer is malformed without further reading.
    static let maximumLength = 4096

    public init(_ raw: String) {
        // Scanned input rarely has spaces around it; trimming only when it does keeps checks fast.
        let needsTrim = raw.utf8.first.map { $0 <= 0x20 || $0 >= 0x80 } ?? false || raw.utf8.last.map { $0 <= 0x20 || $0 >= 0x80 } ?? false
        let text = needsTrim ? raw.trimmed : raw
        guard text.utf8.count <= VerificationInput.maximumLength else {
            self = .malformed(.malformed("too long to be a stamp (\(text.utf8.count) bytes)"))
            return
        }
        guard !text.isEmpty else {
            self = .malformed(.malformed("empty"))
            return
        }
        if VerificationInput.containsSchemeSeparator(text) {
            do {
                self = .url(try StampURL(parsing: text))
            } catch {
                self = .malformed(.malformed(error.description))
            }
            return
        }
        for (prefix, kind, loại) in [("WIFI:", "a Wi-Fi network", "thông tin mạng Wi-Fi"), ("BEGIN:VCARD", "a contact card (vCard)", "danh thiếp (vCard)"),
                                     ("MECARD:", "a contact card", "danh thiếp"), ("MATMSG:", "an e-mail", "một thư điện tử"),
                                     ("SMSTO:", "a text message", "một tin nhắn"), ("TEL:", "a phone number", "một số điện thoại"),
                                     ("GEO:", "a map location", "một vị trí bản đồ")]
        where text.uppercased().hasPrefix(prefix) {
            self = .malformed(.otherQRCode(kind, loại))
            return
        }
        do {
            self = .stampID(try StampID(parsing: text))
        } catch StampID.ParseError.checkFailed {
            self = .malformed(.badCheckCharacter)
        } catch {
            self = .malformed(.malformed("not a stamp URL or stamp ID: \(error.description)"))
        }
    }

    private static func containsSchemeSeparator(_ text: String) -> Bool {
        var colonAt = -3
        for (index, byte) in text.utf8.prefix(64).enumerated() {
            if byte == UInt8(ascii: ":") { colonAt = index }
            if byte == UInt8(ascii: "/"), index - colonAt <= 2, index - colonAt >= 1 {
                if index - colonAt == 2 { return true }
            } else if index - colonAt == 2 {
                colonAt = -3
            }
        }
        return false
    }

    public var serial: Serial? {
        switch self {
        case .url(let url): url.serial
        case .stampID(let id): id.serial
        case .malformed: nil
        }
    }
}
