import Foundation

/// What listings, marketplace exports, EPCIS documents and category trees need of the registry.
public protocol ExportStore: Sendable {
}
