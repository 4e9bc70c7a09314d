/// A piece of the report's wording in Vietnamese and in English. Every sentence the report page
/// and its charts write of their own is in this file (the figures' and charts' titles come from
/// the caller as `ReportText` too), so a translator reads one table.
public struct ReportText: Sendable, Hashable {
    public var vietnamese: String
    public var english: String

    public init(_ vietnamese: String, _ english: String) {
        self.vietnamese = vietnamese
        self.english = english
    }

    /// The same words in both languages: a name, a code.
    public init(verbatim: String) {
        self.init(verbatim, verbatim)
    }

    public func text(_ language: Language) -> String {
        language == .vi ? vietnamese : english
    }
}

extension ReportText {
    // MARK: Page

    static let languageName = ReportText("Tiếng Việt", "English")
    static let period = ReportText("Kỳ báo cáo", "Period")
    static let scope = ReportText("Phạm vi", "Scope")
    static let generated = ReportText("Lập lúc", "Generated")
    static let allTime = ReportText("toàn bộ thời gian", "all time")
    static let headlineFigures = ReportText("Số liệu chính", "Headline figures")
    static let contents = ReportText("Nội dung", "Contents")
    static let footer = ReportText(
        "Số liệu lấy từ sổ đăng ký tem truy xuất của ocoptrace. Biểu đồ có văn bản thay thế; bảng số liệu đi kèm mỗi mục.",
        "Figures from the ocoptrace stamp registry. Every chart has a text alternative; each section has its table.")
    static let noData = ReportText("Không có số liệu trong kỳ này.", "No figures in this period.")

    // MARK: Charts

    /// The name of the series that folds together everything past the largest few.
    public static let others = ReportText("Khác", "Others")
    static let total = ReportText("Tổng", "Total")
    static let percentUnit = ReportText("%", "%")
    static let legend = ReportText("Chú giải", "Legend")

    static func andMore(_ count: String) -> ReportText {
        ReportText("và \(count) mục khác", "and \(count) more")
    }

    static func barChartSummary(_ count: String) -> ReportText {
        ReportText("Biểu đồ cột, \(count) cột", "Bar chart, \(count) bars")
    }

    static func stackedSummary(_ categories: String, _ series: String) -> ReportText {
        ReportText("Biểu đồ cột chồng, \(categories) cột, mỗi cột gồm \(series) nhóm",
                   "Stacked bar chart, \(categories) bars of \(series) series each")
    }

    static func groupedSummary(_ categories: String, _ series: String) -> ReportText {
        ReportText("Biểu đồ cột nhóm, \(categories) nhóm cột, mỗi nhóm \(series) cột",
                   "Grouped bar chart, \(categories) groups of \(series) bars each")
    }

    static func lineSummary(_ points: String, _ series: String) -> ReportText {
        ReportText("Biểu đồ đường, \(series) đường, mỗi đường \(points) điểm", "Line chart, \(series) lines of \(points) points each")
    }

    static func horizontalSummary(_ count: String) -> ReportText {
        ReportText("Biểu đồ thanh ngang, \(count) thanh", "Horizontal bar chart, \(count) bars")
    }

    static func highest(_ label: String, _ value: String) -> ReportText {
        ReportText("cao nhất: \(label) (\(value))", "highest: \(label) (\(value))")
    }

    static func peak(_ label: String, _ value: String) -> ReportText {
        ReportText("cao nhất \(value) vào \(label)", "peak \(value) on \(label)")
    }

    static func range(_ from: String, _ to: String) -> ReportText {
        ReportText("từ \(from) đến \(to)", "from \(from) to \(to)")
    }

    static func since(_ date: String) -> ReportText {
        ReportText("từ \(date)", "since \(date)")
    }

    static func until(_ date: String) -> ReportText {
        ReportText("đến \(date)", "until \(date)")
    }
}

// MARK: The province's and the producer's report (`ocoptrace report`)

extension ReportText {
    static let reportTitle = ReportText("Báo cáo truy xuất nguồn gốc sản phẩm OCOP", "OCOP traceability report")
    static let wholeRegistry = ReportText("Toàn bộ sổ đăng ký", "The whole registry")
    static let producerScope = ReportText("Cơ sở", "Producer")
    static let provinceScope = ReportText("Tỉnh", "Province")

