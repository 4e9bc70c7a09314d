import Foundation

/// What revoking stamps did.
public struct RevocationOutcome: Sendable, Codable, Equatable {
    public var revoked: Int
    public var alreadyRevoked: Int

    enum CodingKeys: String, CodingKey {
        case revoked, alreadyRevoked = "already_revoked"
    }

    /// The job log's counts: stamps named, newly revoked, revoked already.
    var jobCounts: JobCounts {
        JobCounts(rowsRead: revoked + alreadyRevoked, inserted: revoked, unchanged: alreadyRevoked)
    }
}
