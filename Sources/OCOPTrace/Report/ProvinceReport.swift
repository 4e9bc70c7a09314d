import Foundation

/// The figures of `ocoptrace report`, for a province, a district's producers or one cooperative:
/// what the page draws and what `--json` prints (snake_case keys). Built by ``ReportJob`` from the
/// store's tallies; days and months are UTC days as the registry stores its timestamps.
public struct ProvinceReport: Sendable, Encodable {
    public struct Scope: Sendable, Encodable {
        public var producer: String?
        public var province: String?
        public var since: CalendarDate?
        public var until: CalendarDate?
        /// The day recognitions are judged on (valid, expiring within 90 days).
        public var today: CalendarDate
        /// More scans than this make a stamp a suspected copy (as `verify --clone-threshold`).
        public var cloneThreshold: Int

        enum CodingKeys: String, CodingKey {
            case producer, province, since, until, today, cloneThreshold = "clone_threshold"
        }
    }

    public struct Producers: Sendable, Encodable {
        public var total: Int
        /// By ``ProducerType`` raw value; `unknown` for producers whose type the catalog does not say.
        public var byType: [String: Int]

        enum CodingKeys: String, CodingKey { case total, byType = "by_type" }
    }

    public struct Products: Sendable, Encodable {
        public var total: Int
        /// With an OCOP star rating (3 to 5), whether or not the recognition is still valid.
        public var ocop: Int
        /// Whose recognition holds today.
        public var ocopValid: Int
        /// Whose recognition ends within the next 90 days (today included).
        public var ocopExpiringWithin90Days: Int
        /// OCOP products by stars (`"3"`, `"4"`, `"5"`) and by group (`"1"` … `"6"`, `"none"`).
        public var byStars: [String: Int]
        public var byGroup: [String: Int]
        /// Products that carry the Vietnamese traceability minimum (``TraceabilityCheck``).
        public var traceabilityComplete: Int
        /// Issued lots, and those of products that carry the minimum.
        public var lots: Int
        public var lotsTraceabilityComplete: Int

        enum CodingKeys: String, CodingKey {
            case total, ocop, ocopValid = "ocop_valid", ocopExpiringWithin90Days = "ocop_expiring_90_days", byStars = "by_stars"
            case byGroup = "by_group", traceabilityComplete = "traceability_complete", lots, lotsTraceabilityComplete = "lots_traceability_complete"
        }
    }

    public struct Stamps: Sendable, Encodable {
        /// Stamps issued, all time and in the period.
        public var issued: Int
        public var issuedInPeriod: Int
        /// Stamps scanned at least once in the period, and the scans.
        public var scanned: Int
        public var scans: Int
        /// Stamps revoked, all time and in the period.
        public var revoked: Int
        public var revokedInPeriod: Int
        /// Stamps scanned in the period that the copy rule flags.
        public var suspectedCopies: Int

        enum CodingKeys: String, CodingKey {
            case issued, issuedInPeriod = "issued_in_period", scanned, scans, revoked, revokedInPeriod = "revoked_in_period"
            case suspectedCopies = "suspected_copies"
        }
    }

    /// Scans of each verdict, keyed by ``DailyScans/Verdict`` raw value.
    public struct VerdictCounts: Sendable, Encodable, Hashable {
        public var genuine = 0
        public var suspectedCopy = 0
        public var revoked = 0
        public var notOurs = 0

        public subscript(_ verdict: DailyScans.Verdict) -> Int {
            get {
                switch verdict {
                case .genuine: genuine
                case .suspectedCopy: suspectedCopy
                case .revoked: revoked
                case .notOurs: notOurs
                }
            }
            set {
                switch verdict {
                case .genuine: genuine = newValue
                case .suspectedCopy: suspectedCopy = newValue
                case .revoked: revoked = newValue
                case .notOurs: notOurs = newValue
                }
            }
        }

        public var total: Int { genuine + suspectedCopy + revoked + notOurs }

        enum CodingKeys: String, CodingKey { case genuine, suspectedCopy = "suspected_copy", revoked, notOurs = "not_ours" }
    }

    public struct ScanDay: Sendable, Encodable {
        public var day: CalendarDate
        public var scans: VerdictCounts
    }

