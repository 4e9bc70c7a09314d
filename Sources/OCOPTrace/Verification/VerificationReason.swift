/// Why a stamp got its verdict, or what a genuine one warns of: a stable code for scripts, and the
/// sentence in English and in Vietnamese for the shopper or inspector. Every wording of a verdict's
/// reason and warning is here, in one place, shared by `verify` and the verification page.
public struct VerificationReason: Sendable, Equatable {
    public var code: String
    public var english: String
    public var vietnamese: String

    public init(code: String, english: String, vietnamese: String) {
        self.code = code
        self.english = english
        self.vietnamese = vietnamese
    }

    public func text(_ language: Language) -> String {
        language == .vi ? vietnamese : english
    }
}

extension VerificationReason {
    // MARK: Genuine

    static func issued(producer: String, product: String, lot: String) -> VerificationReason {
        VerificationReason(code: "issued", english: "issued by \(producer) for \(product), lot \(lot)",
                           vietnamese: "do \(producer) phát hành cho \(product), lô \(lot)")
    }

    static let signatureVerifiesOffline = VerificationReason(
        code: "signature-valid",
        english: "the embedded signature verifies: issued by the key holder (revocations unknown without a pack)",
        vietnamese: "chữ ký số trên tem hợp lệ: do chủ khóa phát hành (chưa biết tem có bị thu hồi không khi không có gói dữ liệu)")

    // MARK: Not genuine

    static func malformed(_ detail: String) -> VerificationReason {
        VerificationReason(code: "not-a-stamp", english: detail,
                           vietnamese: "không phải mã tem truy xuất của hệ thống (\(detail))")
    }

    public static let noQRCode = VerificationReason(
        code: "no-qr-code", english: "no QR code found in the image", vietnamese: "không tìm thấy mã QR nào trong ảnh")

    static let badCheckCharacter = VerificationReason(
        code: "bad-check-character",
        english: "the stamp ID's check character does not match: a character was mistyped or two were swapped",
        vietnamese: "ký tự kiểm tra của mã tem không khớp: gõ sai một ký tự hoặc đảo hai ký tự")

    static func otherQRCode(_ english: String, _ vietnamese: String) -> VerificationReason {
        VerificationReason(code: "other-qr-code", english: "this QR code holds \(english), not a stamp",
                           vietnamese: "mã QR này chứa \(vietnamese), không phải tem truy xuất")
    }

    static let fabricated = VerificationReason(
        code: "not-issued", english: "no stamp with this serial was issued: the stamp is fabricated",
        vietnamese: "không có tem nào mang số sê-ri này được phát hành: tem bị làm giả")

    static func notInPack(created: String) -> VerificationReason {
        VerificationReason(code: "not-in-pack",
                           english: "not in the offline pack (made \(created)): the stamp is fabricated, or newer than the pack",
                           vietnamese: "không có trong gói dữ liệu ngoại tuyến (lập \(created)): tem bị làm giả, hoặc mới hơn gói dữ liệu")
    }

    static let stampIDNeedsRegistry = VerificationReason(
        code: "stamp-id-needs-registry", english: "a typed stamp ID can only be checked with the registry or an offline pack",
        vietnamese: "mã tem gõ tay chỉ kiểm tra được với sổ đăng ký hoặc gói dữ liệu ngoại tuyến")

    static let signatureInvalid = VerificationReason(
        code: "signature-invalid", english: "the embedded signature does not verify: the stamp was altered or forged",
        vietnamese: "chữ ký số trên tem không hợp lệ: tem đã bị sửa đổi hoặc làm giả")

    static let signatureStripped = VerificationReason(
        code: "signature-stripped",
        english: "this stamp was issued with a signature, and the scanned code has none: it was stripped",
        vietnamese: "tem này được phát hành có chữ ký số, nhưng mã quét được không có: chữ ký đã bị gỡ bỏ")

    static let signatureAdded = VerificationReason(
        code: "signature-added", english: "this stamp was issued without a signature, and the scanned code carries one",
        vietnamese: "tem này được phát hành không có chữ ký số, nhưng mã quét được lại có")

    static func signatureWrongKey(named: String, issuedWith: String) -> VerificationReason {
        VerificationReason(code: "signature-wrong-key",
                           english: "the signature names key \(named), and this stamp was signed with key \(issuedWith)",
                           vietnamese: "chữ ký ghi khóa \(named), nhưng tem này được ký bằng khóa \(issuedWith)")
    }

    static func signatureKeyMissing(_ keyID: String) -> VerificationReason {
        VerificationReason(code: "signature-unchecked",
                           english: "signed with key \(keyID), whose public key was not given: the signature cannot be checked",
                           vietnamese: "được ký bằng khóa \(keyID), chưa có khóa công khai của khóa này: không kiểm tra được chữ ký")
    }

