import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// The EPCIS 2.0 JSON schema check that `epcis import` runs in the product, against the reference
/// examples and the schema's typical failures, and cross-checked with Python's jsonschema.
@Suite struct EPCISSchemaCheckTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")
    static let schemaFile = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized

    static func failures(_ relative: String) throws -> [EPCISDocumentSchema.Failure] {
        EPCISDocumentSchema.failures(ofDocument: try Data(contentsOf: fixtures.appendingPathComponent(relative)))
    }

    @Test func shipsTheReferenceSchemaByteForByte() throws {
        let reference = try String(contentsOf: Self.schemaFile, encoding: .utf8)
        #expect(EPCISDocumentSchema.text.trimmingCharacters(in: .newlines) == reference.trimmingCharacters(in: .newlines))
    }

    @Test(arguments: ["example-A-packing-aggregation.json", "example-A-variant-other-spellings.json", "example-B-shipping.json",
                      "example-C-receiving.json", "example-D-growing-custom-step.json", "example-E-harvest-commissioning.json",
                      "reh-TimeStampRoundOff-event1.json", "reh-epcisDocWithSingleEvent.json", "reh-epcisEventWithCURIEs.json",
                      "reh-epcisDocWithShippingAndTransportingEvent.jsonld"])
    func acceptsTheReferenceExamples(file: String) throws {
        #expect(try Self.failures("event-hash/" + file) == [])
    }

    @Test func reportsTypicalFailuresWithTheirPaths() throws {
        let expected: [(String, String, String)] = [
            ("invalid-time-without-offset.json", "$.epcisBody.eventList[0].eventTime", "is not a \"date-time\""),
            ("invalid-no-offset.json", "$.epcisBody.eventList[0]", "\"eventTimeZoneOffset\" is a required property"),
            ("invalid-action.json", "$.epcisBody.eventList[0].action", "is not one of"),
            ("invalid-bare-bizstep.json", "$.epcisBody.eventList[0].bizStep", "not valid under any"),
            ("invalid-quantity-as-text.json", "$.epcisBody.eventList[0].quantityList[0].quantity", "is not of type number"),
            ("invalid-source-type.json", "$.epcisBody.eventList[0].sourceList[0].type", "not valid under any"),
            ("invalid-parent-digits.json", "$.epcisBody.eventList[0].parentID", "is not a \"uri\""),
            ("invalid-uri-with-space.json", "$.epcisBody.eventList[0].readPoint.id", "is not a \"uri\""),
            ("invalid-extension-without-namespace.json", "$.epcisBody.eventList[0].stageLabel", "not a valid property name"),
            ("invalid-add-without-children.json", "$.epcisBody.eventList[0]", "not valid under any"),
            ("invalid-ilmd-on-observe.json", "$.epcisBody.eventList[0]", "not valid under any"),
        ]
        for (file, path, message) in expected {
            let failures = try Self.failures("partner-events/" + file)
            #expect(failures.contains { $0.path == path && $0.message.contains(message) }, "\(file): \(failures)")
        }
        let two = try Self.failures("partner-events/invalid-two-errors.json")
        #expect(two.contains { $0.path == "$" && $0.message.contains("schemaVersion") })
        #expect(two.contains { $0.path == "$.epcisBody.eventList[1].eventTime" })
        #expect(EPCISDocumentSchema.failures(ofDocument: Data("{not json".utf8)).map(\.path) == ["$"])
    }

    /// The same documents through Python's jsonschema (Draft7Validator with its format checkers):
    /// both accept the same ones, and each place Python names is one the Swift check names too
    /// (or the object holding it).
    @Test func agreesWithPythonJSONSchema() throws {
        var files: [URL] = []
        for folder in ["partner-events", "event-hash"] {
            let url = Self.fixtures.appendingPathComponent(folder)
            files += try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                .filter { ["json", "jsonld"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
        }
        #expect(files.count >= 20)
        let output = try ExternalTools.run("python3", [repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path,
                                                       Self.schemaFile.path] + files.map(\.path), allowedStatuses: [0, 1])
        let lines = output.split(separator: "\n")
        #expect(lines.count == files.count)
        for (file, line) in zip(files, lines) {
            let python = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let errors = python["errors"] as? Int ?? -1
            let swift = EPCISDocumentSchema.failures(ofDocument: try Data(contentsOf: file))
            #expect((errors == 0) == swift.isEmpty, "\(file.lastPathComponent): python \(errors), swift \(swift)")
            for message in python["messages"] as? [String] ?? [] {
                // "epcisBody/eventList/0/action: …" → "$.epcisBody.eventList[0].action"
                let pointer = message.prefix { $0 != ":" }
                var path = "$"
                for token in pointer.split(separator: "/") {
                    path += token.allSatisfy(\.isNumber) ? "[\(token)]" : "." + token
                }
                #expect(swift.contains { $0.path == path || $0.path.hasPrefix(path + ".") || $0.path.hasPrefix(path + "[") },
                        "\(file.lastPathComponent): python names \(path), swift \(swift.map(\.path))")
            }
        }
    }

    @Test func formatsReadAsRFC3339AndRFC3986Do() {
        #expect(JSONSchema.isDateTime("2026-11-20T08:00:00+07:00"))
        #expect(JSONSchema.isDateTime("2022-02-16T20:33:31.116000-06:00"))
        #expect(JSONSchema.isDateTime("2023-02-02t11:04:03.1415z"))
        #expect(!JSONSchema.isDateTime("2026-11-20T08:00:00"))
        #expect(!JSONSchema.isDateTime("2026-02-30T08:00:00Z"))
        #expect(!JSONSchema.isDateTime("2026-11-20 08:00:00Z"))
        #expect(JSONSchema.isURI("urn:epc:id:sgtin:0614141.107346.2017"))
        #expect(JSONSchema.isURI("https://id.gs1.org/01/08938765000015/21/7K3QM9XW2HPT4RVA?17=261127#x"))
        #expect(JSONSchema.isURI("ocop:BizStep-growing"))
        #expect(!JSONSchema.isURI("089387650000001234"))
        #expect(!JSONSchema.isURI("https://example.com/a b"))
        #expect(!JSONSchema.isURI("https://example.com/bán-lẻ"))
    }
}
