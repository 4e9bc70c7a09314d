import Foundation
import GRDB

extension ReportProducer: FetchableRecord {}
extension ProductTally: FetchableRecord {}
extension LotTally: FetchableRecord {}
extension ProducerCount: FetchableRecord {}
extension MonthlyIssue: FetchableRecord {}
extension RevocationTally: FetchableRecord {}
extension ScanTally: FetchableRecord {}
extension DailyScans: FetchableRecord {}
extension SuspectedCopy: FetchableRecord {}

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
            var perDay: StatementArguments = [threshold, from, before]
            var copies: StatementArguments = [from, before, threshold]
            if let ids {
                perDay += [ids]
                copies += [ids]
            }
            copies += [request.topCopies]
            return ReportTallies(
                products: try ProductTally.fetchAll(db, sql: Statements.reportProducts),
                lots: try LotTally.fetchAll(db, sql: Statements.reportLots),
                issued: try ProducerCount.fetchAll(db, sql: Statements.reportIssued),
                issuedPerMonth: try MonthlyIssue.fetchAll(db, sql: Statements.reportIssuedPerMonth, arguments: [from, before]),
                revoked: try RevocationTally.fetchAll(db, sql: Statements.reportRevoked, arguments: [from, before]),
                scans: try ScanTally.fetchAll(db, sql: Statements.reportScans, arguments: [threshold, from, before]),
                scansPerDay: try DailyScans.fetchAll(db, sql: Statements.reportScansPerDay(scope: scope), arguments: perDay),
                suspectedCopies: try SuspectedCopy.fetchAll(db, sql: Statements.reportSuspectedCopies(scope: scope), arguments: copies))
        }
    }
}
