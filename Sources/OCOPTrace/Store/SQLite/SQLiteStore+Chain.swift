import Foundation
import GRDB

extension StoredProductionStage: FetchableRecord {}
extension JourneyEntry: FetchableRecord {}
extension LotStageSummary: FetchableRecord {}
extension CartonMember: FetchableRecord {}

extension SQLiteStore {
    public func productionStages(productID: Int64, lot: String) async throws -> [StoredProductionStage] {
        try await read { db in
            try StoredProductionStage.fetchAll(db.cachedStatement(sql: Statements.stagesOfLot), arguments: [productID, lot])
        }
    }

    public func productionStages(pageSize: Int) -> PagedSequence<StoredProductionStage, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.read { db in
                try StoredProductionStage.fetchAll(db.cachedStatement(sql: StoredProductionStage.selection + " WHERE s.id > ? ORDER BY s.id LIMIT ?"),
                                                   arguments: [after ?? 0, limit])
            }
        }
    }

    public func lotStageSummaries() async throws -> [LotStageSummary] {
        try await read { db in
            try LotStageSummary.fetchAll(db, sql: Statements.lotStageSummaries)
        }.sorted { ($0.productID, $0.lot) < ($1.productID, $1.lot) }
    }

    public func journey(productID: Int64, lot: String, serial: String?) async throws -> [JourneyEntry] {
        try await read { db in
            try JourneyEntry.fetchAll(db.cachedStatement(sql: Statements.journey), arguments: [productID, lot, serial, serial, productID, lot, serial, productID, lot,
                                                                                                              serial, productID, lot])
        }.sortedByTime()
    }

    public func cartonMembers(batchID: Int64) async throws -> [CartonMember] {
        try await read { db in
            try CartonMember.fetchAll(db.cachedStatement(sql: Statements.cartonMembers), arguments: [batchID])
        }
    }

    public func hasStampJourneys() async throws -> Bool {
        try await read { db in try Int.fetchOne(db.cachedStatement(sql: Statements.hasStampJourneys)) == 1 }
    }
}
