/// HTML text built by appending, every piece of untrusted text escaped on the way in.
struct HTML {
    private(set) var text = ""

    init() {
        text.reserveCapacity(8192)
    }

    /// Markup we write ourselves.
    mutating func raw(_ markup: String) {
        text += markup
    }

    /// Text from catalogs, URLs or requests: safe in element content and in quoted attributes.
    mutating func escaped(_ value: String) {
        text += value.markupEscaped
    }

    /// One `<dt>`/`<dd>` pair of a description list; nothing when `value` is nil or empty.
    mutating func row(_ label: String, _ value: String?, _ cssClass: String? = nil) {
        guard let value, !value.isEmpty else { return }
        raw("<dt>")
        escaped(label)
        raw(cssClass.map { "</dt><dd class=\"\($0)\">" } ?? "</dt><dd>")
        escaped(value)
        raw("</dd>")
    }

    /// A product's first web image, if it has one, named by the product.
    mutating func productImage(_ images: [String], name: String) {
        guard let image = images.first(where: { $0.hasPrefix("https://") || $0.hasPrefix("http://") }) else { return }
        raw("<img src=\"")
        escaped(image)
        raw("\" alt=\"")
        escaped(name)
        raw("\" loading=\"lazy\" referrerpolicy=\"no-referrer\">")
    }
}
