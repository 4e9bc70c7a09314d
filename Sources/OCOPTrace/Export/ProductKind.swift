import Foundation

/// A common kind of OCOP product (fish sauce, honey, tea, bamboo and rattan ware, ...), recognised
/// from the product's name by the keywords in `Export/Rules/product-kinds.json`. Category mappings
/// name kinds as well as OCOP groups, so that a tea from the herbal group goes where teas go.
public struct ProductKind: Sendable, Codable, Equatable {
    /// The key used in category mappings: `kind:honey`.
    public var kind: String
    /// The kind in Vietnamese, for product types and reports.
    public var name: String
    /// The OCOP group where products of this kind usually are.
    public var group: Int?
    public var keywords: [String]
}

/// Recognises product kinds in names.
public struct ProductKinds: Sendable {
    public let kinds: [ProductKind]
    private let keywords: KeywordIndex<Int>

    public init(kinds: [ProductKind]) {
        self.kinds = kinds
        keywords = KeywordIndex(kinds.enumerated().flatMap { index, kind in kind.keywords.map { ($0, index) } })
    }

    /// The kinds that ship with ocoptrace.
    public static let shipped: ProductKinds = {
        struct File: Decodable { var kinds: [ProductKind] }
        guard let url = Bundle.module.url(forResource: "product-kinds", withExtension: "json", subdirectory: "Rules"),
              let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(File.self, from: data)
        else { preconditionFailure("Export/Rules/product-kinds.json is missing or not valid: the package is broken") }
        return ProductKinds(kinds: file.kinds)
    }()

    /// The kind whose keyword comes first in the name (a longer keyword wins at the same word).
    public func kind(ofProductNamed name: String) -> ProductKind? {
        keywords.firstMatch(in: name).map { kinds[$0.value] }
    }
}

/// Keywords of one or more whole words, found in a text regardless of case and Unicode form.
struct KeywordIndex<Value: Sendable>: Sendable {
    /// Keywords as word sequences, by their first word, longest first.
    private let byFirstWord: [String: [(words: [String], keyword: String, value: Value)]]

    init(_ entries: [(keyword: String, value: Value)]) {
        var table: [String: [(words: [String], keyword: String, value: Value)]] = [:]
        for entry in entries {
            let words = Self.words(of: entry.keyword)
            guard let first = words.first else { continue }
            table[first, default: []].append((words, entry.keyword, entry.value))
        }
        for key in table.keys { table[key]!.sort { $0.words.count > $1.words.count } }
        byFirstWord = table
    }

    /// The keyword that starts earliest in the text; at the same word, the longest.
    func firstMatch(in text: String) -> (keyword: String, value: Value)? {
        let words = Self.words(of: text)
        for start in words.indices {
            guard let candidates = byFirstWord[words[start]] else { continue }
            for candidate in candidates where words[start...].starts(with: candidate.words) {
                return (candidate.keyword, candidate.value)
            }
        }
        return nil
    }

    /// Lower-case NFC words: letters and digits, split at everything else. Scalar by scalar:
    /// Character's letter test costs more than the rest of an export.
    static func words(of text: String) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in text.nfc.lowercased().unicodeScalars {
            if isWordScalar(scalar) {
                word.append(scalar)
            } else if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (0x30...0x39).contains(scalar.value) || (0x61...0x7A).contains(scalar.value) || (0x41...0x5A).contains(scalar.value)
        }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }
}
