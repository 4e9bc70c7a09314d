import Foundation

/// Rows read and validated on a second thread while the registry writes on the calling one:
/// parsing and writing each take about half of an import, and the machine has two cores.
///
/// The queue between them is bounded, so a slow registry holds the reader back instead of letting
/// parsed rows pile up in memory.
final class ParsedRowStream: @unchecked Sendable {
    // @unchecked: `queue` synchronises itself; `finished` is only waited on.

    enum Event: Sendable {
        case header(HeaderMap, row: Int)
        case products([ParsedRow<ProductDraft>], ReadPosition)
        case stampOrders([ParsedRow<StampOrderDraft>], ReadPosition)
        case stages([ParsedRow<ProductionStageDraft>], ReadPosition)
        case failed(any Error)
    }

    private let queue = BoundedQueue<Event>(capacity: 8)
    private let finished = DispatchSemaphore(value: 0)
    static let batchSize = 512

    init(reader: any TableReader & Sendable, file: String, folder: URL, today: CalendarDate) {
        let queue = self.queue
        let finished = self.finished
        Thread.detachNewThread {
            defer {
                queue.finish()
                finished.signal()
            }
            do {
                try ParsedRowStream.produce(reader: reader, file: file, folder: folder, today: today, into: queue)
            } catch is BoundedQueue<Event>.Closed {
                // The consumer stopped early; nothing left to do.
            } catch {
                _ = try? queue.push(.failed(error))
            }
        }
    }

    private static func produce(reader: any TableReader & Sendable, file: String, folder: URL, today: CalendarDate,
                                into queue: BoundedQueue<Event>) throws {
        var parser: RowParser?
        var products: [ParsedRow<ProductDraft>] = []
        var orders: [ParsedRow<StampOrderDraft>] = []
        var stages: [ParsedRow<ProductionStageDraft>] = []
        var lastPosition = ReadPosition(bytesRead: 0, totalBytes: 0)
        try reader.forEachRow { row, position in
            if row.isBlank { return }
            lastPosition = position
            guard let parser else {
                let header = try HeaderMap(header: row, file: file)
                parser = RowParser(file: file, header: header, folder: folder, today: today)
                try queue.push(.header(header, row: row.number))
                return
            }
            switch parser.header.kind {
            case .catalog:
                products.append(parser.product(from: row))
                if products.count >= batchSize {
                    try queue.push(.products(products, position))
                    products.removeAll(keepingCapacity: true)
                }
            case .stampOrders:
                orders.append(parser.stampOrder(from: row))
                if orders.count >= batchSize {
                    try queue.push(.stampOrders(orders, position))
                    orders.removeAll(keepingCapacity: true)
                }
            case .diary:
                stages.append(parser.stage(from: row))
                if stages.count >= batchSize {
                    try queue.push(.stages(stages, position))
                    stages.removeAll(keepingCapacity: true)
                }
            case .shipments:
                // Read by ShipmentFileImporter, never streamed here.
                throw CatalogError.unknownKind(file: file)
            }
        }
        if !products.isEmpty { try queue.push(.products(products, lastPosition)) }
        if !orders.isEmpty { try queue.push(.stampOrders(orders, lastPosition)) }
        if !stages.isEmpty { try queue.push(.stages(stages, lastPosition)) }
    }

    /// The next event, or nil once every row has been delivered.
    func next() -> Event? {
        queue.pop()
    }

    /// Stops the reader (if it is still going) and waits for its thread to end.
    func stop() {
        queue.close()
        finished.wait()
    }
}
