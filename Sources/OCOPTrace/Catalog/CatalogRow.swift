import Foundation

/// A producer as one catalog row describes it.
public struct ProducerDraft: Hashable, Sendable {
    public var name: String
    public var type: ProducerType?
    public var taxID: String?
    public var commune: String?
    public var district: String?
    public var province: String
    /// The producer's Global Location Number, for EPCIS read points.
    public var gln: GLN? = nil

    /// Producers are told apart by name and province, ignoring case, spacing and diacritics.
    public var identityKey: String { Self.identityKey(name: name, province: province) }

    static func identityKey(name: String, province: String) -> String {
        name.matchingKey + "\u{1F}" + province.matchingKey
    }
}

/// A validated catalog row: one product of one producer.
public struct ProductDraft: Hashable, Sendable {
    public var producer: ProducerDraft
    public var code: String
    public var name: String
    public var gtin: GTIN?
    public var ocopGroup: OCOPGroup?
    public var ocop: OCOPRecognition?
    public var priceVND: Int
    public var unit: String?
    public var weightGrams: Int?
    public var packageSize: PackageSize?
    public var shelfLifeDays: Int?
    public var description: String?
    public var images: [String]
    public var stock: Int?
    /// Whether this product's stamps carry an embedded signature unless a batch says otherwise.
    public var embedSignature: Bool
    /// A digest of every product field, so that a re-import can tell an unchanged row without
    /// comparing column by column. Computed with the draft, on the parsing thread.
    public private(set) var fingerprint = ""
    /// `images` as the registry's JSON column holds them.
    public private(set) var imagesJSON = "[]"

    init(producer: ProducerDraft, code: String, name: String, gtin: GTIN?, ocopGroup: OCOPGroup?, ocop: OCOPRecognition?,
         priceVND: Int, unit: String?, weightGrams: Int?, shelfLifeDays: Int?, description: String?, images: [String], stock: Int?,
         embedSignature: Bool = false, packageSize: PackageSize? = nil) {
        self.producer = producer
        self.code = code
        self.name = name
        self.gtin = gtin
        self.ocopGroup = ocopGroup
        self.ocop = ocop
        self.priceVND = priceVND
        self.unit = unit
        self.weightGrams = weightGrams
        self.packageSize = packageSize
        self.shelfLifeDays = shelfLifeDays
        self.description = description
        self.images = images
        self.stock = stock
        self.embedSignature = embedSignature
        fingerprint = computeFingerprint()
        imagesJSON = JSONBytes.array(images)
    }

    private func computeFingerprint() -> String {
        let fields: [String] = [
            code, name, gtin?.digits ?? "", ocopGroup.map { String($0.rawValue) } ?? "",
            ocop.map { String($0.stars) } ?? "", ocop?.decision ?? "", ocop?.recognizedOn?.iso ?? "",
            String(priceVND), unit ?? "", weightGrams.map(String.init) ?? "", shelfLifeDays.map(String.init) ?? "",
            description ?? "", images.joined(separator: "|"), stock.map(String.init) ?? "",
        ]
        let signed = embedSignature ? "\u{1F}signed" : ""
        // Added after the first registries were filled: absent, it leaves their fingerprints as they were.
        let size = packageSize.map { "\u{1F}size \($0.lengthCm)x\($0.widthCm)x\($0.heightCm)" } ?? ""
        return Digest.hex(of: fields.joined(separator: "\u{1F}") + signed + size, bytes: 16)
    }
}

/// A validated stamp-order row: how many stamps to issue for one lot of one product.
public struct StampOrderDraft: Hashable, Sendable {
    public var productCode: String
    /// Narrows the product when several producers use the same product code.
    public var producerName: String?
    public var province: String?
    public var lotLabel: String
    public var lot: LotNumber
    public var quantity: Int
    public var producedOn: CalendarDate
    public var expiresOn: CalendarDate?
}

/// Turns raw rows into drafts, collecting every problem of a row rather than stopping at the first.
struct RowParser: Sendable {
    let file: String
    let header: HeaderMap
    let folder: URL
    let today: CalendarDate

    /// Most stamps in one order line: a province issues about half a million a year.
    static let maximumStampsPerOrder = 1_000_000

    private final class Collector {
        var problems: [RowProblem] = []
    }

    /// Lookups by the text as written: a catalog repeats a few spellings on every row, and
    /// normalising a spelling is the slow part.
    final class Memo: @unchecked Sendable {
        // @unchecked: a RowParser, and so its memo, is used by one thread at a time.
        var producerTypes: [String: ProducerType?] = [:]
        var groups: [String: OCOPGroup?] = [:]
        var identityKeys: [WrittenProducer: String] = [:]

