import Foundation
import GRDB

extension ReportProducer: FetchableRecord {}
extension ProductTally: FetchableRecord {}
extension LotTally: FetchableRecord {}
extension ProducerCount: FetchableRecord {}
extension MonthlyIssue: FetchableRecord {}
extension RevocationTally: FetchableRecord {}
extension StampHistoryRow: FetchableRecord {}
extension MonthlyChainCount: FetchableRecord {}

extension SQLiteStore {
    /// The producers in scope, as SQLite reads a JSON array of ids.
    static let reportScope = "p.producer_id IN (SELECT value FROM json_each(?))"

    public func reportProducers() async throws -> [ReportProducer] {
        try await read { db in try ReportProducer.fetchAll(db, sql: Statements.reportProducers) }
    }

    public func reportTallies(_ request: ReportRequest) async throws -> ReportTallies {
        try await read { db in
            let (from, before, threshold) = (request.lowerBound, request.upperBound, request.cloneThreshold)
            let ids = request.producerIDsJSON
            let scope = ids == nil ? nil : SQLiteStore.reportScope
            var scanFigures: StatementArguments = [from, before, threshold]
            if let ids { scanFigures += [ids] }
            scanFigures += [request.topCopies, from, before]
            if let ids { scanFigures += [ids] }
            let (scans, copies, days) = StampHistoryRow.split(try StampHistoryRow.fetchAll(
                db, sql: Statements.reportScanFigures(scope: scope), arguments: scanFigures))
            return ReportTallies(
                products: try ProductTally.fetchAll(db, sql: Statements.reportProducts),
                lots: try LotTally.fetchAll(db, sql: Statements.reportLots),
                issued: try ProducerCount.fetchAll(db, sql: Statements.reportIssued),
                issuedPerMonth: try MonthlyIssue.fetchAll(db, sql: Statements.reportIssuedPerMonth, arguments: [from, before]),
                revoked: try RevocationTally.fetchAll(db, sql: Statements.reportRevoked, arguments: [from, before]),
                scans: scans,
                scansPerDay: days,
                suspectedCopies: copies,
                chainPerMonth: try MonthlyChainCount.fetchAll(db, sql: Statements.reportChainPerMonth,
                                                              arguments: [from, before, from, before, from, before, from, before]))
        }
    }
}
