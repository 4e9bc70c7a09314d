extension String {
    /// The text with everything but ASCII letters, digits and `-` dropped, for `id` attributes and
    /// `#` links; `fallback` when nothing is left.
    func reportAnchor(fallback: String) -> String {
        let kept = String(unicodeScalars.filter { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" }.map(Character.init))
        return kept.isEmpty ? fallback : kept
    }
}
