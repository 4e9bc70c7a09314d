import Foundation
import PostgresNIO

/// PIN checks on PostgreSQL, safe across several `serve` processes: the checks of one stamp and of
/// one client network run one after another (``Statements/holdPINChecks``).
extension PostgresStore {
    public func checkPIN(_ attempt: PINAttempt) async throws -> PINOutcome {
        try await limited("check a PIN") { [self] in
            try await transaction("check a PIN") { connection in
                try await connection.query(PostgresQuery(shared: Statements.holdPINChecks, attempt.network, attempt.stampID), logger: logger)
                let row = try await connection.query(PostgresQuery(shared: Statements.stampPIN, attempt.network, attempt.windowStart,
                                                                   attempt.network, attempt.windowStart, attempt.windowStart,
                                                                   attempt.stampID), logger: logger).decodeAll(StampPINRow.self).first
                switch attempt.decide(row) {
                case .answer(let outcome):
                    return outcome
                case .activate(let outcome):
                    try await connection.query(PostgresQuery(shared: Statements.activateStampPIN, attempt.stampID, attempt.now,
                                                             attempt.network, attempt.location), logger: logger)
                    try await connection.query(PostgresQuery(shared: Statements.recordActivationScan, attempt.stampID, attempt.now,
                                                             attempt.inspector, attempt.location, attempt.status.rawValue,
                                                             attempt.channel.rawValue, attempt.channel == .web ? attempt.network : nil),
                                               logger: logger)
                    return outcome
                case .wrong(let outcome, let lockUntil):
                    try await connection.query(PostgresQuery(shared: Statements.recordWrongGuess, attempt.stampID, attempt.network, attempt.now),
                                               logger: logger)
                    if let lockUntil {
                        try await connection.query(PostgresQuery(shared: Statements.lockStampPIN, attempt.stampID, lockUntil), logger: logger)
                    }
                    return outcome
                }
            }
        }
    }
}
