/// A listing read from the registry a page at a time, in key order: the consumer sets the pace
/// (a page is read when the last is used up), memory stays at one page however long the listing,
/// and no read transaction stays open while the consumer works. Both engines' listings are these.
public struct PagedSequence<Element: Sendable, Key: Sendable>: AsyncSequence, Sendable {
    /// Reads the page after `key` (from the start when nil): at most `limit` elements, in order.
    public typealias FetchPage = @Sendable (_ after: Key?, _ limit: Int) async throws -> [Element]

    let pageSize: Int
    let fetch: FetchPage
    let key: @Sendable (Element) -> Key

    /// - Parameters:
    ///   - key: an element's position, unique and increasing along the listing (usually its id).
    public init(pageSize: Int = 500, key: @escaping @Sendable (Element) -> Key, fetch: @escaping FetchPage) {
        self.pageSize = Swift.max(1, pageSize)
        self.fetch = fetch
        self.key = key
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let sequence: PagedSequence
        var page: [Element] = []
        var index = 0
        var last: Key?
        var finished = false

        public mutating func next() async throws -> Element? {
            if index == page.count {
                guard !finished else { return nil }
                page = try await sequence.fetch(last, sequence.pageSize)
                index = 0
                finished = page.count < sequence.pageSize
                guard let tail = page.last else { return nil }
                last = sequence.key(tail)
            }
            defer { index += 1 }
            return page[index]
        }
    }
}
