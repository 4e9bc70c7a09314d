/// Titles and descriptions within a platform's limits, cut only between words: a Vietnamese
/// syllable is a word, so it is never cut in half either.
enum ListingText {
    /// `words` joined by spaces, as many as fit in `maximum` characters.
    static func fit(_ text: String, maximum: Int) -> String {
        if !text.exceeds(characters: maximum) { return text }
        var result = ""
        for word in text.split(separator: " ") {
            let candidate = result.isEmpty ? String(word) : result + " " + word
            if candidate.count > maximum { break }
            result = candidate
        }
        // Trailing separators left by the cut ("Nem chua -") read badly.
        while let last = result.last, "-–,;:·|/".contains(last) || last == " " { result.removeLast() }
        return result
    }

    /// The package, when the name does not already say it, in any order ("hũ thủy tinh 200g" has "hũ 200g").
    static func packageWorthAdding(_ unit: String?, toName name: String) -> String? {
        guard let unit else { return nil }
        return Set(KeywordIndex<Int>.words(of: unit)).isSubset(of: KeywordIndex<Int>.words(of: name)) ? nil : unit
    }

    /// A title from the product name, with the package (see `packageWorthAdding`) and the OCOP
    /// rating when they fit, made longer with the producer and province when the platform wants more.
    static func title(name: String, unit: String?, stars: Int?, producer: String, province: String, minimum: Int, maximum: Int) -> String {
        var parts = [name]
        if let unit { parts.append(unit) }
        if let stars { parts.append("OCOP \(stars) sao") }
        var title = ""
        for part in parts {
            let candidate = title.isEmpty ? part : title + " - " + part
            if candidate.count <= maximum { title = candidate } else if title.isEmpty { title = fit(part, maximum: maximum) }
        }
        for extra in [producer, province] where title.count < minimum {
            let candidate = title + " - " + extra
            title = candidate.count <= maximum ? candidate : fit(candidate, maximum: maximum)
        }
        return title
    }

    /// The description body shortened between words so that body and footer fit `maximum`.
    static func description(body: String, footer: [String], maximum: Int) -> String {
        let footerText = footer.joined(separator: "\n")
        let joinedBytes = body.utf8.count + (body.isEmpty ? 0 : 2) + footerText.utf8.count
        if joinedBytes <= maximum { return body.isEmpty ? footerText : body + "\n\n" + footerText }
        let room = maximum - footerText.count - (body.isEmpty ? 0 : 2)
        var text = body
        if text.exceeds(characters: room) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var kept: [String] = []
            var used = 0
            for line in lines {
                let cost = line.count + (kept.isEmpty ? 0 : 1)
                if used + cost <= room - 1 { kept.append(line); used += cost; continue }
                let rest = fit(line, maximum: max(0, room - 1 - used - (kept.isEmpty ? 0 : 1)))
                if !rest.isEmpty { kept.append(rest) }
                break
            }
            text = kept.joined(separator: "\n") + "…"
        }
        let joined = text.isEmpty ? footerText : text + "\n\n" + footerText
        return joined.exceeds(characters: maximum) ? fit(joined, maximum: maximum) : joined
    }
}
