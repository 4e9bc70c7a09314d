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
    /// The producer's GS1 company prefix, which its SSCCs (carton IDs) are built under.
    public var companyPrefix: String? = nil

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
    /// Stamps per carton when the lot is packed (`carton_size`).
    public var cartonSize: Int?
    /// Whether this product's stamps carry a scratch-off PIN unless a batch says otherwise.
    public var scratchPIN: Bool
    /// A digest of every product field, so that a re-import can tell an unchanged row without
    /// comparing column by column. Computed with the draft, on the parsing thread.
    public private(set) var fingerprint = ""
    /// `images` as the registry's JSON column holds them.
    public private(set) var imagesJSON = "[]"

    init(producer: ProducerDraft, code: String, name: String, gtin: GTIN?, ocopGroup: OCOPGroup?, ocop: OCOPRecognition?,
         priceVND: Int, unit: String?, weightGrams: Int?, shelfLifeDays: Int?, description: String?, images: [String], stock: Int?,
         embedSignature: Bool = false, packageSize: PackageSize? = nil, cartonSize: Int? = nil, scratchPIN: Bool = false) {
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
        self.cartonSize = cartonSize
        self.scratchPIN = scratchPIN
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
        let carton = cartonSize.map { "\u{1F}carton \($0)" } ?? ""
        // Likewise: a product without a PIN keeps the fingerprint it had before PINs existed.
        let pin = scratchPIN ? "\u{1F}pin" : ""
        return Digest.hex(of: fields.joined(separator: "\u{1F}") + signed + size + carton + pin, bytes: 16)
    }
}
