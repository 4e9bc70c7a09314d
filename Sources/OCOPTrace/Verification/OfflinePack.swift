import Crypto
import Foundation
import Synchronization

/// A signed, exact list of issued stamps, for inspectors without a network.
///
/// Layout (integers little-endian):
/// ```
/// "OCOPTRACE-PACK\0\u{1}"             16 bytes
/// header length                         u32
/// header                                JSON: created, filters, products, lots (each with its journey), revocations
/// entry count                           u32
/// entries, sorted                       14 bytes each: the serial's 80 bits (10 bytes, big-endian),
///                                       then u32: the lot's index, high bit set for signed stamps
/// key id                                4 bytes ASCII
/// signature                             64 bytes: Ed25519 over every byte before the key id
/// ```
/// Every issued serial is in it whole, so membership is exact: a fabricated serial is never
/// accepted by accident, as it could be by a probabilistic filter. 14 bytes a stamp.
public struct OfflinePack: Sendable {
    static let magic = Array("OCOPTRACE-PACK".utf8) + [0, 1]
    static let entrySize = 14
    static let signedFlag: UInt32 = 0x8000_0000

    struct Header: Codable, Sendable {
        struct Product: Codable, Sendable {
            var code: String
            var name: String
            var gtin: String?
            var producer: String
            var province: String
            var stars: Int?
            var decision: String?
            var recognizedOn: String?

            enum CodingKeys: String, CodingKey {
                case code, name, gtin, producer, province, stars, decision, recognizedOn = "recognized_on"
            }
        }

        struct Lot: Codable, Sendable {
            var product: Int
            var lot: String
            var producedOn: String?
            var expiresOn: String?
            var resolver: String
            /// The lot's journey (its stages …), oldest first; absent in packs made before journeys.
            /// For the stamps of a carton, the lot's and the carton's (its packing, shipments,
            /// partners' events), so that offline the journey is the one online.
            var journey: [Journey.Entry]?
            /// The carton (its SSCC or carton code) the lot record's stamps are in; nil for the
            /// lot's stamps in no carton. A lot has one record per carton beside its own.
            var carton: String?

            enum CodingKeys: String, CodingKey {
                case product, lot, producedOn = "produced_on", expiresOn = "expires_on", resolver, journey, carton
            }
        }

        var created: String
        var producer: String?
        var province: String?
        var products: [Product]
        var lots: [Lot]
        /// Serial → reason.
        var revocations: [String: String]
    }

    let header: Header
    /// The sorted entries, straight from the file.
    let entries: [UInt8]
    public let keyID: String
    /// Each lot as a record whose serial, signature flag and revocation are filled in per stamp:
    /// parsing dates and GTINs once per lot, not once per check.
    let lotRecords: [StampRecord]
    public var created: String { header.created }
    public var stampCount: Int { entries.count / OfflinePack.entrySize }