    /// The stamps a producer had issued in one month.
    public struct MonthShare: Sendable, Encodable {
        public var month: String
        public var producer: String
        public var stamps: Int
    }

    /// One platform's readiness, by the rules `export` applies: `listed` counts the products it
    /// would list (`warnings` of them with warnings), `refused` those it would leave out.
    public struct MarketplaceCounts: Sendable, Encodable, Hashable {
        public var listed = 0
        public var warnings = 0
        public var refused = 0
    }

    public struct MarketplaceRow: Sendable, Encodable {
        public var platform: String
        public var listed: Int
        public var warnings: Int
        public var refused: Int
    }

    /// Figures per producer, as the per-producer table shows them.
    public struct ProducerRow: Sendable, Encodable {
        public var name: String
        public var type: ProducerType?
        public var commune: String?
        public var district: String?
        public var province: String
        public var products = 0
        public var ocopProducts = 0
        public var traceabilityComplete = 0
        public var stampsIssued = 0
        public var stampsIssuedInPeriod = 0
        public var scans = 0
        public var stampsScanned = 0
        public var suspectedCopies = 0
        public var revoked = 0
        /// By platform raw value.
        public var marketplaces: [String: MarketplaceCounts] = [:]

        /// The district, or (since districts were abolished in July 2025) the commune.
        public var area: String { district?.trimmed.nonEmpty ?? commune?.trimmed.nonEmpty ?? "–" }

        enum CodingKeys: String, CodingKey {
            case name, type, commune, district, province, products, ocopProducts = "ocop_products", traceabilityComplete = "traceability_complete"
            case stampsIssued = "stamps_issued", stampsIssuedInPeriod = "stamps_issued_in_period", scans, stampsScanned = "stamps_scanned"
            case suspectedCopies = "suspected_copies", revoked, marketplaces
        }
    }

    /// The production chain in the period: the diary's stages, cartons packed, shipments and
    /// receipts, in all and per month.
    public struct Chain: Sendable, Encodable {
        /// One month's records (every month of the period, as for stamps; from the first month with
        /// chain records to the last when the period is open).
        public struct Month: Sendable, Encodable, Hashable {
            public var month: String
            public var stages = 0
            public var cartons = 0
            public var shipments = 0
            public var receipts = 0
        }

        public var stages = 0
        public var cartons = 0
        public var shipments = 0
        public var receipts = 0
        public var byMonth: [Month] = []

        /// Whether the registry holds any chain record in scope and period: without, the page
        /// leaves the section out.
        public var isEmpty: Bool { stages + cartons + shipments + receipts == 0 }

        enum CodingKeys: String, CodingKey { case stages, cartons, shipments, receipts, byMonth = "by_month" }
    }

    /// Figures per district (or commune) of a province.
    public struct AreaRow: Sendable, Encodable {
        public var area: String
        public var province: String
        public var producers = 0
        public var products = 0
        public var ocopProducts = 0
        public var stampsIssued = 0
        public var stampsIssuedInPeriod = 0
        public var scans = 0
        public var suspectedCopies = 0
        public var revoked = 0

        enum CodingKeys: String, CodingKey {
            case area, province, producers, products, ocopProducts = "ocop_products", stampsIssued = "stamps_issued"
            case stampsIssuedInPeriod = "stamps_issued_in_period", scans, suspectedCopies = "suspected_copies", revoked
        }
    }

    public var scope: Scope
    public var producers: Producers
    public var products: Products
    public var stamps: Stamps
    /// Scans in the period by verdict, in all and per day (every day of the period, or from the
    /// first scan to the last when it is open, days without scans included).
    public var scans: VerdictCounts
    public var scansPerDay: [ScanDay]
    /// Every month of the period (as for days), with each producer's stamps that month.
    public var months: [String]
    public var stampsPerMonth: [MonthShare]
    public var perMarketplace: [MarketplaceRow]
    public var perProducer: [ProducerRow]
    public var perArea: [AreaRow]
    public var suspectedCopies: [SuspectedCopy]
    public var chain: Chain

    enum CodingKeys: String, CodingKey {
        case scope, producers, products, stamps, scans, scansPerDay = "scans_per_day", months, stampsPerMonth = "stamps_per_month"
        case perMarketplace = "per_marketplace", perProducer = "per_producer", perArea = "per_area", suspectedCopies = "suspected_copies"
        case chain
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