    // Headline figures
    static let producers = ReportText("Chủ thể OCOP", "Producers")
    static let ocopProducts = ReportText("Sản phẩm OCOP", "OCOP products")
    static let productsInRegistry = ReportText("trên tổng số sản phẩm", "of all products")
    static let expiring90 = ReportText("hết hạn công nhận trong 90 ngày", "recognition ending within 90 days")
    static let ocopValidNow = ReportText("còn hiệu lực", "recognition valid")
    static let stampsIssued = ReportText("Tem đã phát hành", "Stamps issued")
    static let inPeriod = ReportText("trong kỳ", "in the period")
    static let stampsScanned = ReportText("Tem được quét", "Stamps scanned")
    static let scansCount = ReportText("lượt quét", "scans")
    static let suspectedCopies = ReportText("Tem nghi bị sao chép", "Suspected copies")
    static let stampsRevoked = ReportText("Tem đã thu hồi", "Stamps revoked")
    static let traceable = ReportText("Sản phẩm đạt tối thiểu truy xuất", "Products meeting the traceability minimum")
    static let traceableLots = ReportText("lô hàng của các sản phẩm này", "lots of those products")
    static let ofLots = ReportText("trên tổng số lô", "of all lots")
    static let marketplaceReady = ReportText("Sản phẩm đăng được lên sàn (sàn nhiều nhất)", "Products ready for a marketplace (the most on one)")

    static func listedAndRefused(_ listed: Int, _ refused: Int) -> ReportText {
        ReportText("\(ReportNumber.integer(listed, .vi)) đăng được, \(ReportNumber.integer(refused, .vi)) bị loại",
                   "\(ReportNumber.integer(listed, .en)) listed, \(ReportNumber.integer(refused, .en)) refused")
    }

    static func stars(_ count: Int) -> ReportText { ReportText("\(count) sao", "\(count) stars") }

    /// Producers of a type, as a headline counts them ("cooperatives"), or one producer's type as
    /// its row says it (`plural: false`, "cooperative").
    static func producerType(_ type: ProducerType?, plural: Bool = true) -> ReportText {
        let (vietnamese, singular, english): (String, String, String) = switch type {
        case .cooperative: ("hợp tác xã", "cooperative", "cooperatives")
        case .company: ("doanh nghiệp", "company", "companies")
        case .cooperativeGroup: ("tổ hợp tác", "cooperative group", "cooperative groups")
        case .household: ("hộ kinh doanh", "household business", "household businesses")
        case nil: plural ? ("chưa rõ loại hình", "", "type not given") : ("–", "–", "–")
        }
        return ReportText(vietnamese, plural ? english : singular)
    }

    static func group(_ group: OCOPGroup?) -> ReportText {
        guard let group else { return ReportText("Chưa ghi nhóm", "No group given") }
        return ReportText("Nhóm \(group.rawValue): \(group.vietnameseName)", "Group \(group.rawValue): \(group.englishName)")
    }

    static func verdict(_ verdict: DailyScans.Verdict) -> ReportText {
        switch verdict {
        case .genuine: ReportText("Chính hãng", "Genuine")
        case .suspectedCopy: ReportText("Nghi sao chép", "Suspected copy")
        case .revoked: ReportText("Đã thu hồi", "Revoked")
        case .notOurs: ReportText("Không phải tem hợp lệ", "Not ours")
        }
    }

    // Sections
    static let stampsSection = ReportText("Tem truy xuất", "Traceability stamps")
    static let scansSection = ReportText("Lượt quét và tem nghi sao chép", "Scans and suspected copies")
    static let marketplacesSection = ReportText("Sẵn sàng lên sàn thương mại điện tử", "Marketplace readiness")
    static let traceabilitySection = ReportText("Tối thiểu truy xuất nguồn gốc", "Traceability minimum")
    static let ocopSection = ReportText("Sản phẩm OCOP", "OCOP products")
    static let areasSection = ReportText("Theo huyện (hoặc xã)", "Per district (or commune)")
    static let producersSection = ReportText("Theo chủ thể", "Per producer")
    static let chainSection = ReportText("Công đoạn sản xuất và vận chuyển", "Production stages and shipments")

