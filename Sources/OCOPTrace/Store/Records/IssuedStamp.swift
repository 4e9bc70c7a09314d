import Foundation

/// One stamp of a batch.
public struct IssuedStamp: Sendable, Decodable {
    public var sequence: Int
    public var serial: Serial
    public var signature: EmbeddedSignature?

    public var stampID: StampID { StampID(serial: serial) }

    init(sequence: Int, serial: Serial, signature: EmbeddedSignature?) {
        self.sequence = sequence
        self.serial = serial
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case sequence, serial, signature
    }

    /// From the stored columns: the serial and signature as the registry wrote them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sequence: try container.decode(Int.self, forKey: .sequence),
                  serial: Serial(unchecked: try container.decode(String.self, forKey: .serial)),
                  signature: try container.decodeIfPresent(String.self, forKey: .signature).flatMap(EmbeddedSignature.init(text:)))
    }
}