    static func signatureKeyNotGiven(_ keyID: String) -> VerificationReason {
        VerificationReason(code: "signature-unchecked", english: "signed with key \(keyID), which is not among the public keys given",
                           vietnamese: "được ký bằng khóa \(keyID), không có trong các khóa công khai đã cho")
    }

    static let unsignedOffline = VerificationReason(
        code: "needs-pack", english: "this stamp carries no signature: checking it offline needs an offline pack (ocoptrace pack)",
        vietnamese: "tem này không có chữ ký số: kiểm tra ngoại tuyến cần gói dữ liệu (ocoptrace pack)")

    static func productMismatch(code: String, issued: String) -> VerificationReason {
        VerificationReason(code: "product-mismatch",
                           english: "the product in the code (\(code.excerpt)) is not the product this serial was issued for (\(issued))",
                           vietnamese: "sản phẩm trong mã (\(code.excerpt)) không phải sản phẩm được cấp số sê-ri này (\(issued))")
    }

    static func lotMismatch(code: String, issued: String) -> VerificationReason {
        VerificationReason(code: "lot-mismatch", english: "the lot in the code (\(code.excerpt)) is not this serial's lot (\(issued))",
                           vietnamese: "lô trong mã (\(code.excerpt)) không phải lô của số sê-ri này (\(issued))")
    }

    static func producedMismatch(code: String?, issued: String?) -> VerificationReason {
        VerificationReason(code: "production-date-mismatch",
                           english: "the production date in the code (\(code ?? "none")) is not the issued one (\(issued ?? "none"))",
                           vietnamese: "ngày sản xuất trong mã (\(code ?? "không có")) khác ngày đã phát hành (\(issued ?? "không có"))")
    }

    static func expiryMismatch(code: String?, issued: String?) -> VerificationReason {
        VerificationReason(code: "expiry-date-mismatch",
                           english: "the expiry date in the code (\(code ?? "none")) is not the issued one (\(issued ?? "none"))",
                           vietnamese: "hạn sử dụng trong mã (\(code ?? "không có")) khác hạn đã phát hành (\(issued ?? "không có"))")
    }

    static func resolverMismatch(code: String, issued: String) -> VerificationReason {
        VerificationReason(code: "resolver-mismatch", english: "the code points to \(code.excerpt), not to \(issued) where this stamp was issued",
                           vietnamese: "mã trỏ tới \(code.excerpt), không phải \(issued) nơi tem được phát hành")
    }

    static let batchIncomplete = VerificationReason(
        code: "batch-incomplete", english: "its batch was never completed: the stamp is not valid",
        vietnamese: "lô tem chưa phát hành xong: tem chưa có hiệu lực")

    static func revoked(_ reason: String) -> VerificationReason {
        VerificationReason(code: "revoked", english: "revoked: \(reason)", vietnamese: "đã thu hồi: \(reason)")
    }

    /// A lot recalled by its producer (`revoke --lot … --recall`): not a lost roll of stamps, but
    /// goods that must not be used.
    static func recalled(_ reason: String) -> VerificationReason {
        VerificationReason(code: "recalled",
                           english: "this lot is recalled by its producer: \(reason). Do not eat or use it; take it back to the shop or the producer",
                           vietnamese: "lô hàng này bị nhà sản xuất thu hồi: \(reason). Không sử dụng; hãy mang trả nơi bán hoặc nhà sản xuất")
    }

    // MARK: Scratch-off PINs

    /// What a PIN check answered, in words (the code is ``PINState``'s).
    public static func pin(_ outcome: PINOutcome) -> VerificationReason {
        let when = outcome.activatedAt.map(Timestamp.vietnamese) ?? ""
        let place = outcome.province.map { (en: " in \($0)", vi: " tại \($0)") } ?? (en: "", vi: "")
        switch outcome.state {
        case .activated:
            return VerificationReason(code: outcome.state.rawValue,
                                      english: "genuine: the PIN is right and this stamp is activated now (\(when)); nobody had used it before",
                                      vietnamese: "chính hãng: mã PIN đúng, tem được kích hoạt lần đầu lúc \(when)")
        case .alreadyActivated:
            return VerificationReason(code: outcome.state.rawValue,
                                      english: "this PIN was already used on \(when)\(place.en). If you have just scratched the film yourself, this stamp is a copy",
                                      vietnamese: "mã PIN này đã được kích hoạt lúc \(when)\(place.vi). Nếu bạn vừa tự cào lớp phủ, tem này là tem giả (bản sao)")
        case .wrongPIN:
            return VerificationReason(code: outcome.state.rawValue,
                                      english: "wrong PIN: check the \(ScratchPIN.length) characters under the film (0-9, A-Z) and try again",
                                      vietnamese: "mã PIN không đúng: kiểm tra lại \(ScratchPIN.length) ký tự dưới lớp cào (0-9, A-Z) và thử lại")
        case .tooManyAttempts:
            let retry = outcome.retryAfter.map(Timestamp.vietnamese) ?? ""
            return VerificationReason(code: outcome.state.rawValue,
                                      english: "too many wrong PINs: try again after \(retry)",
                                      vietnamese: "nhập sai mã PIN quá nhiều lần: hãy thử lại sau \(retry)")
        case .noPIN:
            return VerificationReason(code: outcome.state.rawValue, english: "this stamp has no scratch-off PIN",
                                      vietnamese: "tem này không có mã PIN cào")
        }
    }

