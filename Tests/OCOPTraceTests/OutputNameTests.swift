import Foundation
import Testing
@testable import OCOPTrace

/// Folder names made from lots and product codes, and the excerpts errors quote values by.
@Suite struct OutputNameTests {
    private func lotFolder(_ lot: String) -> String {
        String(StampIssuer.batchFolder(producer: "HTX Nem chua Xuân Lập", productCode: "MD", lot: lot).split(separator: "/").last!)
    }

    @Test func lotsWhoseSanitisedNamesMeetGetFoldersOfTheirOwn() {
        let lots = ["MD/2611", "MD-2611", "=1+1", "1-1", "NC2611A", "nc2611a", "Nc2611A", "AB.1", "AB-1", "AB_1", "Lo-chay-11", "LO-CHAY-11"]
        let folders = lots.map(lotFolder)
        // Never one folder for two lots, even where upper and lower case are one (macOS, Windows, FAT).
        #expect(Set(folders.map { $0.lowercased() }).count == lots.count, "\(folders)")
        // A lot that sanitising leaves as it is (upper case, digits, `-`) keeps today's name.
        #expect(lotFolder("MD-2611") == "MD-2611")
        #expect(lotFolder("1-1") == "1-1")
        #expect(lotFolder("NC2611A") == "NC2611A")
        // The others stay readable: today's name, then a short hash of the exact lot.
        #expect(lotFolder("MD/2611").hasPrefix("MD-2611_"))
        #expect(lotFolder("=1+1").hasPrefix("1-1_"))
        #expect(lotFolder("nc2611a").hasPrefix("nc2611a_"))
        #expect(lotFolder("MD/2611").count == "MD-2611_".count + 8)
        // Stable: the same lot, the same folder.
        #expect(lotFolder("MD/2611") == lotFolder("MD/2611"))
        #expect(folders.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII && $0 != "/" } })
    }

    @Test func productCodesGetFoldersOfTheirOwnAndProducersKeepTheirSlug() {
        let first = StampIssuer.batchFolder(producer: "Công ty Mắm tép", productCode: "MT/200", lot: "L1")
        let second = StampIssuer.batchFolder(producer: "Công ty Mắm tép", productCode: "MT-200", lot: "L1")
        #expect(first != second)
        #expect(second == "stamps/Cong-ty-Mam-tep/MT-200/L1")
        // Unicode in a code: transliterated, then told apart by the hash.
        let accented = StampIssuer.batchFolder(producer: "HTX", productCode: "MẮM-1", lot: "L1")
        let plain = StampIssuer.batchFolder(producer: "HTX", productCode: "MAM-1", lot: "L1")
        #expect(accented != plain)
        #expect(accented.hasPrefix("stamps/HTX/MAM-1_"))
    }

    @Test func excerptsShortenLongValuesAndEscapeControlCharacters() {
        #expect("85.000,5".quoted == "\"85.000,5\"")
        let long = String(repeating: "ắ", count: 300_000)
        #expect(long.quoted == "\"" + String(repeating: "ắ", count: 60) + "…\" (300000 characters)")
        #expect(long.excerpt == String(repeating: "ắ", count: 60) + "… (300000 characters)")
        #expect("a\nb\u{1B}[2Jc\u{202E}d".quoted == "\"a\\nb\\u{1B}[2Jc\\u{202E}d\"")
        #expect(String(repeating: "x", count: 60).quoted == "\"" + String(repeating: "x", count: 60) + "\"")
    }
}