    /// Why a pack was not loaded: it could not be read, is not a pack, or was refused because its
    /// signature does not verify against the public keys given.
    public struct PackError: Error, Sendable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            case unreadable(String)
            case notAPack
            case badSignature
            case unknownKey(String)
        }

        public var file: String
        public var reason: Reason

        /// Whether the pack was read and then refused for its signature.
        public var isRefused: Bool {
            switch reason {
            case .badSignature, .unknownKey: true
            case .unreadable, .notAPack: false
            }
        }

        public var description: String {
            switch reason {
            case .unreadable(let why): "\(file): cannot read the pack: \(why)"
            case .notAPack: "\(file): not an ocoptrace offline pack (or a damaged one)"
            case .badSignature: "\(file): pack refused: its signature does not verify: it was altered, or the public key is not the registry's"
            case .unknownKey(let keyID): "\(file): pack refused: it is signed with key \(keyID), and no public key given has that id"
            }
        }
    }

    // MARK: - Making a pack

    /// Writes a pack of every issued stamp (optionally one producer's or one province's), signed
    /// with the registry's active key. Returns the number of stamps in it.
    @discardableResult
    public static func write(from store: any VerificationStore & ChainStore, key: SigningKey, to url: URL, producer: String? = nil,
                             province: String? = nil) async throws -> Int {
        let scope = ProducerScope(producer: producer, province: province)
        let contents = Contents()
        try await store.forEachIssuedBatch(where: { scope.includes(producer: $0.producer, province: $0.province) }) { batch, stamps in
            contents.add(batch, stamps)
        }
        var read = contents.taken()
        read.entries.sort { $0.serial < $1.serial }
        // Each lot's journey, so that inspectors offline see where the item has been.
        let productIDs = Dictionary(read.productIndex.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        for index in read.lots.indices {
            guard let productID = productIDs[read.lots[index].product] else { continue }
            let journey = try await Journey.of(productID: productID, lot: read.lots[index].lot, serial: nil, in: store)
            read.lots[index].journey = journey.isEmpty ? nil : journey.entries
        }
        try await addCartons(to: &read, productIDs: productIDs, from: store)
        let (products, lots, revocations, entries) = (read.products, read.lots, read.revocations, read.entries)
        let count = entries.count
        var sorted = [UInt8]()
        sorted.reserveCapacity(count * entrySize)
        for entry in entries {
            sorted.append(contentsOf: OfflinePack.serialBytes(entry.serial))
            withUnsafeBytes(of: entry.lot.littleEndian) { sorted.append(contentsOf: $0) }
        }

        let header = Header(created: Timestamp.now(), producer: producer, province: province, products: products, lots: lots,
                            revocations: revocations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = [UInt8](try encoder.encode(header))
        var body = magic
        withUnsafeBytes(of: UInt32(headerBytes.count).littleEndian) { body.append(contentsOf: $0) }
        body.append(contentsOf: headerBytes)
        withUnsafeBytes(of: UInt32(count).littleEndian) { body.append(contentsOf: $0) }
        body.append(contentsOf: sorted)
        let signature = try key.privateKey.signature(for: Data(body))
        body.append(contentsOf: Array(key.keyID.utf8))
        body.append(contentsOf: [UInt8](signature))
        try Data(body).write(to: url, options: .atomic)
        return count
    }

    /// One lot record per carton (a copy of its lot's, with the carton and the journey its stamps
    /// share: the lot's and the carton's), and each packed stamp's entry pointed at its carton's.
    private static func addCartons(to read: inout Contents.State, productIDs: [Int: Int64],
                                   from store: any VerificationStore & ChainStore) async throws {
        var moved: [(serial: (UInt64, UInt64), lot: UInt32)] = []
        for index in read.lots.indices where index < read.batchIDs.count {
            let members = try await store.cartonMembers(batchID: read.batchIDs[index])
            guard !members.isEmpty, let productID = productIDs[read.lots[index].product] else { continue }
            var start = members.startIndex
            while start < members.endIndex {
                let carton = members[start].cartonID
                let end = members[start...].firstIndex { $0.cartonID != carton } ?? members.endIndex
                let journey = try await Journey.shared(productID: productID, lot: read.lots[index].lot, serial: members[start].serial, in: store)
                var record = read.lots[index]
                record.carton = members[start].sscc
                record.journey = journey.isEmpty ? nil : journey.entries
                let cartonIndex = UInt32(read.lots.count)
                read.lots.append(record)
                for member in members[start..<end] {
                    if let value = serialValue(member.serial) { moved.append((value, cartonIndex)) }
                }
                start = end
            }
        }
        guard !moved.isEmpty else { return }
        // Both sorted by serial: one walk re-points every packed stamp, keeping its signed flag.
        moved.sort { $0.serial < $1.serial }
        var next = moved.startIndex
        for position in read.entries.indices where next < moved.endIndex {
            while next < moved.endIndex, moved[next].serial < read.entries[position].serial { next += 1 }
            guard next < moved.endIndex, moved[next].serial == read.entries[position].serial else { continue }
            read.entries[position].lot = moved[next].lot | (read.entries[position].lot & signedFlag)
            next += 1
        }
    }

    /// What the registry's batches add up to, as they are read.
    private final class Contents: Sendable {
        struct State {
            var products: [Header.Product] = []
            var lots: [Header.Lot] = []
            var revocations: [String: String] = [:]
            var entries: [(serial: (UInt64, UInt64), lot: UInt32)] = []
            var productIndex: [Int64: Int] = [:]
            /// The batch of each lot record, by index.
            var batchIDs: [Int64] = []
        }
        private let state = Mutex(State())

        func add(_ batch: PackBatch, _ stamps: [PackStamp]) {
            state.withLock { state in
                if state.productIndex[batch.productID] == nil {
                    state.productIndex[batch.productID] = state.products.count
                    state.products.append(Header.Product(code: batch.code, name: batch.name, gtin: batch.gtin?.digits, producer: batch.producer,
                                                         province: batch.province, stars: batch.ocopStars, decision: batch.ocopDecision,
                                                         recognizedOn: batch.ocopRecognizedOn))
                }
                let lotIndex = UInt32(state.lots.count)
                state.batchIDs.append(batch.id)
                state.lots.append(Header.Lot(product: state.productIndex[batch.productID] ?? 0, lot: batch.lot, producedOn: batch.producedOn,
                                             expiresOn: batch.expiresOn, resolver: batch.resolver))
                state.entries.reserveCapacity(state.entries.count + stamps.count)
                for stamp in stamps {
                    guard let value = OfflinePack.serialValue(stamp.serial) else { continue }
                    state.entries.append((value, stamp.signed ? lotIndex | OfflinePack.signedFlag : lotIndex))
                    if let reason = stamp.reason { state.revocations[stamp.serial] = reason }
                }
            }
        }

        /// Everything read, leaving nothing behind.
        func taken() -> State {
            state.withLock { state in
                defer { state = State() }
                return state
            }
        }
    }

    // MARK: - Reading a pack

    /// Loads a pack and checks its signature against the given public keys; refuses it otherwise.
    public init(contentsOf url: URL, publicKeys: [PublicStampKey]) throws {
        let data: Data
        let file = url.relativePath
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch { throw PackError(file: file, reason: .unreadable(error.localizedDescription)) }
        let bytes = [UInt8](data)
        let trailer = 4 + 64
        guard bytes.count > OfflinePack.magic.count + 8 + trailer, bytes.starts(with: OfflinePack.magic) else { throw PackError(file: file, reason: .notAPack) }
        let bodyEnd = bytes.count - trailer
        guard let keyID = String(bytes: bytes[bodyEnd..<bodyEnd + 4], encoding: .ascii) else { throw PackError(file: file, reason: .notAPack) }
        let candidates = publicKeys.filter { $0.keyID == keyID }
        guard !candidates.isEmpty else { throw PackError(file: file, reason: .unknownKey(keyID)) }
        let signature = Data(bytes[(bodyEnd + 4)...])
        let body = Data(bytes[..<bodyEnd])
        let verified = candidates.contains { $0.isValid(signature: signature, for: body) }
        guard verified else { throw PackError(file: file, reason: .badSignature) }

        var offset = OfflinePack.magic.count
        func readUInt32() throws -> Int {
            guard offset + 4 <= bodyEnd else { throw PackError(file: file, reason: .notAPack) }
            let value = bytes[offset..<offset + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            offset += 4
            return value
        }
        let headerLength = try readUInt32()
        guard offset + headerLength <= bodyEnd else { throw PackError(file: file, reason: .notAPack) }
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[offset..<offset + headerLength]))
        } catch {
            throw PackError(file: file, reason: .notAPack)
        }
        offset += headerLength
        let count = try readUInt32()
        guard offset + count * OfflinePack.entrySize == bodyEnd else { throw PackError(file: file, reason: .notAPack) }
        entries = Array(bytes[offset..<bodyEnd])
        self.keyID = keyID
        for entry in stride(from: 0, to: entries.count, by: OfflinePack.entrySize) {
            let lot = Int(OfflinePack.lotField(entries, at: entry) & ~OfflinePack.signedFlag)
            guard lot < header.lots.count else { throw PackError(file: file, reason: .notAPack) }
        }
        let productCount = header.products.count
        guard header.lots.allSatisfy({ $0.product < productCount }) else { throw PackError(file: file, reason: .notAPack) }
        lotRecords = OfflinePack.lotRecords(header)
    }

    private static func lotRecords(_ header: Header) -> [StampRecord] {
        let placeholder = Serial(unchecked: String(repeating: "0", count: Serial.length))
        return header.lots.map { lot in
            let product = header.products[lot.product]
            return StampRecord(
                serial: placeholder, product: product.gtin.flatMap { try? GTIN(parsing: $0) }.map(StampURL.ProductKey.gtin) ?? .code(product.code),
                productCode: product.code, productName: product.name, producer: product.producer, province: product.province, lot: lot.lot,
                producedOn: lot.producedOn.flatMap(CalendarDate.init(parsing:)), expiresOn: lot.expiresOn.flatMap(CalendarDate.init(parsing:)),
                resolver: lot.resolver, signed: false, complete: true, revocationReason: nil,
                ocop: OCOPRecognition(storedStars: product.stars, decision: product.decision, recognizedOn: product.recognizedOn))
        }
    }

    static func lotField(_ entries: [UInt8], at offset: Int) -> UInt32 {
        UInt32(entries[offset + 10]) | UInt32(entries[offset + 11]) << 8 | UInt32(entries[offset + 12]) << 16 | UInt32(entries[offset + 13]) << 24
    }

    /// What the pack says about a serial, or nil when it was not issued (within the pack's scope).
    public func record(for serial: Serial) -> StampRecord? {
        lookup(serial)?.record
    }

    func lookup(_ serial: Serial) -> (record: StampRecord, lot: Int)? {
        guard let value = OfflinePack.serialValue(serial.text) else { return nil }
        let key = OfflinePack.serialBytes(value)
        var low = 0
        var high = stampCount
        let found: Int? = entries.withUnsafeBufferPointer { buffer in
            key.withUnsafeBufferPointer { keyBuffer in
                while low < high {
                    let middle = (low + high) / 2
                    let comparison = memcmp(buffer.baseAddress! + middle * OfflinePack.entrySize, keyBuffer.baseAddress!, 10)
                    if comparison == 0 { return middle }
                    if comparison < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
        guard let found else { return nil }
        let field = OfflinePack.lotField(entries, at: found * OfflinePack.entrySize)
        let lot = Int(field & ~OfflinePack.signedFlag)
        var record = lotRecords[lot]
        record.serial = serial
        record.signed = field & OfflinePack.signedFlag != 0
        record.revocationReason = header.revocations.isEmpty ? nil : header.revocations[serial.text]
        return (record, lot)
    }

    /// A serial's 80 bits as (first 16 bits, last 64 bits): tuples compare in serial order.
    static func serialValue(_ serial: String) -> (UInt64, UInt64)? {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in serial.utf8 {
            let value = Serial.values[Int(byte)]
            guard value >= 0, count < Serial.length else { return nil }
            high = (high << 5) | (low >> 59)
            low = (low << 5) | UInt64(value)
            count += 1
        }
        return count == Serial.length ? (high, low) : nil
    }

    /// The 80 bits as 10 bytes, big-endian, so that byte order is serial order.
    static func serialBytes(_ value: (UInt64, UInt64)) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 10)
        bytes[0] = UInt8(truncatingIfNeeded: value.0 >> 8)
        bytes[1] = UInt8(truncatingIfNeeded: value.0)
        for index in 0..<8 { bytes[2 + index] = UInt8(truncatingIfNeeded: value.1 >> (56 - 8 * index)) }
        return bytes
    }
}

