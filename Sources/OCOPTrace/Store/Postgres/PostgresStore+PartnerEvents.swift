import Foundation
import PostgresNIO

/// Partner events on PostgreSQL: one transaction for a document's events.
extension PostgresStore {
    public func recordPartnerEvents(_ events: [PartnerEventWrite], job: JobStart, dryRun: Bool) async throws -> [PartnerEventOutcome] {
        do {
            return try await transaction("record partner events") { connection in
                let jobID = try await PostgresJobLog.start(connection, job, logger: logger)
                var outcomes: [PartnerEventOutcome] = []
                let now = Timestamp.now()
                func ids(_ query: PostgresQuery) async throws -> [Int64] {
                    try await connection.query(query, logger: logger).decodeAll(Int64.self)
                }
                for event in events {
                    if try await !ids(PostgresQuery(shared: Statements.partnerEventByKey, event.hash, event.eventID, event.eventID)).isEmpty {
                        outcomes.append(.duplicate)
                        continue
                    }
                    var links: [PartnerEventLink] = []
                    for item in event.stamps {
                        for id in try await ids(PostgresQuery(shared: Statements.partnerStamp, item.serial, item.gtin, item.productCode)) {
                            links.append(PartnerEventLink(stampID: id))
                        }
                    }
                    for carton in event.cartons {
                        for id in try await ids(PostgresQuery(shared: Statements.partnerCarton, carton)) {
                            links.append(PartnerEventLink(cartonID: id))
                        }
                    }
                    for lot in event.lots {
                        for id in try await ids(PostgresQuery(shared: Statements.partnerProduct, lot.gtin, lot.productCode)) {
                            links.append(PartnerEventLink(productID: id, lot: lot.lot))
                        }
                    }
                    links = links.uniqued()
                    guard !links.isEmpty else {
                        outcomes.append(.notOurs)
                        continue
                    }
                    let eventRowID = try await ids(PostgresQuery(shared: Statements.addPartnerEvent, event.hash, event.eventID, event.type,
                                                                 event.action, event.bizStep, event.disposition, event.eventTime,
                                                                 Int64(event.offsetMinutes), event.readPoint, event.bizLocation, event.gln,
                                                                 event.sourceGLN, event.destinationGLN, event.document, event.json, jobID, now))[0]
                    for link in links {
                        try await connection.query(PostgresQuery(shared: Statements.addPartnerEventLink, eventRowID, link.stampID, link.cartonID,
                                                                 link.productID, link.lot), logger: logger)
                    }
                    outcomes.append(.imported(links: links.count))
                }
                try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded, counts: PartnerEventOutcome.counts(outcomes),
                                                message: nil, logger: logger)
                if dryRun { throw PartnerEventsDryRun(outcomes: outcomes) }
                return outcomes
            }
        } catch let dry as PartnerEventsDryRun {
            return dry.outcomes
        }
    }

    public func partnerEvents(pageSize: Int) -> PagedSequence<StoredPartnerEvent, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.rows("list the partner events", PostgresQuery(shared: Statements.partnerEventsPage, after ?? 0, Int64(limit)),
                                as: StoredPartnerEvent.self)
        }
    }

    public func partnerEvents(productID: Int64, lot: String, serial: String?) async throws -> [StoredPartnerEvent] {
        try await rows("read the partner events of lot \(lot)", PostgresQuery(shared: Statements.partnerEventsOfStamp, serial, serial, productID, lot),
                       as: StoredPartnerEvent.self)
    }

    public func stampJourney(serial: String) async throws -> [JourneyEntry] {
        try await rows("read a stamp's own journey", PostgresQuery(shared: Statements.stampJourney, serial, serial, serial, serial, serial, serial),
                       as: JourneyEntry.self).sortedByTime()
    }
}
