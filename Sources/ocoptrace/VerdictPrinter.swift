import ArgumentParser
import Foundation
import OCOPTrace

/// Prints verdicts: a one-line verdict first, then the facts, in Vietnamese or English, coloured
/// only on a terminal; or JSON Lines.
final class VerdictPrinter: @unchecked Sendable {
    // @unchecked: `buffer` is used from the printing thread only; `format` reads constants.
    let language: Language
    let json: Bool
    let colour = isatty(STDOUT_FILENO) == 1
    private var buffer = ""

    init(language: Language, json: Bool) {
        self.language = language
        self.json = json
    }

    func print(_ result: VerificationResult) {
        write(format(result))
    }

    /// Appends already formatted output.
    func write(_ formatted: String) {
        buffer += formatted
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    /// A result as it is printed; safe to call from any thread.
    func format(_ result: VerificationResult) -> String {
        json ? result.jsonLine + "\n" : text(result)
    }

    func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }

    static func packAge(_ pack: OfflinePack) -> String {
        let days = (CalendarDate(parsing: String(pack.created.prefix(10)))?.daysSinceEpoch).map { CalendarDate.today().daysSinceEpoch - $0 } ?? 0
        return "offline pack of \(pack.stampCount) stamps, made \(pack.created) (\(days) day\(days == 1 ? "" : "s") old)"
    }

    private func word(_ english: String, _ vietnamese: String) -> String {
        language == .vi ? vietnamese : english
    }

    private func verdict(_ status: VerificationResult.Status) -> (String, String) {
        let title = status.title(language).uppercased()
        switch status {
        case .genuine: return ("✔ " + title, "32")
        case .revoked, .pending: return ("✘ " + title, "33")
        case .unknown, .forged, .malformed: return ("✘ " + title, "31")
        }
    }

    private func text(_ result: VerificationResult) -> String {
        let (label, code) = verdict(result.status)
        let shownInput = result.stampID ?? String(result.input.prefix(80))
        let summary = result.explanation.text(language)
        var lines = [(colour ? "\u{1B}[1;\(code)m\(label)\u{1B}[0m" : label) + "  \(shownInput) — \(summary)"]
        func add(_ english: String, _ vietnamese: String, _ value: String) {
            lines.append("   " + word(english, vietnamese).padding(toLength: 10, withPad: " ", startingAt: 0) + value)
        }
        if let product = result.product, !product.name.isEmpty || product.gtin != nil {
            add("product", "sản phẩm", [product.name, "(\([product.code, product.gtin.map { "GTIN \($0)" }].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")))"]
                .filter { !$0.isEmpty && $0 != "()" }.joined(separator: " "))
        }
        if let producer = result.producer { add("producer", "chủ thể", "\(producer.name), \(producer.province)") }
        if let lot = result.lot {
            var parts = [lot]
            if let produced = result.producedOn { parts.append(word("produced ", "NSX ") + produced) }
            if let expires = result.expiresOn { parts.append(word("expires ", "HSD ") + expires) }
            add("lot", "lô", parts.joined(separator: " · "))
        }
        if let ocop = result.ocop {
            let stars = String(repeating: "★", count: ocop.stars)
            add("OCOP", "OCOP", ocop.valid ? "\(stars) " + word("valid until ", "còn hiệu lực đến ") + (ocop.validUntil ?? "?")
                : "\(stars) " + word("recognition not valid today", "công nhận đã hết hiệu lực"))
        }
        if let scans = result.scans, scans.count > 0 {
            var text = word("\(scans.count) verification\(scans.count == 1 ? "" : "s")", "\(scans.count) lần kiểm tra")
            if let first = scans.firstAt { text += word(" since ", " từ ") + String(first.prefix(10)) }
            if !scans.locations.isEmpty { text += " · " + scans.locations.joined(separator: ", ") }
            add("scans", "lượt quét", text)
        }
        if result.signature != .unsigned { add("signature", "chữ ký", result.signature.rawValue) }
        // An already-activated PIN is a warning (among the notes below); every other answer is said here.
        if let pin = result.pin, pin.state != .alreadyActivated {
            add("PIN", "mã PIN", pin.state.rawValue + " — " + VerificationReason.pin(pin).text(language))
        }
        if !result.journey.isEmpty {
            lines.append("   " + word("journey", "hành trình"))
            for entry in result.journey {
                let place = [entry.place, entry.commune, entry.province].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
                let details = [entry.at.replacingOccurrences(of: "T", with: " "), entry.stageName(in: language),
                               place.isEmpty ? entry.gln.map { "GLN " + $0 } : place, entry.to.map { word("to ", "đến ") + $0 },
                               entry.standard].compactMap { $0 }
                lines.append("     · " + details.joined(separator: " · "))
            }
        }
        for warning in result.notes.map({ $0.text(language) }) {
            lines.append("   " + (colour ? "\u{1B}[33m⚠ \(warning)\u{1B}[0m" : "⚠ \(warning)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
