import Foundation

/// What importing catalogs and stamp orders needs of the registry.
public protocol CatalogStore: Sendable {
}
