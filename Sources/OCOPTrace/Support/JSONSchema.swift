import Foundation

/// A JSON Schema (draft-07) validator, small and generic: what GS1's EPCIS 2.0 schema uses, so
/// that a partner's document is checked in the product itself (no Python at run time), each
/// error with its JSON path (`$.epcisBody.eventList[3].eventTime`).
///
/// Supported keywords: `type`, `enum`, `const`, `required`, `properties`, `additionalProperties`,
/// `patternProperties`, `propertyNames`, `minProperties`/`maxProperties`, `items` (one schema or a
/// tuple, with `additionalItems`), `contains`, `minItems`/`maxItems`, `uniqueItems`,
/// `minLength`/`maxLength` (in Unicode scalars, as draft-07 counts code points), `pattern`
/// (ICU regular expressions, which read ECMA-262's lookaheads and classes alike),
/// `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`/`multipleOf`, `allOf`/`anyOf`/`oneOf`/`not`,
/// `if`/`then`/`else`, `dependencies`, and `$ref` to `#` and `#/definitions/…` (JSON pointers in
/// the same document). Formats: `date-time` (RFC 3339, as rfc3339-validator checks it), `uri`
/// (an absolute URI of ASCII characters, as rfc3987's `URI` rule; IRIs with other characters fail,
/// as they do there), `date`; other formats pass.
///
/// Not supported: `$ref` to other documents or by `$id`, `contentMediaType`/`contentEncoding`,
/// `definitions` reached other than by `$ref`, and the formats `email`, `hostname`, `ipv4`,
/// `ipv6`, `uri-reference`, `iri`, `regex`, `json-pointer` (they pass). Numbers are JSON's
/// doubles: `integer` is a number without a fraction.
struct JSONSchema: @unchecked Sendable {
    // @unchecked: the compiled patterns are NSRegularExpression, which is immutable and safe to
    // use from several threads (Foundation documents it so); the rest are values.

