import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of the CSV reader (issue 21): every input is read whole or refused with a
/// `CatalogError` that names the file (and the row, for text that is not UTF-8), whatever the
/// chunk size. Seed and case count: see `Fuzz` (`OCOPTRACE_FUZZ_SEED`, `OCOPTRACE_FUZZ_CASE`).
@Suite("Fuzz: CSV") struct CSVFuzzTests {
    /// The shipped CSV catalogs and stamp orders, and a few edge shapes, as the valid starting points.
    static let examples: [[UInt8]] = {
        let shipped = ["banh-gai-tu-tru.csv", "don-dat-tem-2026-11.csv", "htx-nem-chua-xuan-lap.csv", "mam-tep-hau-loc.csv", "may-tre-dan-hoang-thinh.csv"]
            .compactMap { FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent("catalogs/" + $0).path) }
            .map { [UInt8]($0) }
        let shapes = ["code;name\r\nA;\"x;\"\"y\"\"\r\nz\"\r\n", "a\tb\tc\n1\t2\t3", "\u{FEFF}a,b\n\"unclosed,", "a,b\r", "\"a\"b,c\n", ""]
        return shipped + shapes.map { Array($0.utf8) }
    }()

    static let tokens = ["\"", "\"\"", ",", ";", "\t", "\r\n", "\n", "\r", "\u{FEFF}"].map { Array($0.utf8) }

    struct Outcome: Equatable {
        var rows: [[String]] = []
        var numbers: [Int] = []
        var error: String?
    }

    static func read(_ url: URL, chunkSize: Int) throws(Fuzz.Failure) -> Outcome {
        var outcome = Outcome()
        do {
            try CSVReader(url: url, chunkSize: chunkSize).forEachRow { row, _ in
                outcome.rows.append(row.cells)
                outcome.numbers.append(row.number)
            }
        } catch {
            let refusal = try Fuzz.expectClearError(error, CatalogError.self, naming: [url.path])
            if case .notUTF8(_, let row) = refusal {
                try Fuzz.check(String(describing: refusal).contains(":\(row):"), "a notUTF8 error that names no row")
            }
            outcome.error = String(describing: refusal)
        }
        return outcome
    }

    @Test func readsOrRefusesMutatedCSVTheSameWhateverTheChunkSize() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("fuzz.csv")
        let input = zip(Fuzz.mutated(CSVFuzzTests.examples, tokens: CSVFuzzTests.tokens, hugeUpTo: 300_000), Gen.int(in: 1...4096))
        Fuzz.run(cases: 2_000, input: input, describe: { Fuzz.excerpt($0.0) }) { bytes, chunk in
            try! Data(bytes).write(to: file)
            let whole = try CSVFuzzTests.read(file, chunkSize: 1 << 20)
            // Tiny chunks on a large file cost a rescan of an open quoted field per chunk: keep them for small files.
            let chunked = try CSVFuzzTests.read(file, chunkSize: bytes.count > 8_192 ? chunk * 16 + 4_096 : chunk % 64 + 1)
            try Fuzz.check(whole == chunked, "chunked reading gives other rows: \(Fuzz.excerpt(String(describing: chunked)))")
            try Fuzz.check(whole.numbers == whole.numbers.indices.map { $0 + 1 }, "row numbers are not 1, 2, 3…")
        }
    }

    /// Found by the fuzzer: while the first row was incomplete in the buffer, the reader looked for a
    /// byte-order mark again on each chunk, so small chunks dropped a second one that a large chunk kept.
    @Test func onlyTheFirstByteOrderMarkIsDroppedWhateverTheChunkSize() throws {
        let folder = TemporaryFolder()
        let file = folder.write("boms.csv", "\u{FEFF}\u{FEFF}\u{FEFF}code,name\n1,2\n", byteOrderMark: false)
        for chunk in [1, 2, 3, 4, 7, 1 << 20] {
            let read = try CSVFuzzTests.read(file, chunkSize: chunk)
            #expect(read.rows == [["\u{FEFF}\u{FEFF}code", "name"], ["1", "2"]], "chunk size \(chunk)")
        }
    }

    /// Found by the fuzzer: a quote followed by a combining mark is one Character, and the writer
    /// doubled quotes Character by Character, so that one stayed single and ended its field early.
    @Test func aQuoteBeforeACombiningMarkIsDoubled() throws {
        let folder = TemporaryFolder()
        let cells = ["a\"\u{0302}b, c", "=\"\u{0301}", "x"]
        let file = folder.write("quotes.csv", "code,name,description\n" + cells.map(CSVText.field).joined(separator: ",") + "\n")
        let read = try CSVFuzzTests.read(file, chunkSize: 1 << 20)
        #expect(read.rows.last == ["a\"\u{0302}b, c", "'=\"\u{0301}", "x"])
    }

    /// What the project writes for people (`CSVText.field`, the problems file) reads back as the
    /// same cells; text that looks like a formula comes back with the `'` the writer puts before it.
    @Test func textWrittenAsCSVReadsBackTheSame() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("round-trip.csv")
        let cell = Gen<String>.frequency([
            (8, Fuzz.text(length: 0...24).eraseToAny()),
            (1, Fuzz.text(length: 500...3_000).eraseToAny()),
        ])
        let input = zip(cell.array(of: 3).array(of: 0...12), Gen.bool, Gen.bool)
        Fuzz.run(cases: 1_200, input: input) { rows, crlf, byteOrderMark in
            var text = byteOrderMark ? "\u{FEFF}" : ""
            text += "code,name,description" + (crlf ? "\r\n" : "\n")
            for row in rows { text += row.map(CSVText.field).joined(separator: ",") + (crlf ? "\r\n" : "\n") }
            try! Data(text.utf8).write(to: file)
            let read = try CSVFuzzTests.read(file, chunkSize: 4096)
            let expected = [["code", "name", "description"]] + rows.map { $0.map { CSVText.looksLikeFormula($0) ? "'" + $0 : $0 } }
            try Fuzz.check(read.error == nil, "refused: \(read.error ?? "")")
            try Fuzz.check(read.rows == expected, "read back as \(Fuzz.excerpt(String(describing: read.rows)))")
        }
    }
}
