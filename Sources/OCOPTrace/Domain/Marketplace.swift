/// Where listings go.
public enum Marketplace: String, CaseIterable, Sendable, Codable {
    case shopee
    case lazada
    case tiki
    case tiktok
    case google
    case jsonld
}