    // Charts and tables
    static let stampsPerMonth = ReportText("Tem phát hành theo tháng, theo chủ thể", "Stamps issued per month, by producer")
    static let month = ReportText("Tháng", "Month")
    static let day = ReportText("Ngày (UTC)", "Day (UTC)")
    static let stampsUnit = ReportText("tem", "stamps")
    static let scansUnit = ReportText("lượt", "scans")
    static let productsUnit = ReportText("sản phẩm", "products")
    static let scansPerDay = ReportText("Lượt quét theo ngày, theo kết quả", "Scans per day, by verdict")
    static let scans = ReportText("Lượt quét", "Scans")
    static let readiness = ReportText("Sản phẩm theo kết quả kiểm tra của từng sàn", "Products by each platform's verdict")
    static let platform = ReportText("Sàn", "Platform")
    static let products = ReportText("Sản phẩm", "Products")
    static let listedClean = ReportText("Đăng được", "Listed")
    static let listedWithWarnings = ReportText("Đăng được, có cảnh báo", "Listed with warnings")
    static let refused = ReportText("Bị loại", "Refused")
    static let completeness = ReportText("Tỷ lệ sản phẩm đạt tối thiểu truy xuất, theo chủ thể", "Products meeting the traceability minimum, per producer")
    static let producer = ReportText("Chủ thể", "Producer")
    static let byStars = ReportText("Sản phẩm OCOP theo hạng sao", "OCOP products by star rating")
    static let rating = ReportText("Hạng sao", "Star rating")
    static let byGroup = ReportText("Sản phẩm OCOP theo nhóm", "OCOP products by group")
    static let groupColumn = ReportText("Nhóm", "Group")
    static let mostScannedCopies = ReportText("Tem nghi sao chép được quét nhiều nhất", "Most-scanned suspected copies")
    static let serial = ReportText("Số sê-ri", "Serial")
    static let product = ReportText("Sản phẩm", "Product")
    static let lot = ReportText("Lô", "Lot")
    static let places = ReportText("Địa điểm", "Places")
    static let firstScan = ReportText("Quét lần đầu", "First scan")
    static let lastScan = ReportText("Quét lần cuối", "Last scan")
    static let area = ReportText("Huyện / xã", "District / commune")
    static let province = ReportText("Tỉnh", "Province")
    static let producersColumn = ReportText("Chủ thể", "Producers")
    static let ocopColumn = ReportText("OCOP", "OCOP")
    static let issuedColumn = ReportText("Tem phát hành", "Stamps issued")
    static let issuedInPeriodColumn = ReportText("Phát hành trong kỳ", "Issued in the period")
    static let scansColumn = ReportText("Lượt quét trong kỳ", "Scans in the period")
    static let copiesColumn = ReportText("Nghi sao chép", "Suspected copies")
    static let revokedColumn = ReportText("Đã thu hồi", "Revoked")
    static let traceableColumn = ReportText("Đạt tối thiểu", "Meeting the minimum")
    static let typeColumn = ReportText("Loại hình", "Type")
    static let chainPerMonth = ReportText("Công đoạn sản xuất, thùng đóng gói, lô gửi đi và lô nhận theo tháng",
                                          "Production stages, cartons packed, shipments and receipts per month")
    static let chainEvents = ReportText("Số lượng", "Count")
    static let chainUnit = ReportText("bản ghi", "records")
    static let stagesColumn = ReportText("Công đoạn sản xuất", "Production stages")
    static let cartonsColumn = ReportText("Thùng đóng gói", "Cartons packed")
    static let shipmentsColumn = ReportText("Lô gửi đi", "Shipments")
    static let receiptsColumn = ReportText("Lô đã nhận", "Receipts")
    static let chainTable = ReportText("Nhật ký sản xuất và vận chuyển theo tháng", "Diary and shipments per month")
    static let chainNote = ReportText(
        "Công đoạn tính theo ngày bắt đầu ghi trong nhật ký sản xuất; thùng theo ngày đóng; lô gửi đi và lô nhận theo ngày gửi và ngày nhận (tháng theo giờ UTC như sổ đăng ký lưu).",
        "Stages count by the start date the production diary gives; cartons by the day they were packed; shipments and receipts by the day shipped and received (months in UTC, as the registry stores its times).")
    static let marketplaceTable = ReportText("Kết quả theo sàn (như lệnh export)", "Per platform (as export judges)")

    static func completenessShown(_ shown: String, _ all: String) -> ReportText {
        ReportText("Biểu đồ chỉ vẽ \(shown) chủ thể có tỷ lệ thấp nhất trong \(all); bảng theo chủ thể có đủ.",
                   "The chart draws the \(shown) producers with the lowest share of \(all); the per-producer table has them all.")
    }

    static func copyRule(_ threshold: String) -> ReportText {
        ReportText("Tem nghi sao chép: tem được quét hơn \(threshold) lần hoặc ở hai địa điểm trở lên (như lệnh verify). "
                   + "Lượt quét “nghi sao chép” là lượt quét chính hãng của những tem này; “không phải tem hợp lệ”: tem giả, không có trong sổ, sai định dạng hoặc lô chưa phát hành xong.",
                   "A suspected copy is a stamp scanned more than \(threshold) times or at two places or more (as verify judges). "
                   + "Suspected-copy scans are the genuine verdicts on those stamps; “not ours”: forged, unknown, malformed, or of a batch never completed.")
    }

    static let marketplaceNote = ReportText(
        "Kết quả theo đúng quy tắc của lệnh export: “đăng được” gồm cả sản phẩm có cảnh báo; “bị loại” là sản phẩm sàn sẽ từ chối.",
        "By the same rules as the export command: “listed” includes products listed with warnings; “refused” are products the platform would refuse.")
}
