import Foundation
import GRDB

/// The SQLite database behind ``SQLiteStore``: the GRDB pool and the schema.
///
/// WAL mode lets inspectors read while an import or issue job writes; foreign keys are on; a busy
/// timeout lets two jobs on one registry wait for each other instead of failing.
final class Registry: Sendable {
    let path: String
    let pool: DatabasePool

    /// Opens the registry for reading and writing, creating it (and its folder) and bringing its
    /// schema up to date. A registry that a newer ocoptrace has migrated further is refused: this
    /// binary would write into a schema it does not know.
    init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: Registry.configuration(readOnly: false))
            try Registry.refuseNewerSchema(pool, path: path)
            try Registry.migrator.migrate(pool)
            // Scans a killed server had made durable in its journal, and not yet written here. A
            // journal that cannot be written now (a full disk) stays for the next opening.
            do {
                try SQLiteScanJournal.recoverAbandoned(registryPath: path, pool: pool)
            } catch {
                FileHandle.standardError.write(Data("warning: the registry \(path): scans in its scan journal could not be written yet (\(error)); they stay in the journal for the next command\n".utf8))
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.cannotOpen(location: path, reason: "\(error)")
        }
    }

    /// Opens an existing registry read-only: listing and offline checks never change it.
    init(readOnlyPath path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.missing(location: path)
        }
        do {
            pool = try DatabasePool(path: path, configuration: Registry.configuration(readOnly: true))
            try Registry.refuseNewerSchema(pool, path: path)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.cannotOpen(location: path, reason: "\(error)")
        }
    }

    /// Throws when the registry has migrations this binary does not know.
    private static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        if try pool.read({ try Registry.migrator.hasBeenSuperseded($0) }) {
            throw RegistryError.newerSchema(location: path)
        }
    }

    private static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.label = "ocoptrace.registry"
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Serials are random, so each chunk of stamps lands on thousands of leaf pages of
                // the serial index, spread over the whole registry. The writer's page cache (128 MiB
                // at most, SQLite's default is 2 MiB; allocated only as used) keeps the index's upper
                // levels and recent leaves; a checkpoint every 128 MiB of log instead of every 4 MiB
                // writes a leaf that several chunks changed into the file once, not once per chunk.
                // Close checkpoints whatever is left (see close()).
                try db.execute(sql: "PRAGMA cache_size = -131072")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 32768")
            }
        }
        return configuration
    }

    /// Folds the write-ahead log into the registry file and closes every connection, so that the
    /// `.sqlite` file alone holds everything (a copy of it is the whole registry). Returns why not,
    /// when it could not; what was committed is safe either way (the `-wal` file holds it, and the
    /// next command that opens the registry folds it in).
    ///
    /// GRDB's `close()` closes the writer first and the readers after it; a reader, read-only,
    /// cannot checkpoint, so when it is the last connection SQLite leaves the log as it is. The
    /// idle readers go first here, the writer checkpoints (TRUNCATE: the log is emptied) and closes
    /// last, and SQLite removes the log when no other process has the registry open.
    func close() -> String? {
        var problem: String?
        if !pool.configuration.readonly {
            pool.releaseMemory()
            do {
                let busy = try pool.writeWithoutTransaction { db in
                    try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? 0
                }
                if busy != 0 {
                    problem = "its write-ahead log could not be folded into \(path): another process was reading or writing it"
                }
            } catch {
                problem = "its write-ahead log could not be folded into \(path): \(error)"
            }
        }
        do {
            try pool.close()
        } catch {
            problem = "it could not be closed: \(error)"
        }
        return problem.map { "the registry \(path): \($0); nothing is lost (\(path)-wal holds it until the next command opens the registry)" }
    }

    /// Runs `body` in one write transaction: everything it writes lands together or not at all.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Runs `body` with no transaction around it (see ``SQLiteStore``'s `readStatements`).
    func readStatements<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(body)
    }
}