/// Verifies without the registry: with an offline pack, or with the public key alone for stamps
/// that carry a signature. Large inputs are split over the cores.
public struct OfflineVerifier: Sendable {
    public let pack: OfflinePack?
    let judge: StampJudge
    /// Each lot's facts, described once.
    let lotFacts: [VerificationResult]

    public init(pack: OfflinePack?, publicKeys: [PublicStampKey], today: CalendarDate = .today()) {
        self.pack = pack
        let judge = StampJudge(publicKeys: publicKeys, today: today, mode: .offline)
        self.judge = judge
        lotFacts = pack.map { pack in
            zip(pack.lotRecords, pack.header.lots).map { record, lot in
                var facts = judge.described(record)
                facts.packCreated = pack.created
                facts.journey = lot.journey ?? []
                return facts
            }
        } ?? []
    }

    public func verify(_ inputs: [String]) -> [VerificationResult] {
        verify(inputs) { $0 }
    }

    /// Verifies and turns each result into what the caller wants (a line of output, say), all on
    /// every core: formatting a result costs about as much as deciding it.
    public func verify<T: Sendable>(_ inputs: [String], then transform: @escaping @Sendable (VerificationResult) -> T) -> [T] {
        mapOnEveryCore(inputs.count, workers: inputs.count >= 256 ? ProcessInfo.processInfo.activeProcessorCount : 1) {
            transform(verifyOne(inputs[$0]))
        }
    }

