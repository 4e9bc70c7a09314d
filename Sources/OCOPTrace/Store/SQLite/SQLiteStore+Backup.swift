import Foundation
import GRDB

extension SQLiteStore {
    /// Nothing to settle: SQLite marks no pages and ocoptrace keeps no statistics for its planner.
    public func settleAfterBulkWrites() async throws {}

    /// SQLite's online backup, from one read transaction: the copy and its counts are one moment
    /// of the registry, whatever other processes write meanwhile.
    public func backup(to file: URL) async throws -> RegistryBackup {
        try writeCopy(to: file)
    }

    /// The backup itself, on the caller's thread (GRDB's synchronous calls).
    private func writeCopy(to file: URL) throws -> RegistryBackup {
        let target = file.standardizedFileURL
        guard target.resolvingSymlinksInPath().path != URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path else {
            throw FileWriteError(path: file.relativePath, reason: "that is the registry itself: name another file")
        }
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent)-\(getpid())-\(UUID().uuidString).part").path
        let leftovers = [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal"]
        defer { for leftover in leftovers { unlink(leftover) } }
        try AtomicFileWriter.createFolder(target.deletingLastPathComponent())
        let copy: DatabaseQueue
        do {
            copy = try DatabaseQueue(path: temporary)
        } catch {
            throw FileWriteError(path: file.relativePath, reason: Self.reason(error))
        }
        let counts: (stamps: Int, products: Int)
        do {
            counts = try database.pool.read { db in
                let stamps = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamps") ?? 0
                let products = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM products") ?? 0
                try copy.writeWithoutTransaction { destination in try db.backup(to: destination) }
                return (stamps, products)
            }
            // The copy's header says WAL, like the registry's: fold any log in and leave none.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try copy.close()
        } catch let error as DatabaseError where ![.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
            // Not the copy's disk (full, unwritable): the registry could not be read.
            throw RegistryError.failed(operation: "be copied to \(file.relativePath)", reason: Self.reason(error))
        } catch {
            throw FileWriteError(path: file.relativePath, reason: Self.reason(error))
        }
        // On the disk before it has its name: a power cut never leaves a half copy called `file`.
        do {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            throw FileWriteError(path: file.relativePath, reason: Self.reason(error))
        }
        guard rename(temporary, target.path) == 0 else {
            throw FileWriteError(path: file.relativePath, reason: String(cString: strerror(errno)))
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value ?? 0
        return RegistryBackup(path: file.relativePath, bytes: bytes, stamps: counts.stamps, products: counts.products)
    }

    private static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
