import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG as an XML parser reads it: every element in document order with its attributes, its
/// depth and the text directly inside it. Nil when the markup is not well-formed.
struct SVGDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var depth: Int
        var text = ""
    }

    let elements: [Element]

    init?(_ markup: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            var open: [Int] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                elements.append(Element(name: name, attributes: attributes, depth: open.count))
                open.append(elements.count - 1)
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                open.removeLast()
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if let last = open.last { elements[last].text += string }
            }
        }
        let parser = XMLParser(data: Data(markup.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { return nil }
        elements = collector.elements
    }

    /// The root's children, in order.
    var children: [Element] { elements.filter { $0.depth == 1 } }

    func count(_ name: String, className: String) -> Int {
        elements.filter { $0.name == name && $0.attributes["class"] == className }.count
    }

    func texts(className: String) -> [String] {
        elements.filter { $0.name == "text" && $0.attributes["class"] == className }.map(\.text)
    }

    /// Every piece of text in the drawing, titles included.
    var allText: [String] { elements.map(\.text).filter { !$0.isEmpty } }
}