        struct WrittenProducer: Hashable {
            var name: String
            var province: String
        }

        func identityKey(name: String, province: String) -> String {
            let written = WrittenProducer(name: name, province: province)
            if let known = identityKeys[written] { return known }
            let key = ProducerDraft.identityKey(name: name, province: province)
            identityKeys[written] = key
            return key
        }
    }
    let memo = Memo()

    func product(from row: RawRow) -> ParsedRow<ProductDraft> {
        let collector = Collector()
        func problem(_ column: Column?, _ message: String) {
            collector.problems.append(RowProblem(file: file, row: row.number, column: column.map(header.header(of:)), message: message))
        }
        func text(_ column: Column) -> String? {
            let value = header.cell(column, in: row).nfc.collapsingWhitespace
            return value.isEmpty ? nil : value
        }
        func required(_ column: Column) -> String {
            guard let value = text(column) else {
                problem(column, "\(column.displayName) is required")
                return ""
            }
            return value
        }
        func parse<T>(_ column: Column, _ parser: (String) throws(FieldParsers.Invalid) -> T) -> T? {
            guard let value = text(column) else { return nil }
            do { return try parser(value) } catch { problem(column, error.message); return nil }
        }

        let code = required(.productCode)
        if code.count > 64 { problem(.productCode, "the product code has \(code.count) characters; keep it under 64") }
        let name = required(.name)
        if name.count > 255 { problem(.name, "the product name has \(name.count) characters; keep it under 255") }
        let producerName = required(.producer)
        let province = required(.province)
        let gtin = parse(.gtin) { text throws(FieldParsers.Invalid) in
            do { return try GTIN(parsing: text) } catch { throw FieldParsers.Invalid("\"\(text)\": \(error)") }
        }
        let producerType = parse(.producerType) { text throws(FieldParsers.Invalid) in
            let type = memo.producerTypes[text] ?? ProducerType(parsing: text)
            memo.producerTypes[text] = type
            guard let type else {
                throw FieldParsers.Invalid("\"\(text)\" is not a producer type: write cooperative (HTX), company (Doanh nghiệp), cooperative_group (Tổ hợp tác) or household (Hộ kinh doanh)")
            }
            return type
        }
        let taxID = parse(.taxID, FieldParsers.taxID)
        let gln = parse(.gln) { text throws(FieldParsers.Invalid) in
            do { return try GLN(parsing: text) } catch { throw FieldParsers.Invalid("\"\(text)\": \(error)") }
        }
        let group = parse(.ocopGroup) { text throws(FieldParsers.Invalid) in
            let group = memo.groups[text] ?? OCOPGroup(parsing: text)
            memo.groups[text] = group
            guard let group else {
                throw FieldParsers.Invalid("\"\(text)\" is not an OCOP group: write 1 to 6 or the group's name (Thực phẩm, Đồ uống, Dược liệu..., Thủ công mỹ nghệ, Sinh vật cảnh, Dịch vụ du lịch...)")
            }
            return group
        }
        let stars = parse(.ocopStars, FieldParsers.stars)
        let decision = text(.ocopDecision)
        let recognizedOn = parse(.ocopRecognizedOn, FieldParsers.date)
        if let recognizedOn, recognizedOn > today {
            problem(.ocopRecognizedOn, "the recognition date \(recognizedOn.iso) is in the future")
        }
        if stars == nil, text(.ocopStars) == nil, decision != nil || recognizedOn != nil {
            problem(.ocopStars, "a recognition decision or date is given but no star rating: add 3, 4 or 5 stars, or clear the recognition")
        }
        let price = parse(.priceVND, FieldParsers.priceVND)
        if text(.priceVND) == nil { problem(.priceVND, "\(Column.priceVND.displayName) is required") }
        let weight = parse(.weightGrams, FieldParsers.weightGrams)
        let packageSize = parse(.packageSize, FieldParsers.packageSize)
        let shelfLife = parse(.shelfLifeDays, FieldParsers.shelfLifeDays)
        let stock = parse(.stock) { text throws(FieldParsers.Invalid) in
            do { return try FieldParsers.count(text, allowZero: true) } catch {
                throw FieldParsers.Invalid("\"\(text)\" is not a stock count: write a whole number of units, 0 or more")
            }
        }
        let images = parse(.images) { text throws(FieldParsers.Invalid) in try FieldParsers.images(text, relativeTo: folder) } ?? []
        let embedSignature = parse(.embedSignature, FieldParsers.yesNo) ?? false
        var description = header.cell(.description, in: row).nfc
        if description.utf8.contains(0x0D) {
            description = description.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        description = description.trimmed

        var uniqueKeys: [UniqueKey] = []
        if !code.isEmpty, !producerName.isEmpty, !province.isEmpty {
            uniqueKeys.append(UniqueKey(kind: .productCode, scope: memo.identityKey(name: producerName, province: province),
                                        value: code, owner: producerName))
        }
        if let gtin { uniqueKeys.append(UniqueKey(kind: .gtin, scope: "", value: gtin.digits)) }
        guard collector.problems.isEmpty, let price else {
            return ParsedRow(row: row.number, draft: .failure(RowErrors(problems: collector.problems)), uniqueKeys: uniqueKeys)
        }
        return ParsedRow(row: row.number, draft: .success(ProductDraft(
            producer: ProducerDraft(name: producerName, type: producerType, taxID: taxID, commune: text(.commune),
                                    district: text(.district), province: province, gln: gln),
            code: code, name: name, gtin: gtin, ocopGroup: group,
            ocop: stars.map { OCOPRecognition(stars: $0, decision: decision, recognizedOn: recognizedOn) },
            priceVND: price, unit: text(.unit), weightGrams: weight, shelfLifeDays: shelfLife,
            description: description.isEmpty ? nil : description, images: images, stock: stock,
            embedSignature: embedSignature, packageSize: packageSize)), uniqueKeys: uniqueKeys)
    }

    func stampOrder(from row: RawRow) -> ParsedRow<StampOrderDraft> {
        let collector = Collector()
        func problem(_ column: Column?, _ message: String) {
            collector.problems.append(RowProblem(file: file, row: row.number, column: column.map(header.header(of:)), message: message))
        }
        func text(_ column: Column) -> String? {
            let value = header.cell(column, in: row).nfc.collapsingWhitespace
            return value.isEmpty ? nil : value
        }
        func required(_ column: Column) -> String? {
            guard let value = text(column) else {
                problem(column, "\(column.displayName) is required")
                return nil
            }
            return value
        }
        let code = required(.productCode)
        let lotLabel = required(.lot)
        var lot: LotNumber?
        if let lotLabel {
            do { lot = try LotNumber(transliterating: lotLabel) } catch { problem(.lot, error.description) }
        }
        var quantity: Int?
        if let quantityText = required(.quantity) {
            do {
                let value = try FieldParsers.count(quantityText, unitWords: ["tem", "stamps"], allowZero: false)
                if value > RowParser.maximumStampsPerOrder {
                    problem(.quantity, "\(value) stamps in one order line is more than \(RowParser.maximumStampsPerOrder); split the lot")
                } else {
                    quantity = value
                }
            } catch {
                problem(.quantity, "\"\(quantityText)\" is not a number of stamps: write a whole number above 0")
            }
        }
        var producedOn: CalendarDate?
        if let producedText = required(.producedOn) {
            do { producedOn = try FieldParsers.date(producedText) } catch { problem(.producedOn, error.message) }
        }
        var expiresOn: CalendarDate?
        if let expiresText = text(.expiresOn) {
            do { expiresOn = try FieldParsers.date(expiresText) } catch { problem(.expiresOn, error.message) }
        }
        if let producedOn, let expiresOn, expiresOn < producedOn {
            problem(.expiresOn, "the expiry date \(expiresOn.iso) is before the production date \(producedOn.iso)")
        }
        var uniqueKeys: [UniqueKey] = []
        if let code, let lot {
            // The producer narrows the product only when the file names one.
            let producer = text(.producer).map { memo.identityKey(name: $0, province: text(.province) ?? "") } ?? ""
            uniqueKeys.append(UniqueKey(kind: .lot, scope: code + "\u{1F}" + producer, value: lot.code, owner: code))
        }
        guard collector.problems.isEmpty, let code, let lotLabel, let lot, let quantity, let producedOn else {
            return ParsedRow(row: row.number, draft: .failure(RowErrors(problems: collector.problems)), uniqueKeys: uniqueKeys)
        }
        return ParsedRow(row: row.number, draft: .success(StampOrderDraft(productCode: code, producerName: text(.producer), province: text(.province),
                                        lotLabel: lotLabel, lot: lot, quantity: quantity,
                                        producedOn: producedOn, expiresOn: expiresOn)), uniqueKeys: uniqueKeys)
    }
}

/// Every problem found in one row.
struct RowErrors: Error {
    var problems: [RowProblem]

    /// The row's outcome: its problems as a failure, any other error (the registry's) thrown on.
    static func catching<T>(_ body: () throws -> T) throws -> Result<T, RowErrors> {
        do {
            return .success(try body())
        } catch let errors as RowErrors {
            return .failure(errors)
        }
    }
}
