import Foundation
import PostgresNIO

extension PostgresStore {
    /// The producers in scope, as PostgreSQL reads a JSON array of ids.
    static let reportScope = "p.producer_id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS JSON)))"

    public func reportProducers() async throws -> [ReportProducer] {
        try await rows("list the producers", PostgresQuery(shared: Statements.reportProducers), as: ReportProducer.self)
    }

    public func reportTallies(_ request: ReportRequest) async throws -> ReportTallies {
        let (from, before, threshold) = (request.lowerBound, request.upperBound, request.cloneThreshold)
        let scope = request.producerIDsJSON == nil ? nil : PostgresStore.reportScope
        let perDay: PostgresQuery
        let histories: PostgresQuery
        if let ids = request.producerIDsJSON {
            perDay = PostgresQuery(shared: Statements.reportScansPerDay(scope: scope), threshold, from, before, ids)
            histories = PostgresQuery(shared: Statements.reportStampHistories(scope: scope), from, before, threshold, threshold, ids, request.topCopies)
        } else {
            perDay = PostgresQuery(shared: Statements.reportScansPerDay(scope: nil), threshold, from, before)
            histories = PostgresQuery(shared: Statements.reportStampHistories(scope: nil), from, before, threshold, threshold, request.topCopies)
        }
        return try await transaction("count the report's figures") { connection in
            // One snapshot for every statement: the figures agree with each other.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            func all<T: Decodable>(_ query: PostgresQuery, _ type: T.Type) async throws -> [T] {
                try await connection.query(query, logger: logger).decodeAll(T.self)
            }
            let (scans, copies) = StampHistoryRow.split(try await all(histories, StampHistoryRow.self))
            return ReportTallies(
                products: try await all(PostgresQuery(shared: Statements.reportProducts), ProductTally.self),
                lots: try await all(PostgresQuery(shared: Statements.reportLots), LotTally.self),
                issued: try await all(PostgresQuery(shared: Statements.reportIssued), ProducerCount.self),
                issuedPerMonth: try await all(PostgresQuery(shared: Statements.reportIssuedPerMonth, from, before), MonthlyIssue.self),
                revoked: try await all(PostgresQuery(shared: Statements.reportRevoked, from, before), RevocationTally.self),
                scans: scans,
                scansPerDay: try await all(perDay, DailyScans.self),
                suspectedCopies: copies)
        }
    }
}
