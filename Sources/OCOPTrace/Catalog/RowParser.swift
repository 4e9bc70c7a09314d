import Foundation

/// Turns raw rows into drafts, collecting every problem of a row rather than stopping at the first.
struct RowParser: Sendable {
    let file: String
    let header: HeaderMap
    let folder: URL
    let today: CalendarDate

    /// Most stamps in one order line: a province issues about half a million a year.
    static let maximumStampsPerOrder = 1_000_000

    /// One row as a parser reads it: its cells (Unicode-normalised, whitespace collapsed, empty as
    /// nil) and every problem found so far, each naming the file, the row and the column's header.
    private final class RowReader {
        let file: String
        let header: HeaderMap
        let row: RawRow
        var problems: [RowProblem] = []

        init(file: String, header: HeaderMap, row: RawRow) {
            self.file = file
            self.header = header
            self.row = row
        }

        func problem(_ column: CatalogColumn?, _ message: String) {
            problems.append(RowProblem(file: file, row: row.number, column: column.map(header.header(of:)), message: message))
        }

        func text(_ column: CatalogColumn) -> String? {
            let value = header.cell(column, in: row).nfc.collapsingWhitespace
            return value.isEmpty ? nil : value
        }

        /// The cell, or nil and a problem saying the column is required.
        func required(_ column: CatalogColumn) -> String? {
            guard let value = text(column) else {
                problem(column, "\(column.displayName) is required")
                return nil
            }
            return value
        }
    }

