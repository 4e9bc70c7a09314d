import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

@Suite struct QRMatrixTests {
    @Test func encodesAURLInTheSmallestSymbol() throws {
        let matrix = try QRMatrix(encoding: "https://id.example.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA")
        #expect(matrix.width == 17 + 4 * matrix.version)
        #expect(matrix.modules.count == matrix.width * matrix.width)
        #expect(matrix.version <= 5)
        // Finder pattern: the top-left 7×7 square has a dark border and a light ring inside it.
        #expect((0..<7).allSatisfy { matrix[0, $0] && matrix[6, $0] && matrix[$0, 0] && matrix[$0, 6] })
        #expect(!matrix[1, 1] && matrix[3, 3])
    }

    @Test func higherCorrectionNeedsAtLeastAsLargeASymbol() throws {
        let text = "https://id.example.vn/p/NC-CHAY/10/Lo-chay-11/21/7K3QM9XW2HPT4RVA"
        let versions = try QRErrorCorrection.allCases.map { try QRMatrix(encoding: text, correction: $0).version }
        #expect(versions == versions.sorted())
    }

    @Test func refusesEmptyNULAndOversizedInput() {
        #expect(throws: QRMatrix.EncodingError.empty) { try QRMatrix(encoding: "") }
        #expect(throws: QRMatrix.EncodingError.containsNUL) { try QRMatrix(encoding: "a\u{0}b") }
        #expect(throws: QRMatrix.EncodingError.tooLong(bytes: 3000)) { try QRMatrix(encoding: String(repeating: "x", count: 3000)) }
        #expect(throws: QRMatrix.EncodingError.self) { try QRMatrix(encoding: String(repeating: "ă", count: 1400), correction: .high) }
    }
}
