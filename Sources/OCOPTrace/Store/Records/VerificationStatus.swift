/// A verdict, as a result gives it and a scan records it.
public enum VerificationStatus: String, Sendable, Codable {
    /// Issued, complete, not revoked, and every field agrees with the record.
    case genuine
    /// Issued, then revoked (a lost or recalled roll); `reason` says why.
    case revoked
    /// Well-formed, but no such serial was issued: fabricated.
    case unknown
    /// A bad signature, a signature stripped or added, or fields that disagree with the record.
    case forged
    /// Not a stamp of ours: wrong syntax, bad check digit or check character, another QR code.
    case malformed
    /// Its batch never completed: not (yet) a valid stamp.
    case pending
}
