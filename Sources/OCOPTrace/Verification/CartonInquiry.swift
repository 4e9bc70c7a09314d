import Foundation

/// What a scanned carton QR (or a typed SSCC) answers: the carton's product, lot and count, whether
/// it is still packed, and its shipments, for the carton's page and `verify`.
public struct CartonInquiry: Sendable, Codable, Hashable {
    public struct Shipment: Sendable, Codable, Hashable {
        public var receiver: String
        public var province: String
        public var gln: String?
        /// ISO 8601 UTC.
        public var shippedAt: String?
        public var receivedAt: String?

        enum CodingKeys: String, CodingKey {
            case receiver, province, gln, shippedAt = "shipped_at", receivedAt = "received_at"
        }
    }

    /// `packed`, or `unpacked` once the carton was opened (its stamps may be in other cartons now).
    public enum Status: String, Sendable, Codable {
        case packed, unpacked
    }

    public var sscc: String
    /// As a label prints it: `(00) 0 89387650000000008`.
    public var humanReadable: String
    /// The carton's URL on the resolver its stamps use (what its QR code holds).
    public var url: String
    public var status: Status
    public var productCode: String
    public var productName: String
    public var gtin: String?
    public var lot: String
    public var producer: String
    public var province: String
    public var count: Int
    public var firstSequence: Int
    public var lastSequence: Int
    public var packedAt: String
    public var unpackedAt: String?
    public var shipments: [Shipment]

    enum CodingKeys: String, CodingKey {
        case sscc, url, status, gtin, lot, producer, province, count, shipments
        case humanReadable = "human_readable", productCode = "product_code", productName = "product_name"
        case firstSequence = "first_sequence", lastSequence = "last_sequence", packedAt = "packed_at", unpackedAt = "unpacked_at"
    }

    /// The carton `key` names, with its shipments; nil when the registry has no such carton.
    public static func lookUp(_ key: CartonKey, in store: any CartonStore) async throws -> CartonInquiry? {
        guard let carton = try await store.carton(sscc: key.text) else { return nil }
        let shipments = try await store.shipments(ofCarton: carton.id).map {
            Shipment(receiver: $0.receiver, province: $0.receiverProvince, gln: $0.receiverGLN, shippedAt: $0.shippedAt, receivedAt: $0.receivedAt)
        }
        return CartonInquiry(sscc: carton.sscc, humanReadable: key.humanReadable, url: key.url(resolver: carton.resolver),
                             status: carton.unpackedAt == nil ? .packed : .unpacked, productCode: carton.productCode,
                             productName: carton.productName, gtin: carton.gtin, lot: carton.lotLabel, producer: carton.producer,
                             province: carton.province, count: carton.count, firstSequence: carton.firstSequence,
                             lastSequence: carton.lastSequence, packedAt: carton.packedAt, unpackedAt: carton.unpackedAt, shipments: shipments)
    }

    /// Whether a verify input names a carton rather than a stamp: an SSCC (18 digits, with or
    /// without `(00)`), a carton code, or a URL with `/00/` or `/c/`.
    public static func cartonKey(in input: String) -> CartonKey? {
        let text = input.trimmed
        if text.contains("://") {
            guard text.contains("/00/") || text.contains("/" + CartonKey.localPathName + "/") || text.contains("/sscc/") else { return nil }
        } else {
            let digits = text.filter(\.isASCIIDigit)
            let isCode = (text.first == "C" || text.first == "c") && text.dropFirst().allSatisfy(\.isASCIIDigit)
                && (2...16).contains(text.count)  // a stamp ID has 17 characters
            guard isCode || text.hasPrefix("(00)") || (digits.count == 18 && digits.count == text.filter({ $0 != " " }).count) else { return nil }
        }
        return try? CartonKey(parsing: text)
    }

    /// What `verify --json` prints for an input naming a carton.
    public struct Verdict: Sendable, Codable {
        public var input: String
        /// `carton`, or `unknown` when the registry has no such carton.
        public var verdict: String
        public var carton: CartonInquiry?

        public init(input: String, verdict: String, carton: CartonInquiry?) {
            self.input = input
            self.verdict = verdict
            self.carton = carton
        }
    }

    /// The carton in lines for a terminal, Vietnamese and English.
    public var text: String {
        var lines = [
            "carton (thùng) \(humanReadable): \(status == .packed ? "packed (đã đóng)" : "unpacked (đã mở) \(unpackedAt.map(Timestamp.vietnamese) ?? "")")",
            "  product (sản phẩm): \(productName) [\(productCode)]\(gtin.map { " GTIN \($0)" } ?? "")",
            "  producer (chủ thể): \(producer), \(province)",
            "  lot (lô): \(lot), \(count) stamps (tem), sequences \(firstSequence)–\(lastSequence)",
            "  packed (đóng thùng): \(Timestamp.vietnamese(packedAt))",
        ]
        for shipment in shipments {
            var line = "  shipment (vận chuyển) to \(shipment.receiver), \(shipment.province)"
            if let shipped = shipment.shippedAt { line += ": shipped (gửi) \(Timestamp.vietnamese(shipped))" }
            if let received = shipment.receivedAt { line += ", received (nhận) \(Timestamp.vietnamese(received))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
