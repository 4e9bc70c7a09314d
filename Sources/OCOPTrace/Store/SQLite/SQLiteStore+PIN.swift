import Foundation
import GRDB

/// PIN checks on SQLite: the check runs in GRDB's one writer (BEGIN IMMEDIATE across processes), so
/// no other check reads the stamp's PIN or the network's guesses between this one's read and write.
extension SQLiteStore {
    public func checkPIN(_ attempt: PINAttempt) async throws -> PINOutcome {
        try await write { db in
            let row = try StampPINRow.fetchOne(db.cachedStatement(sql: Statements.stampPIN), arguments: [
                attempt.network, attempt.windowStart, attempt.network, attempt.windowStart, attempt.windowStart, attempt.stampID])
            switch attempt.decide(row) {
            case .answer(let outcome):
                return outcome
            case .activate(let outcome):
                try db.cachedStatement(sql: Statements.activateStampPIN).execute(arguments: [
                    attempt.stampID, attempt.now, attempt.network, attempt.location])
                try db.cachedStatement(sql: Statements.recordActivationScan).execute(arguments: [
                    attempt.stampID, attempt.now, attempt.inspector, attempt.location, attempt.status.rawValue, attempt.channel.rawValue,
                    attempt.channel == .web ? attempt.network : nil])
                return outcome
            case .wrong(let outcome, let lockUntil):
                try db.cachedStatement(sql: Statements.recordWrongGuess).execute(arguments: [attempt.stampID, attempt.network, attempt.now])
                if let lockUntil {
                    try db.cachedStatement(sql: Statements.lockStampPIN).execute(arguments: [attempt.stampID, lockUntil])
                }
                return outcome
            }
        }
    }
}
