/// The legal form of an OCOP producer ("chủ thể OCOP").
public enum ProducerType: String, CaseIterable, Sendable, Codable {
    case cooperative
    case company
    case cooperativeGroup = "cooperative_group"
    case household

    public var vietnameseName: String {
        switch self {
        case .cooperative: "Hợp tác xã"
        case .company: "Doanh nghiệp"
        case .cooperativeGroup: "Tổ hợp tác"
        case .household: "Hộ kinh doanh"
        }
    }

    private static let spellings: [String: ProducerType] = {
        var table: [String: ProducerType] = [:]
        let words: [ProducerType: [String]] = [
            .cooperative: ["cooperative", "co-operative", "coop", "htx", "hợp tác xã", "hop tac xa"],
            .company: ["company", "enterprise", "doanh nghiệp", "dn", "công ty", "cong ty", "cty", "công ty tnhh", "công ty cổ phần", "tnhh", "ctcp"],
            .cooperativeGroup: ["cooperative_group", "cooperative group", "tổ hợp tác", "tht"],
            .household: ["household", "household business", "hộ kinh doanh", "hộ sản xuất", "hộ sản xuất kinh doanh", "hộ gia đình", "hộ", "hkd", "cơ sở sản xuất"],
        ]
        for (type, names) in words { for name in names { table[name.matchingKey] = type } }
        return table
    }()

    /// Reads the English value or a Vietnamese name (HTX, Doanh nghiệp, Tổ hợp tác, Hộ kinh doanh, ...).
    public init?(parsing text: String) {
        guard let type = ProducerType.spellings[text.matchingKey] else { return nil }
        self = type
    }
}

/// The six OCOP product groups of Decision 148/QĐ-TTg.
public enum OCOPGroup: Int, CaseIterable, Sendable, Codable {
    case food = 1
    case drinks = 2
    case herbal = 3
    case handicrafts = 4
    case ornamental = 5
    case tourism = 6

    public var vietnameseName: String {
        switch self {
        case .food: "Thực phẩm"
        case .drinks: "Đồ uống"
        case .herbal: "Dược liệu và sản phẩm từ dược liệu"
        case .handicrafts: "Thủ công mỹ nghệ"
        case .ornamental: "Sinh vật cảnh"
        case .tourism: "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
        }
    }

    public var englishName: String {
        switch self {
        case .food: "food"
        case .drinks: "drinks"
        case .herbal: "medicinal herbs"
        case .handicrafts: "handicrafts"
        case .ornamental: "ornamental plants and animals"
        case .tourism: "community and eco-tourism"
        }
    }

    private static let spellings: [String: OCOPGroup] = {
        var table: [String: OCOPGroup] = [:]
        let extra: [OCOPGroup: [String]] = [
            .food: ["food", "thực phẩm"],
            .drinks: ["drinks", "drink", "beverages", "đồ uống"],
            .herbal: ["herbal", "medicinal herbs", "dược liệu", "thảo dược"],
            .handicrafts: ["handicrafts", "handicraft", "thủ công mỹ nghệ", "thủ công"],
            .ornamental: ["ornamental", "sinh vật cảnh"],
            .tourism: ["tourism", "du lịch", "dịch vụ du lịch", "dịch vụ du lịch cộng đồng"],
        ]
        for group in OCOPGroup.allCases {
            table[group.vietnameseName.matchingKey] = group
            for name in extra[group] ?? [] { table[name.matchingKey] = group }
        }
        return table
    }()

    /// Reads `1`...`6`, `Nhóm 1`, or the group's Vietnamese (or English) name.
    public init?(parsing text: String) {
        var key = text.matchingKey
        for prefix in ["nhom ", "group "] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
        if let number = Int(key), let group = OCOPGroup(rawValue: number) {
            self = group
        } else if let group = OCOPGroup.spellings[key] {
            self = group
        } else {
            return nil
        }
    }
}

/// An OCOP star rating with its recognition decision.
public struct OCOPRecognition: Hashable, Sendable, Codable {
    /// 3, 4 or 5: only these are OCOP-certified.
    public var stars: Int
    public var decision: String?
    public var recognizedOn: CalendarDate?

    /// Recognitions are valid for 36 months (Decision 148/QĐ-TTg).
    public static let validityMonths = 36

    public init(stars: Int, decision: String?, recognizedOn: CalendarDate?) {
        self.stars = stars
        self.decision = decision
        self.recognizedOn = recognizedOn
    }

    /// The recognition as the registry stores it (`ocop_stars`, `ocop_decision`, `ocop_recognized_on`):
    /// none without stars. The one place a stored product's recognition is read.
    public init?(storedStars stars: Int?, decision: String?, recognizedOn: String?) {
        guard let stars else { return nil }
        self.init(stars: stars, decision: decision, recognizedOn: recognizedOn.flatMap(CalendarDate.init(parsing:)))
    }

    /// The last day the recognition holds, when its date is known.
    public var expiresOn: CalendarDate? {
        recognizedOn?.adding(months: OCOPRecognition.validityMonths)?.adding(days: -1)
    }

    /// Whether the rating may be shown as current on `date`. A rating without a recognition date
    /// cannot be shown to be current, and is not.
    public func isValid(on date: CalendarDate) -> Bool {
        guard let recognizedOn, let expiresOn else { return false }
        return recognizedOn <= date && date <= expiresOn
    }
}

/// A product's package, as shipping fees are computed from it: length, width and height in cm.
public struct PackageSize: Hashable, Sendable, Codable {
    public var lengthCm: Double
    public var widthCm: Double
    public var heightCm: Double
}
