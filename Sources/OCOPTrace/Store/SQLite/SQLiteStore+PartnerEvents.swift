import Foundation
import GRDB

extension StoredPartnerEvent: FetchableRecord {}

/// Partner events on SQLite: one write for a document's events.
extension SQLiteStore {
    public func recordPartnerEvents(_ events: [PartnerEventWrite], job: JobStart, dryRun: Bool) async throws -> [PartnerEventOutcome] {
        do {
            return try await write { db in
                let jobID = try JobLog.start(db, job)
                var outcomes: [PartnerEventOutcome] = []
                let now = Timestamp.now()
                for event in events {
                    if try Int64.fetchOne(db.cachedStatement(sql: Statements.partnerEventByKey),
                                          arguments: [event.hash, event.eventID, event.eventID]) != nil {
                        outcomes.append(.duplicate)
                        continue
                    }
                    var links: [PartnerEventLink] = []
                    for item in event.stamps {
                        for id in try Int64.fetchAll(db.cachedStatement(sql: Statements.partnerStamp), arguments: [item.serial, item.gtin, item.productCode]) {
                            links.append(PartnerEventLink(stampID: id))
                        }
                    }
                    for carton in event.cartons {
                        if let id = try Int64.fetchOne(db.cachedStatement(sql: Statements.partnerCarton), arguments: [carton]) {
                            links.append(PartnerEventLink(cartonID: id))
                        }
                    }
                    for lot in event.lots {
                        if let id = try Int64.fetchOne(db.cachedStatement(sql: Statements.partnerProduct), arguments: [lot.gtin, lot.productCode]) {
                            links.append(PartnerEventLink(productID: id, lot: lot.lot))
                        }
                    }
                    links = links.uniqued()
                    guard !links.isEmpty else {
                        outcomes.append(.notOurs)
                        continue
                    }
                    let eventRowID = try Int64.fetchOne(db.cachedStatement(sql: Statements.addPartnerEvent), arguments: [
                        event.hash, event.eventID, event.type, event.action, event.bizStep, event.disposition, event.eventTime,
                        event.offsetMinutes, event.readPoint, event.bizLocation, event.gln, event.sourceGLN, event.destinationGLN,
                        event.document, event.json, jobID, now,
                    ])!
                    for link in links {
                        try db.cachedStatement(sql: Statements.addPartnerEventLink)
                            .execute(arguments: [eventRowID, link.stampID, link.cartonID, link.productID, link.lot])
                    }
                    outcomes.append(.imported(links: links.count))
                }
                let counts = PartnerEventOutcome.counts(outcomes)
                try JobLog.finish(db, id: jobID, outcome: .succeeded, counts: counts, message: nil)
                if dryRun { throw PartnerEventsDryRun(outcomes: outcomes) }
                return outcomes
            }
        } catch let dry as PartnerEventsDryRun {
            return dry.outcomes
        }
    }

    public func partnerEvents(pageSize: Int) -> PagedSequence<StoredPartnerEvent, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.read { db in
                try StoredPartnerEvent.fetchAll(db.cachedStatement(sql: Statements.partnerEventsPage), arguments: [after ?? 0, limit])
            }
        }
    }

    public func partnerEvents(productID: Int64, lot: String, serial: String?) async throws -> [StoredPartnerEvent] {
        try await read { db in
            try StoredPartnerEvent.fetchAll(db.cachedStatement(sql: Statements.partnerEventsOfStamp), arguments: [serial, serial, productID, lot])
        }
    }

    public func stampJourney(serial: String) async throws -> [JourneyEntry] {
        try await read { db in
            try JourneyEntry.fetchAll(db.cachedStatement(sql: Statements.stampJourney), arguments: [serial, serial, serial, serial, serial, serial])
        }.sortedByTime()
    }
}
