/// A stage of a production diary (nhật ký sản xuất), as producers name it in Vietnamese or English,
/// with the EPCIS business step it is recorded under and its names for pages.
///
/// Users type the stage (`Công đoạn`) in either language, with or without diacritics; it is
/// matched as headers are (``Swift/String/matchingKey``: case, spacing, underscores and
/// diacritics ignored), so `Thu hoạch`, `thu hoach` and `HARVEST` are one stage.
///
/// Where CBV 2.0 has a step the stage uses it; where it has none the stage is a step of our own
/// vocabulary (``BusinessStep/ocoptrace(_:)``). The mapping follows traceability-chain.md §7:
/// harvesting is CBV `commissioning` (CBV names harvesting among the steps it covers), growing and
/// planting have no CBV word, `killing` is never slaughter.
///
/// ```swift
/// let stage = try ProductionStage(word: "thu hoach")   // .harvesting
/// stage.businessStep.epcisValue                       // "commissioning"
/// stage.vietnameseName                                // "Thu hoạch"
/// ```
public enum ProductionStage: String, CaseIterable, Sendable, Codable {
    case planting
    case tending
    case harvesting
    case preprocessing
    case processing
    case fermenting
    case labelling
    case packing
    case testing
    case inspecting
    case storing
    case transporting
    case dispatching
    case receiving
    case distributing
    case stocking
    case retailSelling = "retail_selling"

    /// The stage's name on Vietnamese pages.
    public var vietnameseName: String {
        switch self {
        case .planting: "Gieo trồng"
        case .tending: "Chăm sóc"
        case .harvesting: "Thu hoạch"
        case .preprocessing: "Sơ chế"
        case .processing: "Chế biến"
        case .fermenting: "Lên men"
        case .labelling: "Dán tem"
        case .packing: "Đóng gói"
        case .testing: "Kiểm nghiệm"
        case .inspecting: "Kiểm tra"
        case .storing: "Bảo quản"
        case .transporting: "Vận chuyển"
        case .dispatching: "Xuất kho"
        case .receiving: "Nhập kho"
        case .distributing: "Phân phối"
        case .stocking: "Lên kệ"
        case .retailSelling: "Bán lẻ"
        }
    }

    /// The stage's name on English pages.
    public var englishName: String {
        switch self {
        case .planting: "Planting"
        case .tending: "Tending"
        case .harvesting: "Harvest"
        case .preprocessing: "Preliminary processing"
        case .processing: "Processing"
        case .fermenting: "Fermentation"
        case .labelling: "Labelling"
        case .packing: "Packing"
        case .testing: "Laboratory testing"
        case .inspecting: "Inspection"
        case .storing: "Storage"
        case .transporting: "Transport"
        case .dispatching: "Dispatch"
        case .receiving: "Goods receipt"
        case .distributing: "Distribution"
        case .stocking: "Shelving"
        case .retailSelling: "Retail sale"
        }
    }

    /// The name in a page's language.
    public func name(in language: Language) -> String {
        language == .vi ? vietnameseName : englishName
    }

    /// The EPCIS business step the stage's events carry.
    public var businessStep: BusinessStep {
        switch self {
        case .planting: .ocoptrace("planting")
        case .tending: .ocoptrace("growing")
        // CBV.ttl: commissioning "encompasses … harvesting (of fruit/vegetable)".
        case .harvesting: .cbv("commissioning")
        // CBV's example of creating_class_instance: potatoes sorted, washed and packed as one lot.
        case .preprocessing: .cbv("creating_class_instance")
        // A product made from inputs is created for the first time (EPCIS 1.2 §9.6.4; `transforming` is deprecated).
        case .processing: .cbv("commissioning")
        case .fermenting: .ocoptrace("fermenting")
        case .labelling: .cbv("commissioning")
        case .packing: .cbv("packing")
        // A lab test judges the lot through a sample: conformant / non_conformant are defined for inspecting.
        case .testing: .cbv("inspecting")
        case .inspecting: .cbv("inspecting")
        case .storing: .cbv("storing")
        case .transporting: .cbv("transporting")
        case .dispatching: .cbv("shipping")
        case .receiving: .cbv("receiving")
        // The producer's side of distribution is its shipping; the distributor records its receiving.
        case .distributing: .cbv("shipping")
        case .stocking: .cbv("stocking")
        case .retailSelling: .cbv("retail_selling")
        }
    }

    /// Every word accepted for the stage, main names first.
    var words: [String] {
        let more: [String] = switch self {
        case .planting: ["gieo hạt", "trồng", "gieo", "xuống giống", "sowing", "seeding"]
        case .tending: ["bón phân", "phun thuốc", "tưới", "tưới nước", "làm cỏ", "growing", "care", "fertilising", "fertilizing",
                        "spraying", "irrigation", "watering"]
        case .harvesting: ["thu hái", "harvesting"]
        case .preprocessing: ["sơ chế", "phân loại", "rửa", "preprocessing", "pre-processing", "sorting", "washing"]
        case .processing: ["chế biến", "sản xuất", "production", "manufacturing"]
        case .fermenting: ["ủ men", "fermenting", "ferment"]
        case .labelling: ["dán nhãn", "gắn tem", "labeling", "stamping"]
        case .packing: ["đóng thùng", "đóng hộp", "đóng chai", "đóng túi", "packaging"]
        case .testing: ["xét nghiệm", "phân tích", "lab test", "testing"]
        case .inspecting: ["kiểm định", "inspection", "quality control", "qc"]
        case .storing: ["lưu kho", "cất trữ", "storage", "store"]
        case .transporting: ["transport", "transportation"]
        case .dispatching: ["giao hàng", "gửi hàng", "shipping", "dispatch", "shipment"]
        case .receiving: ["nhận hàng", "receipt", "goods receipt"]
        case .distributing: ["distribution"]
        case .stocking: ["trưng bày", "shelving", "stocking"]
        case .retailSelling: ["bán hàng", "retail", "retail sale", "retail selling", "sale"]
        }
        return [vietnameseName, englishName, rawValue] + more
    }

    /// Why a typed stage is not a stage.
    public struct UnknownWord: Error, Equatable, Sendable, CustomStringConvertible {
        /// The word as typed.
        public var word: String

        public var description: String {
            let accepted = ProductionStage.allCases.map { "\($0.vietnameseName.lowercased()) (\($0.englishName.lowercased()))" }
            return "\(word.quoted) is not a production stage (không phải công đoạn sản xuất): write one of "
                + accepted.joined(separator: ", ")
        }
    }

    /// The stages by the ``Swift/String/matchingKey`` of each accepted word.
    static let index: [String: ProductionStage] = {
        var index: [String: ProductionStage] = [:]
        for stage in ProductionStage.allCases {
            for word in stage.words {
                let key = word.matchingKey
                precondition(index[key] == nil || index[key] == stage, "stage word \(word) names two stages")
                index[key] = stage
            }
        }
        return index
    }()

    /// The stage a user typed, ignoring case, spacing, underscores and Vietnamese diacritics.
    ///
    /// - Throws: ``UnknownWord``, whose message lists the accepted stages in both languages.
    public init(word: String) throws(UnknownWord) {
        guard let stage = ProductionStage.index[word.matchingKey] else { throw UnknownWord(word: word) }
        self = stage
    }

    /// Every accepted word (for help texts and documentation), in stage order.
    public static var acceptedWords: [String] { allCases.flatMap(\.words) }
}