    /// One reason a document does not conform.
    struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// `$`, `$.epcisBody.eventList[3].eventTime`.
        var path: String
        var message: String
        var description: String { path + ": " + message }
    }

    let root: JSONValue
    private let patterns: [String: NSRegularExpression]
    /// Every `$ref` of the schema, followed once.
    private let references: [String: JSONValue]

    init(text: String) throws {
        root = try JSONValue.parse(Data(text.utf8))
        var patterns: [String: NSRegularExpression] = [:]
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let pattern)? = members["pattern"] {
                    patterns[pattern] = try? NSRegularExpression(pattern: pattern)
                }
                if case .object(let patternProperties)? = members["patternProperties"] {
                    for key in patternProperties.keys { patterns[key] = try? NSRegularExpression(pattern: key) }
                }
                members.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(root)
        self.patterns = patterns
        var found: [String: JSONValue] = [:]
        let schemaRoot = root
        func follow(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let reference)? = members["$ref"], found[reference] == nil,
                   let target = JSONSchema.resolve(reference, in: schemaRoot) {
                    found[reference] = target
                }
                members.values.forEach(follow)
            case .array(let items): items.forEach(follow)
            default: break
            }
        }
        follow(schemaRoot)
        references = found
    }

    /// Every way `instance` fails the schema, in document order of the instance's members (sorted
    /// by name); empty when it conforms. At most `limit` failures are collected.
    func failures(of instance: JSONValue, limit: Int = 1000) -> [Failure] {
        var failures: [Failure] = []
        check(instance, against: root, path: "$", into: &failures, limit: limit)
        return failures
    }

    // MARK: Checking

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into failures: inout [Failure], limit: Int,
                       probing: Bool = false) {
        guard failures.count < limit else { return }
        let members: [String: JSONValue]
        switch schema {
        case .bool(true): return
        case .bool(false):
            failures.append(Failure(path: path, message: probing ? "" : "no value is allowed here"))
            return
        case .object(let object): members = object
        default: return
        }
        let schema = members
        // A probe (a branch of anyOf, oneOf, not, if) only asks whether there is a failure: no words.
        func fail(_ message: @autoclosure () -> String) { failures.append(Failure(path: path, message: probing ? "" : message())) }
        func passes(_ sub: JSONValue) -> Bool {
            var scratch: [Failure] = []
            check(value, against: sub, path: path, into: &scratch, limit: 1, probing: true)
            return scratch.isEmpty
        }

        if case .string(let reference)? = schema["$ref"] {
            // In draft-07 a $ref stands alone: its siblings are ignored.
            if let target = references[reference] ?? JSONSchema.resolve(reference, in: root) {
                check(value, against: target, path: path, into: &failures, limit: limit, probing: probing)
            } else {
                fail("the schema's $ref \(reference) cannot be followed")
            }
            return
        }
        if let type = schema["type"] {
            let names: [String] = switch type {
            case .string(let name): [name]
            case .array(let items): items.compactMap(\.stringValue)
            default: []
            }
            if !names.contains(where: { JSONSchema.has(value, type: $0) }) {
                fail("\(JSONSchema.describe(value)) is not of type \(names.joined(separator: " or "))")
                return
            }
        }
        if case .array(let allowed)? = schema["enum"], !allowed.contains(where: { JSONSchema.equal($0, value) }) {
            fail("\(JSONSchema.describe(value)) is not one of \(JSONSchema.describe(.array(allowed)))")
        }
        if let constant = schema["const"], !JSONSchema.equal(constant, value) {
            fail("\(JSONSchema.describe(constant)) was expected")
        }

        switch value {
        case .string(let text): checkString(text, schema, fail: fail)
        case .number(let number): checkNumber(number, schema, fail: fail)
        case .array(let items): checkArray(items, schema, path: path, into: &failures, limit: limit, probing: probing)
        case .object(let members): checkObject(members, schema, path: path, into: &failures, limit: limit, probing: probing)
        default: break
        }

        if case .array(let all)? = schema["allOf"] {
            for sub in all { check(value, against: sub, path: path, into: &failures, limit: limit, probing: probing) }
        }
        if case .array(let any)? = schema["anyOf"], !any.contains(where: passes) {
            fail("\(JSONSchema.describe(value)) is not valid under any of the given schemas")
        }
        if case .array(let one)? = schema["oneOf"] {
            let count = one.filter(passes).count
            if count == 0 {
                fail("\(JSONSchema.describe(value)) is not valid under any of the given schemas")
            } else if count > 1 {
                fail("\(JSONSchema.describe(value)) is valid under more than one of the given schemas")
            }
        }
        if let not = schema["not"], passes(not) {
            fail("\(JSONSchema.describe(value)) should not be valid under \(JSONSchema.describe(not))")
        }
        if let condition = schema["if"] {
            if passes(condition) {
                if let then = schema["then"] { check(value, against: then, path: path, into: &failures, limit: limit, probing: probing) }
            } else if let otherwise = schema["else"] {
                check(value, against: otherwise, path: path, into: &failures, limit: limit, probing: probing)
            }
        }
    }

    private func checkString(_ text: String, _ schema: [String: JSONValue], fail: (@autoclosure () -> String) -> Void) {
        let length = text.unicodeScalars.count
        if case .number(let minimum)? = schema["minLength"], Double(length) < minimum { fail("\(text.quoted) is too short") }
        if case .number(let maximum)? = schema["maxLength"], Double(length) > maximum { fail("\(text.quoted) is too long") }
        if case .string(let pattern)? = schema["pattern"], !matches(pattern, text) {
            fail("\(text.quoted) does not match \(pattern.quoted)")
        }
        if case .string(let format)? = schema["format"], !JSONSchema.conforms(text, format: format) {
            fail("\(text.quoted) is not a \(format.quoted)")
        }
    }

    private func checkNumber(_ number: Double, _ schema: [String: JSONValue], fail: (@autoclosure () -> String) -> Void) {
        var text: String { JSONValue.number(number).jsonText }
        if case .number(let minimum)? = schema["minimum"], number < minimum { fail("\(text) is less than the minimum of \(JSONValue.number(minimum).jsonText)") }
        if case .number(let maximum)? = schema["maximum"], number > maximum { fail("\(text) is more than the maximum of \(JSONValue.number(maximum).jsonText)") }
        if case .number(let minimum)? = schema["exclusiveMinimum"], number <= minimum { fail("\(text) is not more than \(JSONValue.number(minimum).jsonText)") }
        if case .number(let maximum)? = schema["exclusiveMaximum"], number >= maximum { fail("\(text) is not less than \(JSONValue.number(maximum).jsonText)") }
        if case .number(let divisor)? = schema["multipleOf"], divisor > 0 {
            let quotient = number / divisor
            if quotient != quotient.rounded() { fail("\(text) is not a multiple of \(JSONValue.number(divisor).jsonText)") }
        }
    }

    private func checkArray(_ items: [JSONValue], _ schema: [String: JSONValue], path: String, into failures: inout [Failure], limit: Int,
                            probing: Bool) {
        func fail(_ message: @autoclosure () -> String) { failures.append(Failure(path: path, message: probing ? "" : message())) }
        if case .number(let minimum)? = schema["minItems"], Double(items.count) < minimum {
            fail(items.isEmpty ? "[] should be non-empty" : "has \(items.count) items, fewer than \(Int(minimum))")
        }
        if case .number(let maximum)? = schema["maxItems"], Double(items.count) > maximum { fail("has \(items.count) items, more than \(Int(maximum))") }
        if case .bool(true)? = schema["uniqueItems"] {
            for (index, item) in items.enumerated() where items[..<index].contains(where: { JSONSchema.equal($0, item) }) {
                fail("has non-unique elements")
                break
            }
        }
        switch schema["items"] {
        case .array(let tuple)?:
            for (index, item) in items.enumerated() {
                if index < tuple.count {
                    check(item, against: tuple[index], path: path + "[\(index)]", into: &failures, limit: limit, probing: probing)
                } else if let additional = schema["additionalItems"] {
                    check(item, against: additional, path: path + "[\(index)]", into: &failures, limit: limit, probing: probing)
                }
            }
        case let single?:
            for (index, item) in items.enumerated() { check(item, against: single, path: path + "[\(index)]", into: &failures, limit: limit, probing: probing) }
        case nil: break
        }
        if let contains = schema["contains"] {
            let found = items.contains { item in
                var scratch: [Failure] = []
                check(item, against: contains, path: path, into: &scratch, limit: 1, probing: true)
                return scratch.isEmpty
            }
            if !found { fail("none of the items is valid under the given schema") }
        }
    }

    private func checkObject(_ members: [String: JSONValue], _ schema: [String: JSONValue], path: String, into failures: inout [Failure],
                             limit: Int, probing: Bool) {
        func fail(_ message: @autoclosure () -> String) { failures.append(Failure(path: path, message: probing ? "" : message())) }
        if case .array(let required)? = schema["required"] {
            for case .string(let name) in required where members[name] == nil { fail("\(name.quoted) is a required property") }
        }
        if case .number(let minimum)? = schema["minProperties"], Double(members.count) < minimum { fail("has too few properties") }
        if case .number(let maximum)? = schema["maxProperties"], Double(members.count) > maximum { fail("has too many properties") }
        let properties: [String: JSONValue] = if case .object(let properties)? = schema["properties"] { properties } else { [:] }
        let patternProperties: [String: JSONValue] = if case .object(let patterns)? = schema["patternProperties"] { patterns } else { [:] }
        var extra: [String] = []
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            let at = path + JSONSchema.pathComponent(name)
            var matched = false
            if let sub = properties[name] {
                matched = true
                check(member, against: sub, path: at, into: &failures, limit: limit, probing: probing)
            }
            for (pattern, sub) in patternProperties.sorted(by: { $0.key < $1.key }) where matches(pattern, name) {
                matched = true
                check(member, against: sub, path: at, into: &failures, limit: limit, probing: probing)
            }
            if !matched {
                extra.append(name)
                if let additional = schema["additionalProperties"], additional != .bool(false) {
                    check(member, against: additional, path: at, into: &failures, limit: limit, probing: probing)
                }
            }
            if let names = schema["propertyNames"] {
                var scratch: [Failure] = []
                check(.string(name), against: names, path: at, into: &scratch, limit: 1, probing: true)
                if !scratch.isEmpty { failures.append(Failure(path: at, message: probing ? "" : "\(name.quoted) is not a valid property name here")) }
            }
        }
        if case .bool(false)? = schema["additionalProperties"], !extra.isEmpty {
            fail("additional properties are not allowed (\(extra.map(\.quoted).joined(separator: ", ")) were unexpected)")
        }
        if case .object(let dependencies)? = schema["dependencies"] {
            for (name, dependency) in dependencies.sorted(by: { $0.key < $1.key }) where members[name] != nil {
                if case .array(let names) = dependency {
                    for case .string(let needed) in names where members[needed] == nil { fail("\(needed.quoted) is a dependency of \(name.quoted)") }
                } else {
                    check(.object(members), against: dependency, path: path, into: &failures, limit: limit, probing: probing)
                }
            }
        }
    }

    // MARK: Rules

    private static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var target = root
        for token in reference.dropFirst().split(separator: "/") {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            let decoded = name.removingPercentEncoding ?? name
            switch target {
            case .object(let members):
                guard let next = members[decoded] else { return nil }
                target = next
            case .array(let items):
                guard let index = Int(decoded), items.indices.contains(index) else { return nil }
                target = items[index]
            default: return nil
            }
        }
        return target
    }

    private func matches(_ pattern: String, _ text: String) -> Bool {
        guard let expression = patterns[pattern] ?? (try? NSRegularExpression(pattern: pattern)) else { return true }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .number(let number)): number == number.rounded() && number.isFinite
        default: false
        }
    }

    /// JSON equality: numbers by value, objects regardless of member order.
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool { left == right }

    static func describe(_ value: JSONValue) -> String {
        let text = value.jsonText
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    /// `.name`, or `['name']` for a name that is not a plain identifier (`$['@context']`).
    static func pathComponent(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
            && !isDigit(name.utf8.first!)
        return plain ? "." + name : "['" + name.replacingOccurrences(of: "'", with: "\\'") + "']"
    }

    // MARK: Formats

    static func conforms(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time": isDateTime(text)
        case "date": isDate(Substring(text))
        case "uri": isURI(text)
        default: true
        }
    }

    /// RFC 3339 `date-time`: `2026-11-20T08:00:00+07:00`, `…T01:00:00.5Z` (`T` and `Z` in either case).
    static func isDateTime(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard let t = upper.firstIndex(of: "T"), isDate(upper[..<t]) else { return false }
        var time = upper[upper.index(after: t)...]
        if time.hasSuffix("Z") {
            time = time.dropLast()
        } else {
            guard time.count > 6 else { return false }
            let offset = time.suffix(6)
            guard let sign = offset.first, sign == "+" || sign == "-", isTwoDigits(offset.dropFirst().prefix(2), max: 23),
                  offset.dropFirst(3).first == ":", isTwoDigits(offset.suffix(2), max: 59) else { return false }
            time = time.dropLast(6)
        }
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, isTwoDigits(parts[0], max: 23), isTwoDigits(parts[1], max: 59) else { return false }
        let seconds = parts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard isTwoDigits(seconds[0], max: 60) else { return false }
        return seconds.count == 1 || (!seconds[1].isEmpty && seconds[1].allSatisfy(\.isASCIIDigit))
    }

    static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[0].allSatisfy(\.isASCIIDigit), isTwoDigits(parts[1], max: 12),
              isTwoDigits(parts[2], max: 31), let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              month >= 1, day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    private static func isTwoDigits(_ text: some StringProtocol, max: Int) -> Bool {
        text.count == 2 && text.allSatisfy(\.isASCIIDigit) && Int(text).map { $0 <= max } == true
    }

    /// An absolute URI (RFC 3986 `URI`): a scheme, a colon, then only URI characters, `%` followed
    /// by two hex digits, and at most one `#`.
    static func isURI(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              isLetter(bytes[0]), bytes[1..<colon].allSatisfy({ isLetter($0) || isDigit($0) || $0 == 43 || $0 == 45 || $0 == 46 })
        else { return false }
        var index = colon + 1
        var fragments = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "#") { fragments += 1 }
            guard fragments <= 1, isLetter(byte) || isDigit(byte) || uriPunctuation.contains(byte) else { return false }
            index += 1
        }
        return true
    }

    private static let uriPunctuation = Set("-._~:/?#[]@!$&'()*+,;=".utf8)
    private static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (65...70).contains(byte) || (97...102).contains(byte) }
}
