import Foundation
import Testing
@testable import OCOPTrace

@Suite struct ProductionStageTests {
    /// The words issue 23 and traceability-chain.md §7 list, each with the step it must become.
    @Test(arguments: [
        ("gieo trồng", "https://ocoptrace.vn/ns/epcis#BizStep-planting"),
        ("chăm sóc", "https://ocoptrace.vn/ns/epcis#BizStep-growing"),
        ("thu hoạch", "commissioning"),
        ("sơ chế", "creating_class_instance"),
        ("chế biến", "commissioning"),
        ("lên men", "https://ocoptrace.vn/ns/epcis#BizStep-fermenting"),
        ("đóng gói", "packing"),
        ("đóng thùng", "packing"),
        ("kiểm nghiệm", "inspecting"),
        ("kiểm tra", "inspecting"),
        ("bảo quản", "storing"),
        ("lưu kho", "storing"),
        ("vận chuyển", "transporting"),
        ("xuất kho", "shipping"),
        ("giao hàng", "shipping"),
        ("nhập kho", "receiving"),
        ("nhận hàng", "receiving"),
        ("phân phối", "shipping"),
        ("bán lẻ", "retail_selling"),
        ("dán tem", "commissioning"),
        ("bón phân", "https://ocoptrace.vn/ns/epcis#BizStep-growing"),
        ("harvest", "commissioning"),
        ("Packing", "packing"),
        ("storage", "storing"),
    ])
    func mapsTheStageWordsUsersTypeToBusinessSteps(_ word: String, _ bizStep: String) throws {
        #expect(try ProductionStage(word: word).businessStep.epcisValue == bizStep)
    }

    @Test func matchesLikeHeadersIgnoringCaseSpacingAndDiacritics() throws {
        for typed in ["Thu hoạch", "thu hoach", "  THU   HOẠCH ", "thu_hoach", "Thu hoa\u{0323}ch", "HARVEST"] {
            #expect(try ProductionStage(word: typed) == .harvesting)
        }
        #expect(try ProductionStage(word: "CHAM SOC") == .tending)
        #expect(try ProductionStage(word: "Đóng Gói") == .packing)
    }

    @Test func unknownWordErrorListsTheAcceptedStages() {
        #expect(throws: ProductionStage.UnknownWord(word: "giết mổ")) { try ProductionStage(word: "giết mổ") }
        let message = ProductionStage.UnknownWord(word: "giết mổ").description
        #expect(message.hasPrefix("\"giết mổ\" is not a production stage"))
        for stage in ProductionStage.allCases {
            #expect(message.contains(stage.vietnameseName.lowercased()))
            #expect(message.contains(stage.englishName.lowercased()))
        }
        #expect(throws: ProductionStage.UnknownWord.self) { try ProductionStage(word: "") }
    }

    @Test func everyStageHasNamesForPagesAndAValidStep() {
        for stage in ProductionStage.allCases {
            #expect(!stage.vietnameseName.isEmpty && !stage.englishName.isEmpty)
            #expect(stage.name(in: .vi) == stage.vietnameseName && stage.name(in: .en) == stage.englishName)
            // Each step reads back as itself: CBV words are CBV's, ours are under our namespace.
            #expect(BusinessStep(epcisValue: stage.businessStep.epcisValue) == stage.businessStep)
            #expect(try! ProductionStage(word: stage.vietnameseName) == stage)
            #expect(try! ProductionStage(word: stage.englishName) == stage)
        }
        // No accepted word names two stages (the index would have trapped) and every word is found.
        for word in ProductionStage.acceptedWords { #expect((try? ProductionStage(word: word)) != nil) }
    }

    /// docs/epcis-vocabulary.md documents our vocabulary: it must list every stage as the code maps it.
    @Test func theDocumentedVocabularyListsEveryStageAsMapped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/epcis-vocabulary.md"), encoding: .utf8)
        for stage in ProductionStage.allCases {
            let row = page.split(separator: "\n").first { $0.hasPrefix("| \(stage.vietnameseName) | \(stage.englishName) |") }
            #expect(row?.contains("`\(stage.businessStep.epcisValue)`") == true, "\(stage)")
        }
    }

    @Test func neverUsesKillingOrTransformingForAStage() {
        for stage in ProductionStage.allCases {
            #expect(stage.businessStep != .cbv("killing"))
            #expect(stage.businessStep.epcisValue != "transforming")
        }
    }
}

@Suite struct BusinessStepTests {
    @Test func readsBareWordsWebURIsAndOldURNs() {
        #expect(BusinessStep(epcisValue: "shipping") == .cbv("shipping"))
        #expect(BusinessStep(epcisValue: "https://ref.gs1.org/cbv/BizStep-shipping") == .cbv("shipping"))
        #expect(BusinessStep(epcisValue: "urn:epcglobal:cbv:bizstep:receiving") == .cbv("receiving"))
        #expect(BusinessStep(epcisValue: "https://ocoptrace.vn/ns/epcis#BizStep-growing") == .ocoptrace("growing"))
        #expect(BusinessStep(epcisValue: "urn:gdst:bizStep:farmHarvest") == .other("urn:gdst:bizStep:farmHarvest"))
    }

    @Test func refusesWordsAndCBVURIsThatCBVDoesNotHave() {
        #expect(BusinessStep(epcisValue: "harvesting") == nil)
        #expect(BusinessStep(epcisValue: "transforming") == nil)
        #expect(BusinessStep(epcisValue: "https://ref.gs1.org/cbv/BizStep-harvesting") == nil)
        #expect(BusinessStep(epcisValue: "urn:epcglobal:cbv:bizstep:growing") == nil)
        #expect(BusinessStep(epcisValue: "") == nil)
    }

    @Test func writesTheBareWordInDocumentsAndTheFullURIForTheHash() {
        #expect(BusinessStep.cbv("packing").epcisValue == "packing")
        #expect(BusinessStep.cbv("packing").uri == "https://ref.gs1.org/cbv/BizStep-packing")
        #expect(BusinessStep.ocoptrace("growing").uri == "https://ocoptrace.vn/ns/epcis#BizStep-growing")
        #expect(BusinessStep.cbvWords.count == 41)
    }
}
