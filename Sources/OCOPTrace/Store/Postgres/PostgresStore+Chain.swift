import Foundation
import PostgresNIO

extension PostgresStore {
    public func productionStages(productID: Int64, lot: String) async throws -> [StoredProductionStage] {
        try await rows("read the stages of lot \(lot)", PostgresQuery(shared: Statements.stagesOfLot, productID, lot), as: StoredProductionStage.self)
    }

    public func productionStages(pageSize: Int) -> PagedSequence<StoredProductionStage, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.rows("list the production stages",
                                PostgresQuery(shared: StoredProductionStage.selection + " WHERE s.id > ? ORDER BY s.id LIMIT ?", after ?? 0, limit),
                                as: StoredProductionStage.self)
        }
    }

    public func lotStageSummaries() async throws -> [LotStageSummary] {
        try await rows("list the lots and their stages", PostgresQuery(shared: Statements.lotStageSummaries), as: LotStageSummary.self)
            .sorted { ($0.productID, $0.lot) < ($1.productID, $1.lot) }
    }

    public func journey(productID: Int64, lot: String, serial: String?) async throws -> [JourneyEntry] {
        try await rows("read the journey of lot \(lot)", PostgresQuery(shared: Statements.journey, productID, lot, serial, serial, productID, lot, serial, productID, lot,
                                                                 serial, productID, lot), as: JourneyEntry.self)
            .sortedByTime()
    }

    public func cartonMembers(batchID: Int64) async throws -> [CartonMember] {
        try await rows("list the stamps in the cartons of batch \(batchID)", PostgresQuery(shared: Statements.cartonMembers, batchID),
                       as: CartonMember.self)
    }

    public func hasStampJourneys() async throws -> Bool {
        try await rows("look for stamps' own journeys", PostgresQuery(shared: Statements.hasStampJourneys), as: Int.self).first == 1
    }
}