    func verifyOne(_ text: String) -> VerificationResult {
        let parsed = VerificationInput(text)
        guard let serial = parsed.serial else { return judge.judge(input: text, parsed: parsed, record: nil) }
        var result: VerificationResult
        if let pack {
            let found = pack.lookup(serial)
            result = judge.judge(input: text, parsed: parsed, record: found?.record, facts: found.map { lotFacts[$0.lot] })
            result.packCreated = pack.created
            if result.status == .unknown { result.explanation = .notInPack(created: pack.created) }
            return result
        }
        // No pack: only a valid embedded signature can vouch for the stamp.
        result = judge.judge(input: text, parsed: parsed, record: nil)
        guard case .url(let url) = parsed else {
            result.status = .unknown
            result.explanation = .stampIDNeedsRegistry
            return result
        }
        switch result.signature {
        case .valid:
            result.status = .genuine
            result.explanation = .signatureVerifiesOffline
            result.lot = url.lot
            result.producedOn = url.producedOn?.iso
            result.expiresOn = url.expiresOn?.iso
            result.productExpired = url.expiresOn.map { $0 < judge.today } ?? false
            if case .gtin(let gtin) = url.product { result.product = .init(code: "", name: "", gtin: gtin.digits) } else if case .code(let code) = url.product {
                result.product = .init(code: code, name: "", gtin: nil)
            }
            result.notes.append(.publicKeyOnly)
        case .invalid:
            result.status = .forged
            result.explanation = .signatureInvalid
        case .unchecked:
            result.status = .unknown
            result.explanation = .signatureKeyNotGiven(url.signature!.keyID)
        default:
            result.status = .unknown
            result.explanation = .unsignedOffline
        }
        return result
    }
}
