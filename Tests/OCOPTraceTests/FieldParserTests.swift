import Foundation
import Testing
@testable import OCOPTrace

@Suite struct FieldParserTests {
    @Test(arguments: [
        ("85000", 85000), ("85.000", 85000), ("85,000", 85000), ("85.000 ₫", 85000), ("85.000đ", 85000),
        ("85k", 85000), ("85.5k", 85500), ("1.250.000 VNĐ", 1_250_000), ("85 000", 85000), ("120,000", 120_000),
    ])
    func readsPricesTheWaysVietnameseSheetsWriteThem(_ text: String, _ expected: Int) throws {
        #expect(try FieldParsers.priceVND(text) == expected)
    }

    @Test(arguments: ["85.5", "abc", "0", "-5000", "85.00.0", "1,000.000", "85,5"])
    func rejectsPricesThatAreNotWholeVND(_ text: String) {
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.priceVND(text) }
    }

    @Test func readsStarRatingsAndRejectsUncertifiedOnes() throws {
        #expect(try FieldParsers.stars("4") == 4)
        #expect(try FieldParsers.stars("4 sao") == 4)
        #expect(try FieldParsers.stars("5★") == 5)
        #expect(try FieldParsers.stars("★★★") == 3)
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.stars("2") }
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.stars("bốn") }
    }

    @Test func readsWeightsInGramsAndKilograms() throws {
        #expect(try FieldParsers.weightGrams("500") == 500)
        #expect(try FieldParsers.weightGrams("500 g") == 500)
        #expect(try FieldParsers.weightGrams("1,6 kg") == 1600)
        #expect(try FieldParsers.weightGrams("1.2kg") == 1200)
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.weightGrams("nặng") }
    }

    @Test func readsTaxIDsAndSpotsALostLeadingZero() throws {
        #expect(try FieldParsers.taxID("2801876543") == "2801876543")
        #expect(try FieldParsers.taxID("0101234567-001") == "0101234567-001")
        #expect(try FieldParsers.taxID("038123456789") == "038123456789")
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.taxID("101234567") }
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.taxID("MST-123") }
    }

    @Test func resolvesImagePathsAgainstTheCatalogFolder() throws {
        let folder = URL(fileURLWithPath: "/srv/catalogs")
        let images = try FieldParsers.images("https://a.vn/x.jpg | img/nem.jpg|/abs/b.png", relativeTo: folder)
        #expect(images == ["https://a.vn/x.jpg", "/srv/catalogs/img/nem.jpg", "/abs/b.png"])
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.images("ftp://a.vn/x.jpg", relativeTo: folder) }
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.images("https:///x.jpg", relativeTo: folder) }
    }

    @Test func readsProducerTypesAndGroupsInBothLanguages() {
        #expect(ProducerType(parsing: "HTX") == .cooperative)
        #expect(ProducerType(parsing: "Doanh nghiệp") == .company)
        #expect(ProducerType(parsing: "to hop tac") == .cooperativeGroup)
        #expect(ProducerType(parsing: "Hộ kinh doanh") == .household)
        #expect(ProducerType(parsing: "household") == .household)
        #expect(ProducerType(parsing: "hội") == nil)
        #expect(OCOPGroup(parsing: "3") == .herbal)
        #expect(OCOPGroup(parsing: "Nhóm 4") == .handicrafts)
        #expect(OCOPGroup(parsing: "Dược liệu và sản phẩm từ dược liệu") == .herbal)
        #expect(OCOPGroup(parsing: "Đồ uống") == .drinks)
        #expect(OCOPGroup(parsing: "7") == nil)
    }

    @Test func normalisesTextToNFCAndCollapsesSpaces() {
        let nfd = "Mắm tép".decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count != "Mắm tép".unicodeScalars.count)
        #expect(nfd.nfc.unicodeScalars.elementsEqual("Mắm tép".unicodeScalars))
        #expect("  Nem\u{00A0} chua \t Thanh  Hóa ".collapsingWhitespace == "Nem chua Thanh Hóa")
        #expect("Nem chua".collapsingWhitespace == "Nem chua")
        #expect("Mã_Sản phẩm".matchingKey == "ma san pham")
    }
}
