import CExpat

/// Receives the elements and text of an XML document as it streams through an `XMLStream`.
///
/// Names are local names (`x:row` arrives as `row`): some spreadsheet writers prefix SpreadsheetML
/// elements with a namespace and others do not. A handler that throws stops the parse; the error
/// comes out of `XMLStream.feed` or `finish`.
protocol XMLStreamHandler: AnyObject {
    func startElement(_ name: String, attributes: XMLAttributes) throws
    func endElement(_ name: String) throws
    func characters(_ text: String) throws
}

/// The attributes of the element being started. Only valid during the `startElement` call that
/// receives them: they point into expat's buffers.
struct XMLAttributes {
    fileprivate let pairs: UnsafeMutablePointer<UnsafePointer<XML_Char>?>?

    /// The value of the attribute with this local name (`r:id` matches `id`), if the element has it.
    subscript(localName: String) -> String? {
        guard var cursor = pairs else { return nil }
        while let namePointer = cursor.pointee, let valuePointer = cursor.successor().pointee {
            let name = String(cString: namePointer)
            if name == localName || name.hasSuffix(":" + localName) { return String(cString: valuePointer) }
            cursor += 2
        }
        return nil
    }
}

/// A streaming XML parser (expat), fed a document in chunks, so that memory stays flat however
/// large the document: an Excel sheet of 100,000 rows is about 65 MB of XML.
///
/// A document type declaration is refused: Office Open XML parts never have one, and refusing it
/// rules out entity expansion and external entities altogether.
final class XMLStream {
    private let parser: XML_Parser
    private let box: HandlerBox

    /// Why a document could not be parsed: expat's reason, with the line it stopped at.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private final class HandlerBox {
        let handler: any XMLStreamHandler
        var error: (any Error)?
        var parser: XML_Parser?
        init(handler: any XMLStreamHandler) { self.handler = handler }

        func run(_ body: () throws -> Void) {
            guard error == nil else { return }
            do { try body() } catch {
                self.error = error
                XML_StopParser(parser, XML_FALSE)
            }
        }
    }

    init(handler: any XMLStreamHandler) throws {
        guard let parser = XML_ParserCreate(nil) else { throw Failure(description: "cannot create an XML parser (out of memory)") }
        self.parser = parser
        box = HandlerBox(handler: handler)
        box.parser = parser
        XML_SetUserData(parser, Unmanaged.passUnretained(box).toOpaque())
        XML_SetElementHandler(parser, { userData, name, attributes in
            guard let userData, let name else { return }
            let box = Unmanaged<HandlerBox>.fromOpaque(userData).takeUnretainedValue()
            box.run { try box.handler.startElement(XMLStream.localName(name), attributes: XMLAttributes(pairs: attributes)) }
        }, { userData, name in
            guard let userData, let name else { return }
            let box = Unmanaged<HandlerBox>.fromOpaque(userData).takeUnretainedValue()
            box.run { try box.handler.endElement(XMLStream.localName(name)) }
        })
        XML_SetCharacterDataHandler(parser) { userData, text, length in
            guard let userData, let text, length > 0 else { return }
            let box = Unmanaged<HandlerBox>.fromOpaque(userData).takeUnretainedValue()
            let string = text.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
            }
            box.run { try box.handler.characters(string) }
        }
        XML_SetStartDoctypeDeclHandler(parser) { userData, _, _, _, _ in
            guard let userData else { return }
            let box = Unmanaged<HandlerBox>.fromOpaque(userData).takeUnretainedValue()
            box.run { throw Failure(description: "it has a document type declaration (<!DOCTYPE>), which spreadsheet files never have") }
        }
    }

    deinit {
        XML_ParserFree(parser)
    }

    /// Parses the next piece of the document.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        // XML_Parse takes an int length: feed very large buffers in pieces.
        repeat {
            let length = min(bytes.count - offset, 1 << 30)
            let start = bytes.baseAddress.map { $0.advanced(by: offset).assumingMemoryBound(to: CChar.self) }
            let status = XML_Parse(parser, start, Int32(length), 0)
            try check(status)
            offset += length
        } while offset < bytes.count
    }

    /// Ends the document: an unclosed element or truncated input is an error here.
    func finish() throws {
        try check(XML_Parse(parser, nil, 0, 1))
    }

    private func check(_ status: XML_Status) throws {
        if let error = box.error { throw error }
        guard status != XML_STATUS_ERROR else {
            let reason = XML_ErrorString(XML_GetErrorCode(parser)).map { String(cString: $0) } ?? "unknown error"
            throw Failure(description: "\(reason) at line \(XML_GetCurrentLineNumber(parser)), column \(XML_GetCurrentColumnNumber(parser) + 1)")
        }
    }

    /// `x:row` → `row`.
    private static func localName(_ name: UnsafePointer<XML_Char>) -> String {
        let full = String(cString: name)
        guard let colon = full.lastIndex(of: ":") else { return full }
        return String(full[full.index(after: colon)...])
    }
}
