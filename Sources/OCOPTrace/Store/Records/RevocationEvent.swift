import Foundation

/// Stamps of one batch revoked together (one time, one job, one reason): one EPCIS
/// decommissioning event.
public struct RevocationEvent: Sendable, Codable, Hashable {
    public var batchID: Int64
    /// ISO 8601 UTC, as stored.
    public var revokedAt: String
    public var jobID: Int64?
    public var reason: String
    /// The lowest and highest sequence of its stamps in the batch (where to look for them).
    public var firstSequence: Int64
    public var lastSequence: Int64

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", revokedAt = "revoked_at", jobID = "job_id", reason
        case firstSequence = "first_sequence", lastSequence = "last_sequence"
    }
}