    /// Lookups by the text as written: a catalog repeats a few spellings on every row, and
    /// normalising a spelling is the slow part.
    final class Memo: @unchecked Sendable {
        // @unchecked: a RowParser, and so its memo, is used by one thread at a time.
        var producerTypes: [String: ProducerType?] = [:]
        var groups: [String: OCOPGroup?] = [:]
        var identityKeys: [WrittenProducer: String] = [:]
        /// Stage words as written → their matching key and stage (nil: no stage): a diary repeats a
        /// few words on every row, and matching a word (diacritics and all) is the slow part.
        var stageWords: [String: (key: String, stage: ProductionStage?)] = [:]

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
        let reader = RowReader(file: file, header: header, row: row)
        let (problem, text) = (reader.problem, reader.text)
        // A missing required cell reads as empty here: the row fails with its problem anyway.
        func required(_ column: CatalogColumn) -> String { reader.required(column) ?? "" }
        func parse<T>(_ column: CatalogColumn, _ parser: (String) throws(FieldParsers.Invalid) -> T) -> T? {
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
            do { return try GTIN(parsing: text) } catch { throw FieldParsers.Invalid("\(text.quoted): \(error)") }
        }
        let producerType = parse(.producerType) { text throws(FieldParsers.Invalid) in
            let type = memo.producerTypes[text] ?? ProducerType(parsing: text)
            memo.producerTypes[text] = type
            guard let type else {
                throw FieldParsers.Invalid("\(text.quoted) is not a producer type: write cooperative (HTX), company (Doanh nghiệp), cooperative_group (Tổ hợp tác) or household (Hộ kinh doanh)")
            }
            return type
        }
        let taxID = parse(.taxID, FieldParsers.taxID)
        let gln = parse(.gln) { text throws(FieldParsers.Invalid) in
            do { return try GLN(parsing: text) } catch { throw FieldParsers.Invalid("\(text.quoted): \(error)") }
        }
        let companyPrefix = parse(.gs1CompanyPrefix) { text throws(FieldParsers.Invalid) in
            let digits = text.filter { $0 != " " && $0 != "-" }
            guard digits.utf8.allSatisfy({ (48...57).contains($0) }), SSCC.companyPrefixLengths.contains(digits.utf8.count) else {
                throw FieldParsers.Invalid("\(text.quoted) is not a GS1 company prefix: write its 6 to 12 digits")
            }
            return digits
        }
        if let companyPrefix, let gtin, !GS1CompanyPrefix.isPrefix(companyPrefix, ofGTIN: gtin.digits) {
            problem(.gs1CompanyPrefix, "the GS1 company prefix \(companyPrefix) is not the start of the GTIN \(gtin.digits): "
                + "a GTIN begins with its owner's company prefix (after the indicator digit)")
        }
        let cartonSize = parse(.cartonSize) { text throws(FieldParsers.Invalid) in
            do { return try FieldParsers.count(text, allowZero: false) } catch {
                throw FieldParsers.Invalid("\(text.quoted) is not a number of stamps per carton: write a whole number, 1 or more")
            }
        }
        let group = parse(.ocopGroup) { text throws(FieldParsers.Invalid) in
            let group = memo.groups[text] ?? OCOPGroup(parsing: text)
            memo.groups[text] = group
            guard let group else {
                throw FieldParsers.Invalid("\(text.quoted) is not an OCOP group: write 1 to 6 or the group's name (Thực phẩm, Đồ uống, Dược liệu..., Thủ công mỹ nghệ, Sinh vật cảnh, Dịch vụ du lịch...)")
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
        if text(.priceVND) == nil { problem(.priceVND, "\(CatalogColumn.priceVND.displayName) is required") }
        let weight = parse(.weightGrams, FieldParsers.weightGrams)
        let packageSize = parse(.packageSize, FieldParsers.packageSize)
        let shelfLife = parse(.shelfLifeDays, FieldParsers.shelfLifeDays)
        let stock = parse(.stock) { text throws(FieldParsers.Invalid) in
            do { return try FieldParsers.count(text, allowZero: true) } catch {
                throw FieldParsers.Invalid("\(text.quoted) is not a stock count: write a whole number of units, 0 or more")
            }
        }
        let images = parse(.images) { text throws(FieldParsers.Invalid) in try FieldParsers.images(text, relativeTo: folder) } ?? []
        let embedSignature = parse(.embedSignature, FieldParsers.yesNo) ?? false
        let scratchPIN = parse(.scratchPIN, FieldParsers.yesNo) ?? false
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
        guard reader.problems.isEmpty, let price else {
            return ParsedRow(row: row.number, draft: .failure(RowErrors(problems: reader.problems)), uniqueKeys: uniqueKeys)
        }
        return ParsedRow(row: row.number, draft: .success(ProductDraft(
            producer: ProducerDraft(name: producerName, type: producerType, taxID: taxID, commune: text(.commune),
                                    district: text(.district), province: province, gln: gln,
                                    companyPrefix: companyPrefix),
            code: code, name: name, gtin: gtin, ocopGroup: group,
            ocop: stars.map { OCOPRecognition(stars: $0, decision: decision, recognizedOn: recognizedOn) },
            priceVND: price, unit: text(.unit), weightGrams: weight, shelfLifeDays: shelfLife,
            description: description.isEmpty ? nil : description, images: images, stock: stock,
            embedSignature: embedSignature, packageSize: packageSize, cartonSize: cartonSize, scratchPIN: scratchPIN)), uniqueKeys: uniqueKeys)
    }

    func stampOrder(from row: RawRow) -> ParsedRow<StampOrderDraft> {
        let reader = RowReader(file: file, header: header, row: row)
        let (problem, text, required) = (reader.problem, reader.text, reader.required)
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
                problem(.quantity, "\(quantityText.quoted) is not a number of stamps: write a whole number above 0")
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
        guard reader.problems.isEmpty, let code, let lotLabel, let lot, let quantity, let producedOn else {
            return ParsedRow(row: row.number, draft: .failure(RowErrors(problems: reader.problems)), uniqueKeys: uniqueKeys)
        }
        return ParsedRow(row: row.number, draft: .success(StampOrderDraft(productCode: code, producerName: text(.producer), province: text(.province),
                                        lotLabel: lotLabel, lot: lot, quantity: quantity,
                                        producedOn: producedOn, expiresOn: expiresOn)), uniqueKeys: uniqueKeys)
    }

    /// A production-diary row: the lot, the stage (a word of ``ProductionStage``), when it started
    /// and ended, and where (a GLN, checked, or a place and its province).
    func stage(from row: RawRow) -> ParsedRow<ProductionStageDraft> {
        let reader = RowReader(file: file, header: header, row: row)
        let (problem, text, required) = (reader.problem, reader.text, reader.required)
        func limited(_ column: CatalogColumn, _ limit: Int = 255) -> String? {
            guard let value = text(column) else { return nil }
            if value.count > limit { problem(column, "\(column.displayName) has \(value.count) characters; keep it under \(limit)") }
            return value
        }
        func gln(_ column: CatalogColumn, _ value: String) -> GLN? {
            do { return try GLN(parsing: value) } catch { problem(column, "\(value.quoted): \(error)"); return nil }
        }
        let code = required(.productCode)
        let lotLabel = required(.lot)
        var lot: LotNumber?
        if let lotLabel {
            do { lot = try LotNumber(transliterating: lotLabel) } catch { problem(.lot, error.description) }
        }
        let stageWord = required(.stage)
        var stage: ProductionStage?
        var stageKey = ""
        if let stageWord {
            let known = memo.stageWords[stageWord] ?? {
                let key = stageWord.matchingKey
                let entry = (key: key, stage: ProductionStage.index[key])
                memo.stageWords[stageWord] = entry
                return entry
            }()
            stageKey = known.key
            stage = known.stage
            if stage == nil { problem(.stage, ProductionStage.UnknownWord(word: stageWord).description) }
        }
        var startedAt: EventTime?
        if let startText = required(.startedAt) {
            do { startedAt = try FieldParsers.eventTime(startText) } catch { problem(.startedAt, error.message) }
        }
        var finishedAt: EventTime?
        if let finishText = text(.finishedAt) {
            do { finishedAt = try FieldParsers.eventTime(finishText) } catch { problem(.finishedAt, error.message) }
        }
        if let startedAt, startedAt.localDate > today {
            problem(.startedAt, "the stage starts on \(startedAt.localDate.iso), after today: a diary records what was done")
        }
        if let startedAt, let finishedAt, finishedAt < startedAt {
            problem(.finishedAt, "the stage ends (\(finishedAt.eventTime)) before it starts (\(startedAt.eventTime))")
        }
        // The place's GLN: its own column (or a catalog-style GLN column), or a place written as 13 digits.
        var place = limited(.place)
        let glnColumn: CatalogColumn = header.contains(.placeGLN) ? .placeGLN : .gln
        var placeGLN = text(glnColumn).flatMap { gln(glnColumn, $0) }
        if let written = place, written.count == 13, written.allSatisfy(\.isASCIIDigit) {
            if placeGLN == nil { placeGLN = gln(.place, written) }
            place = nil
        }
        let province = limited(.province)
        if province == nil, placeGLN == nil, text(glnColumn) == nil {
            problem(.province, "\(CatalogColumn.province.displayName) is required unless the place has a GLN (\(CatalogColumn.placeGLN.displayName))")
        }
        var uniqueKeys: [UniqueKey] = []
        if let code, let lot, let stageWord, let startedAt {
            let producer = text(.producer).map { memo.identityKey(name: $0, province: "") } ?? ""
            uniqueKeys.append(UniqueKey(kind: .stage, scope: code + "\u{1F}" + producer + "\u{1F}" + lot.code,
                                        value: stageKey + "\u{1F}" + startedAt.utc,
                                        owner: "\(stageWord.quoted) of lot \(lot.code.quoted) of product \(code) starting \(startedAt.eventTime)"))
        }
        let commune = limited(.commune)
        let actor = limited(.actor)
        let standard = limited(.standard)
        let certificate = limited(.certificate)
        let note = limited(.note, 2000)
        guard reader.problems.isEmpty, let code, let lotLabel, let lot, let stageWord, let stage, let startedAt else {
            return ParsedRow(row: row.number, draft: .failure(RowErrors(problems: reader.problems)), uniqueKeys: uniqueKeys)
        }
        return ParsedRow(row: row.number, draft: .success(ProductionStageDraft(
            productCode: code, producerName: text(.producer), lotLabel: lotLabel, lot: lot, stage: stage, stageWord: stageWord, stageKey: stageKey,
            startedAt: startedAt, finishedAt: finishedAt, place: place, placeGLN: placeGLN, commune: commune, province: province,
            actor: actor, standard: standard, certificate: certificate, note: note)), uniqueKeys: uniqueKeys)
    }
}
