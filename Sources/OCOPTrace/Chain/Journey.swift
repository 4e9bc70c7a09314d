import Foundation

/// Where a stamped item has been, oldest first: its lot's production stages and, as the chain
/// grows, its carton's shipments and receipts and the events partners recorded about it. What the
/// verification page shows as "Hành trình sản phẩm / Product journey", `verify --json` writes as
/// `journey`, and offline packs carry for each lot.
///
/// Entries are made from the registry's ``JourneyEntry`` records, whichever table they come from
/// (``ChainStore/journey(productID:lot:serial:)`` is the one place that gathers them), so a new
/// kind of event needs a new source there and nothing here.
public struct Journey: Sendable, Hashable, Codable {
    /// One step of the journey, in both languages, with where and when it happened.
    public struct Entry: Sendable, Hashable, Codable {
        /// A stable code: the ``ProductionStage`` raw value for a stage (`harvesting`), else the
        /// source's (`shipping`, `receiving`, `packing`, or the bizStep word of a partner's event).
        public var stage: String
        /// The stage's name on Vietnamese and English pages.
        public var stageVietnamese: String
        public var stageEnglish: String
        /// The event's `bizStep` (a bare CBV word or a URI).
        public var bizStep: String
        public var place: String?
        public var commune: String?
        public var province: String?
        public var gln: String?
        /// Sender and receiver, for a shipment or a receipt.
        public var from: String?
        public var to: String?
        /// When: `2026-11-19T06:30:00+07:00`, or the date alone (`2026-11-10`) when the diary gave no time.
        public var at: String
        public var actor: String?
        public var standard: String?
        public var certificate: String?

        enum CodingKeys: String, CodingKey {
            case stage, stageVietnamese = "stage_vi", stageEnglish = "stage_en", bizStep = "biz_step", place, commune, province, gln
            case from, to, at, actor, standard, certificate
        }

        public func encode(to encoder: any Encoder) throws {
            // Absent facts are written as null, as in the rest of `verify --json`.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(stage, forKey: .stage)
            try container.encode(stageVietnamese, forKey: .stageVietnamese)
            try container.encode(stageEnglish, forKey: .stageEnglish)
            try container.encode(bizStep, forKey: .bizStep)
            try container.encode(place, forKey: .place)
            try container.encode(commune, forKey: .commune)
            try container.encode(province, forKey: .province)
            try container.encode(gln, forKey: .gln)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(at, forKey: .at)
            try container.encode(actor, forKey: .actor)
            try container.encode(standard, forKey: .standard)
            try container.encode(certificate, forKey: .certificate)
        }

        /// A partner's step as a code: the bare CBV word (`retail_selling`), else the URI.
        static func code(ofStep bizStep: String) -> String {
            guard let step = BusinessStep(epcisValue: bizStep) else { return bizStep }
            if case .cbv(let word) = step { return word }
            return step.epcisValue
        }

        /// The stage's name in a page's language.
        public func stageName(in language: Language) -> String { language == .vi ? stageVietnamese : stageEnglish }

        /// The time as read back (its date alone when no time was given).
        public var time: EventTime? { EventTime(parsing: at) }

        public init(_ record: JourneyEntry) {
            let known = record.stage.flatMap(ProductionStage.init(rawValue:))
                ?? ProductionStage.allCases.first { $0.businessStep.epcisValue == record.bizStep }
            let names: (String, String) = switch record.source {
            case .packing: ("Đóng thùng", "Packed into a carton")
            case .unpacking: ("Mở thùng", "Taken out of its carton")
            case .shipping: ("Xuất hàng", "Shipped")
            case .receiving: ("Nhận hàng", "Received")
            case .stage: known.map { ($0.vietnameseName, $0.englishName) } ?? (record.stageWord ?? record.bizStep, record.stageWord ?? record.bizStep)
            case .partner:
                BusinessStep(epcisValue: record.bizStep)?.names.map { ($0.vietnamese, $0.english) }
                    ?? (record.bizStep.isEmpty ? ("Sự kiện của đối tác", "Partner event") : (record.bizStep, record.bizStep))
            }
            switch record.source {
            case .stage: stage = known?.rawValue ?? record.stage ?? record.bizStep
            case .partner: stage = Entry.code(ofStep: record.bizStep)
            case .packing, .unpacking, .shipping, .receiving: stage = record.source.rawValue
            }
            stageVietnamese = names.0
            stageEnglish = names.1
            bizStep = record.bizStep
            place = record.place
            commune = record.commune
            province = record.province
            gln = record.gln
            from = record.from
            to = record.to
            let time = record.time
            at = time.hasTime ? time.eventTime : time.localDate.iso
            actor = record.actor
            standard = record.standard
            certificate = record.certificate
        }
    }

    /// Oldest first.
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public init(records: [JourneyEntry]) {
        entries = records.sortedByTime().map(Entry.init)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The journey of a stamp of lot `lot` of the product with row id `productID`, from the
    /// registry: the lot's and its carton's (``ChainStore/journey(productID:lot:serial:)``) and,
    /// when `serial` is given, the stamp's own (``ChainStore/stampJourney(serial:)``).
    public static func of(productID: Int64, lot: String, serial: String?, in store: any ChainStore) async throws -> Journey {
        var records = try await store.journey(productID: productID, lot: lot, serial: serial)
        if let serial { records += try await store.stampJourney(serial: serial) }
        return Journey(records: records)
    }

    /// The part of a stamp's journey that all its lot's stamps (or, for a packed stamp, all its
    /// carton's) share: what pages and `verify` cache per lot or carton. `serial` names any stamp
    /// of the carton; nil for a stamp in none.
    public static func shared(productID: Int64, lot: String, serial: String?, in store: any ChainStore) async throws -> Journey {
        Journey(records: try await store.journey(productID: productID, lot: lot, serial: serial))
    }

    /// The journey the stamps of a lot or a carton share (cached by pages and `verify`), with the
    /// part that is one stamp's own (the partners' events about it, the cartons it left) (``ChainStore/stampJourney(serial:)``)
    /// put in their places by time.
    public func adding(_ own: [JourneyEntry]) -> Journey {
        guard !own.isEmpty else { return self }
        let added = own.map(Entry.init)
        let merged = (entries.map { ($0, 0) } + added.map { ($0, 1) }).enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element.0.time, rhs.element.0.time)
            if let left, let right, left != right { return left < right }
            return lhs.offset < rhs.offset
        }
        return Journey(entries: merged.map(\.element.0))
    }
}