    /// A GET of an activated stamp: shown before the buyer scratches.
    public static func activatedOn(_ at: String, province: String?) -> VerificationReason {
        let when = Timestamp.vietnamese(at)
        return VerificationReason(code: "pin-activated-before",
                                  english: "Activated on \(when)\(province.map { " in \($0)" } ?? ""): if the film of your stamp is still intact, this stamp is a copy",
                                  vietnamese: "Đã kích hoạt lúc \(when)\(province.map { " tại \($0)" } ?? ""): nếu lớp cào trên tem của bạn còn nguyên, tem này là tem giả")
    }

    // MARK: Warnings

    static func productExpired(_ date: CalendarDate) -> VerificationReason {
        VerificationReason(code: "product-expired", english: "the product expired on \(date.iso)",
                           vietnamese: "sản phẩm đã hết hạn sử dụng ngày \(date.vietnamese)")
    }

    static func ocopNotValid(endedOn: CalendarDate?) -> VerificationReason {
        VerificationReason(code: "ocop-not-valid",
                           english: "the OCOP recognition is not valid today (\(endedOn.map { "it ended \($0.iso)" } ?? "no recognition date"))",
                           vietnamese: "chứng nhận OCOP không còn hiệu lực hôm nay (\(endedOn.map { "hết hạn ngày \($0.vietnamese)" } ?? "không có ngày công nhận"))")
    }

    static func copyAtPlaces(_ places: [String]) -> VerificationReason {
        VerificationReason(code: "suspected-copy",
                           english: "suspected copy: verified at \(places.count) different places (\(places.joined(separator: ", ")))",
                           vietnamese: "nghi tem sao chép: đã kiểm tra ở \(places.count) nơi khác nhau (\(places.joined(separator: ", ")))")
    }

    static func copyScannedOften(_ count: Int, since first: String?) -> VerificationReason {
        VerificationReason(code: "suspected-copy", english: "suspected copy: verified \(count) times since \(first ?? "?")",
                           vietnamese: "nghi tem sao chép: đã kiểm tra \(count) lần từ \(first.map(Timestamp.vietnamese) ?? "?")")
    }

    /// The page's scan is kept for a retry: the registry did not take it in time, so the count shown
    /// may leave out this scan and others still waiting.
    static let scanCountUnavailable = VerificationReason(
        code: "scan-count-unavailable",
        english: "the scan count is unavailable right now: this scan is kept and will be counted once the registry takes it",
        vietnamese: "tạm thời chưa có số lượt quét: lượt quét này được giữ lại và sẽ được tính khi sổ đăng ký sẵn sàng")

    static let publicKeyOnly = VerificationReason(
        code: "public-key-only", english: "checked with the public key alone: revocations and scan history are unknown",
        vietnamese: "chỉ kiểm tra bằng khóa công khai: chưa biết tem có bị thu hồi không và lịch sử quét")
}

extension VerificationResult.Status {
    /// The verdict in a few words, as `verify` prints it and the verification page shows it.
    public func title(_ language: Language) -> String {
        switch (self, language) {
        case (.genuine, .vi): "Chính hãng"
        case (.genuine, .en): "Genuine"
        case (.revoked, .vi): "Đã thu hồi"
        case (.revoked, .en): "Revoked"
        case (.unknown, .vi): "Không có trong sổ đăng ký"
        case (.unknown, .en): "Not in the registry"
        case (.forged, .vi): "Giả mạo"
        case (.forged, .en): "Forged"
        case (.malformed, .vi): "Không phải tem hợp lệ"
        case (.malformed, .en): "Not a stamp"
        case (.pending, .vi): "Chưa phát hành xong"
        case (.pending, .en): "Not yet issued"
        }
    }
}
