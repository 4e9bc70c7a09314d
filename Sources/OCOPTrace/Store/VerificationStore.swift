import Foundation

/// What verifying stamps, revoking them, scans, offline packs and the resolver need of the registry.
public protocol VerificationStore: Sendable {
}
