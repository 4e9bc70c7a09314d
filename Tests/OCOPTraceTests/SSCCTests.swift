import Foundation
import Testing
@testable import OCOPTrace

@Suite struct SSCCTests {
    /// The reference's SSCCs (traceability-chain.md §4): bwipp's SSCC-18, the EPCIS test resources' and ours.
    @Test(arguments: ["095287654321012346", "040123450000003338", "140123451122233341", "089387650000001234"])
    func acceptsTheReferenceExamples(_ digits: String) throws {
        #expect(try SSCC(parsing: digits).digits == digits)
    }

    @Test func buildsFromExtensionDigitCompanyPrefixAndSerialReference() throws {
        #expect(try SSCC(extensionDigit: 0, companyPrefix: "8938765", serialReference: 123).digits == "089387650000001234")
        #expect(try SSCC(extensionDigit: 0, companyPrefix: "4012345", serialReference: 333).digits == "040123450000003338")
        #expect(try SSCC(extensionDigit: 1, companyPrefix: "4012345", serialReference: 112_223_334).digits == "140123451122233341")
        #expect(try SSCC(extensionDigit: 0, companyPrefix: "9528765", serialReference: 432_101_234).digits == "095287654321012346")
        // The same 17 digits split another way give the same SSCC: the prefix length is not in the digits.
        #expect(try SSCC(extensionDigit: 0, companyPrefix: "952876543", serialReference: 2_101_234).digits == "095287654321012346")
    }

    @Test func largestSerialReferenceFillsTheDigitsTheCompanyPrefixLeaves() throws {
        #expect(SSCC.largestSerialReference(companyPrefixLength: 7) == 999_999_999)
        #expect(SSCC.largestSerialReference(companyPrefixLength: 6) == 9_999_999_999)
        #expect(SSCC.largestSerialReference(companyPrefixLength: 12) == 9_999)
        #expect(SSCC.largestSerialReference(companyPrefixLength: 5) == nil)
        #expect(SSCC.largestSerialReference(companyPrefixLength: 13) == nil)
        let last = try SSCC(extensionDigit: 9, companyPrefix: "893876500", serialReference: 9_999_999)
        #expect(last.digits.hasPrefix("98938765009999999"))
        #expect(last.serialReference(companyPrefixLength: 9) == 9_999_999)
        #expect(last.extensionDigit == 9)
    }

    @Test func rejectsWhatCannotBuildAnSSCC() {
        #expect(throws: SSCC.BuildError.serialReferenceOutOfRange(1_000_000_000, largest: 999_999_999)) {
            try SSCC(extensionDigit: 0, companyPrefix: "8938765", serialReference: 1_000_000_000)
        }
        #expect(throws: SSCC.BuildError.serialReferenceOutOfRange(-1, largest: 999_999_999)) {
            try SSCC(extensionDigit: 0, companyPrefix: "8938765", serialReference: -1)
        }
        #expect(throws: SSCC.BuildError.extensionDigitOutOfRange(10)) {
            try SSCC(extensionDigit: 10, companyPrefix: "8938765", serialReference: 1)
        }
        #expect(throws: SSCC.BuildError.companyPrefixNotDigits("893-8765")) {
            try SSCC(extensionDigit: 0, companyPrefix: "893-8765", serialReference: 1)
        }
        #expect(throws: SSCC.BuildError.companyPrefixLength(13)) {
            try SSCC(extensionDigit: 0, companyPrefix: "8938765000001", serialReference: 1)
        }
    }

    @Test func rejectsSSCCWithWrongCheckDigitAndSaysWhichItNeeds() {
        #expect(throws: SSCC.ParseError.wrongCheckDigit(expected: "4", found: "5")) { try SSCC(parsing: "089387650000001235") }
        #expect(throws: SSCC.ParseError.missingCheckDigit(expected: "4")) { try SSCC(parsing: "08938765000000123") }
        #expect(throws: SSCC.ParseError.wrongLength(13)) { try SSCC(parsing: "8938765000008") }
        #expect(throws: SSCC.ParseError.notDigits) { try SSCC(parsing: "08938765000000123X") }
        #expect(throws: SSCC.ParseError.notDigits) { try SSCC(parsing: "") }
        #expect(SSCC.ParseError.missingCheckDigit(expected: "4").description.contains("check digit is missing"))
        #expect(SSCC.ParseError.wrongCheckDigit(expected: "4", found: "5").description == "wrong check digit 5: the digits before it need 4")
    }

    @Test func readsTheLabelTextAndDigitGroups() throws {
        #expect(try SSCC(parsing: "(00) 0 89387650000001234").digits == "089387650000001234")
        #expect(try SSCC(parsing: " 0 8938765 000000123 4 ").digits == "089387650000001234")
    }

    @Test func writesDigitalLinkAndHumanReadableForms() throws {
        let carton = try SSCC(parsing: "089387650000001234")
        #expect(carton.digitalLinkPath == "/00/089387650000001234")
        #expect(carton.digitalLink == "https://id.gs1.org/00/089387650000001234")
        #expect(carton.digitalLink(resolver: "https://id.example.vn/") == "https://id.example.vn/00/089387650000001234")
        #expect(carton.humanReadable == "(00) 0 89387650000001234")
        #expect(try SSCC(parsing: carton.humanReadable) == carton)
    }

    @Test func convertsTheEPCURNForm() throws {
        #expect(SSCC(epcURN: "urn:epc:id:sscc:8938765.0000000123")?.digits == "089387650000001234")
        #expect(SSCC(epcURN: "urn:epc:id:sscc:4012345.1112223334")?.digits == "140123451122233341")
        #expect(SSCC(epcURN: "urn:epc:id:sscc:4012345.111222333") == nil)
        #expect(SSCC(epcURN: "urn:epc:id:sgtin:4012345.1112223334") == nil)
        #expect(try SSCC(parsing: "140123451122233341").epcURN(companyPrefixLength: 7) == "urn:epc:id:sscc:4012345.1112223334")
    }

    @Test func gs1KeysEncodeAsTheirDigitsAndDecodeThroughTheCheck() throws {
        let carton = try SSCC(parsing: "089387650000001234")
        let data = try JSONEncoder().encode([carton])
        #expect(String(decoding: data, as: UTF8.self) == "[\"089387650000001234\"]")
        #expect(try JSONDecoder().decode([SSCC].self, from: data) == [carton])
        #expect(String(decoding: try JSONEncoder().encode([try GTIN(parsing: "8938765000015")]), as: UTF8.self) == "[\"08938765000015\"]")
        #expect(String(decoding: try JSONEncoder().encode([try GLN(parsing: "8938765000008")]), as: UTF8.self) == "[\"8938765000008\"]")
        #expect(throws: SSCC.ParseError.self) { try JSONDecoder().decode([SSCC].self, from: Data("[\"089387650000001235\"]".utf8)) }
        #expect(carton.description == "089387650000001234")
    }
}
