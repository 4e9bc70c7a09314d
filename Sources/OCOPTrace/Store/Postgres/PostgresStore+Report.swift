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
        let scanFigures = if let ids = request.producerIDsJSON {
            PostgresQuery(shared: Statements.reportScanFigures(scope: scope), from, before, threshold, ids,
                          request.topCopies, from, before, ids)
        } else {
            PostgresQuery(shared: Statements.reportScanFigures(scope: nil), from, before, threshold, request.topCopies,
                          from, before)
        }
        return try await transaction("count the report's figures") { connection in
            // One snapshot for every statement: the figures agree with each other.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            // JIT compiling these few aggregates costs more (seconds, on a million scans) than it saves.
            try await connection.query("SET LOCAL jit = off", logger: logger)
            func all<T: Decodable>(_ query: PostgresQuery, _ type: T.Type) async throws -> [T] {
                try await connection.query(query, logger: logger).decodeAll(T.self)
            }
            let (scans, copies, days) = StampHistoryRow.split(try await all(scanFigures, StampHistoryRow.self))
            return ReportTallies(
                products: try await all(PostgresQuery(shared: Statements.reportProducts), ProductTally.self),
                lots: try await all(PostgresQuery(shared: Statements.reportLots), LotTally.self),
                issued: try await all(PostgresQuery(shared: Statements.reportIssued), ProducerCount.self),
                issuedPerMonth: try await all(PostgresQuery(shared: Statements.reportIssuedPerMonth, from, before), MonthlyIssue.self),
                revoked: try await all(PostgresQuery(shared: Statements.reportRevoked, from, before), RevocationTally.self),
                scans: scans,
                scansPerDay: days,
                suspectedCopies: copies,
                chainPerMonth: try await all(PostgresQuery(shared: Statements.reportChainPerMonth, from, before, from, before, from, before,
                                                           from, before), MonthlyChainCount.self))
        }
    }
}
