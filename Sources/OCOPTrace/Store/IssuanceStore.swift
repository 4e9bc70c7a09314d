import Foundation

/// What issuing stamps, rendering them, label sheets and signing keys need of the registry.
public protocol IssuanceStore: Sendable {
}
