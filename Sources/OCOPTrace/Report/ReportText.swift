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
