import Foundation

/// Why a shipment or receipt cannot be recorded, in Vietnamese and English.
public enum ShipmentError: Error, Sendable, CustomStringConvertible {
    case cartonUnpacked(String)
    case badTime(String)
    case badGLN(String)
    case emptyReceiver
    case countTooLarge(count: Int, lot: String, stamps: Int)
    case badCount(Int)

    public var description: String {
        switch self {
        case .cartonUnpacked(let sscc):
            "carton \(sscc) was unpacked: its stamps are in no carton now; ship the lot or the new cartons "
                + "(thùng \(sscc) đã được mở)"
        case .badTime(let reason): reason
        case .badGLN(let reason): "--to-gln: \(reason)"
        case .emptyReceiver: "the receiver needs a name and a province (--to, --to-province) (cần tên và tỉnh của bên nhận)"
        case .countTooLarge(let count, let lot, let stamps):
            "lot \(lot) has \(stamps) unrevoked stamps, not \(count) (lô \(lot) chỉ có \(stamps) tem)"
        case .badCount(let count): "--count \(count): ship 1 or more stamps (số lượng phải từ 1 trở lên)"
        }
    }
}

/// Records shipments from the producer to a receiver (a distributor, đại lý, shop), and their
/// receipt: of cartons, by SSCC, or of a lot's stamps without cartons.
///
/// ```swift
/// let recorder = ShipmentRecorder(store: store)
/// try await recorder.record(.shipped, what: .cartons(["089387650000000008"]),
///                           party: PartyDraft(name: "Cửa hàng OCOP Thanh Hóa", province: "Thanh Hóa"), at: nil)
/// ```
public struct ShipmentRecorder: Sendable {
    public let store: any RegistryStore

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Which end of the shipment is recorded.
    public enum Step: String, Sendable, Codable {
        case shipped, received
    }

    /// What goes.
    public enum Goods: Sendable, Hashable {
        /// Cartons by SSCC, carton code or URL.
        case cartons([String])
        /// A lot's stamps without cartons: all of them, or a count.
        case lot(productCode: String, lot: String, count: Int?)
    }

    /// What one command recorded.
    public struct Report: Sendable, Codable {
        public var step: Step
        public var cartons: Int
        public var receiver: String
        public var province: String
        /// ISO 8601 UTC.
        public var at: String
        public var recording: ShipmentRecording
    }

    /// Records that `goods` were shipped to (or received by) `party` at `time` (now when nil).
    ///
    /// - Throws: ``ShipmentError``, ``CartonError`` for a carton that is not in the registry,
    ///   ``IssueError`` for an unknown product or lot. Nothing is recorded then.
    public func record(_ step: Step, goods: Goods, party: PartyDraft, at time: EventTime?, now: Date = Date()) async throws -> Report {
        guard !party.name.trimmed.isEmpty, !party.province.trimmed.isEmpty else { throw ShipmentError.emptyReceiver }
        let at = time?.utc ?? Timestamp.string(now)
        var entries: [ShipmentEntry] = []
        switch goods {
        case .cartons(let keys):
            for text in keys {
                let key = try CartonPacker.cartonKey(text)
                guard let carton = try await store.carton(sscc: key.text) else { throw CartonError.noSuchCarton(key.text) }
                guard carton.unpackedAt == nil else { throw ShipmentError.cartonUnpacked(carton.sscc) }
                entries.append(entry(step, cartonID: carton.id, batchID: carton.batchID, count: nil, party: party, at: at))
            }
        case .lot(let productCode, let lot, let count):
            let batch = try await store.issuedBatch(lot: lot, productCode: productCode)
            if let count {
                guard count >= 1 else { throw ShipmentError.badCount(count) }
                guard count <= batch.quantity else { throw ShipmentError.countTooLarge(count: count, lot: batch.lotLabel, stamps: batch.quantity) }
            }
            entries.append(entry(step, cartonID: nil, batchID: batch.id, count: count, party: party, at: at))
        }
        let recording = try await store.recordShipments(entries, job: JobStart(kind: step == .shipped ? "ship" : "receive"))
        return Report(step: step, cartons: entries.filter { $0.cartonID != nil }.count, receiver: party.name, province: party.province,
                      at: at, recording: recording)
    }

    private func entry(_ step: Step, cartonID: Int64?, batchID: Int64, count: Int?, party: PartyDraft, at: String) -> ShipmentEntry {
        ShipmentEntry(cartonID: cartonID, batchID: batchID, count: count, receiver: party,
                      shippedAt: step == .shipped ? at : nil, receivedAt: step == .received ? at : nil)
    }

    /// A time typed on the command line (`--at`), or the error naming the option.
    public static func time(_ text: String) throws -> EventTime {
        do {
            return try FieldParsers.eventTime(text)
        } catch {
            throw ShipmentError.badTime("--at: \(error.message)")
        }
    }

    /// A receiver typed on the command line, its GLN checked.
    public static func party(name: String, province: String, gln: String?) throws -> PartyDraft {
        var parsed: GLN?
        if let gln, !gln.trimmed.isEmpty {
            do { parsed = try GLN(parsing: gln) } catch { throw ShipmentError.badGLN("\(gln.quoted): \(error)") }
        }
        return PartyDraft(name: name.trimmed, province: province.trimmed, gln: parsed)
    }
}
