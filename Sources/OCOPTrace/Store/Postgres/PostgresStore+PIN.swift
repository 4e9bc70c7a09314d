import Foundation
import PostgresNIO

/// PIN checks on PostgreSQL, safe across several `serve` processes: the stamp's PIN row is held
/// (`FOR UPDATE`) and the network's guesses are serialised by a transaction-scoped advisory lock on
/// the network's hash, so two checks never both read a count below a limit and both pass it.
extension PostgresStore {
    public func checkPIN(_ attempt: PINAttempt) async throws -> PINOutcome {
        try await limited("check a PIN") { [self] in
            try await transaction("check a PIN") { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(attempt.network), 24))", logger: logger)
                let row = try await connection.query(PostgresQuery(shared: Statements.stampPIN + " FOR UPDATE", attempt.stampID),
                                                     logger: logger).decodeAll(StampPINRow.self).first
                let network = try await connection.query(PostgresQuery(shared: Statements.networkWrongGuesses, attempt.network,
                                                                       attempt.windowStart), logger: logger).decodeAll(PINNetworkCount.self).first
                let stampWrong = try await connection.query(PostgresQuery(shared: Statements.stampWrongGuesses, attempt.stampID,
                                                                          attempt.windowStart), logger: logger).decodeAll(Int.self).first ?? 0
                switch attempt.decide(row, networkWrong: network?.count ?? 0, networkOldest: network?.oldest, stampWrong: stampWrong) {
                case .answer(let outcome):
                    return outcome
                case .activate(let outcome):
                    try await connection.query(PostgresQuery(shared: Statements.activateStampPIN, attempt.now, attempt.network,
                                                             attempt.location, attempt.stampID), logger: logger)
                    try await connection.query(PostgresQuery(shared: Statements.recordActivationScan, attempt.stampID, attempt.now,
                                                             attempt.inspector, attempt.location, attempt.status.rawValue,
                                                             attempt.channel.rawValue, attempt.channel == .web ? attempt.network : nil),
                                               logger: logger)
                    return outcome
                case .wrong(let outcome, let lockUntil):
                    try await connection.query(PostgresQuery(shared: Statements.recordWrongGuess, attempt.stampID, attempt.network, attempt.now),
                                               logger: logger)
                    if let lockUntil {
                        try await connection.query(PostgresQuery(shared: Statements.lockStampPIN, lockUntil, attempt.stampID), logger: logger)
                    }
                    return outcome
                }
            }
        }
    }
}
