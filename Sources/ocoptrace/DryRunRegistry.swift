import Foundation
import OCOPTrace

/// Where `import --dry-run` checks its files: a registry it may write and then throw away, so that
/// the real one is never touched. An import checks a row by writing it in a transaction that it
/// rolls back; even that would create a registry where there is none, put a `-wal` and `-shm`
/// beside an SQLite file, or bring an older schema up to date.
///
/// - No registry yet (either engine): an empty SQLite registry in a temporary folder, which answers
///   exactly as the new registry would.
/// - An SQLite registry: a copy of it in a temporary folder (SQLite's backup when another process
///   has it open, else the file itself).
/// - A PostgreSQL registry: the registry itself; the import's transaction is rolled back, and the
///   server keeps nothing of it.
enum DryRunRegistry {
    static func with<T>(_ location: RegistryLocation, _ body: (any RegistryStore) async throws -> T) async throws -> T {
        switch location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return try await scratch(copying: nil, body) }
            return try await scratch(copying: path, body)
        case .postgres:
            do {
                // Read-only first: a database without a registry gets none.
                try await RegistryStores.with(location, access: .readOnly) { _ in }
            } catch RegistryError.missing {
                return try await scratch(copying: nil, body)
            }
            return try await RegistryStores.with(location, access: .readWrite, body)
        }
    }

    /// Runs `body` on a registry in a temporary folder, empty or a copy of `original`, and removes it.
    private static func scratch<T>(copying original: String?, _ body: (any RegistryStore) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-dry-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("registry.sqlite").path
        if let original { try await SQLiteCopy.make(of: original, at: copy) }
        do {
            return try await RegistryStores.with(.sqlite(path: copy), access: .readWrite, body)
        } catch let error as RegistryError {
            // A copy that cannot be opened is the registry that cannot be: name that one.
            guard let original else { throw error }
            switch error {
            case .newerSchema(location: copy): throw RegistryError.newerSchema(location: original)
            case .cannotOpen(location: copy, let reason): throw RegistryError.cannotOpen(location: original, reason: reason)
            default: throw error
            }
        }
    }

    private enum SQLiteCopy {
        /// A consistent copy of the registry at `path`, changing nothing beside it.
        static func make(of path: String, at copy: String) async throws {
            // With no write-ahead log beside it, no process has the registry open: the file is all
            // of it, and a plain copy creates no -wal or -shm. If a writer opened it meanwhile, the
            // copy may be torn: SQLite's backup then makes it instead.
            if !hasLog(path) {
                let before = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
                try copyFile(path, to: copy)
                let after = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
                if !hasLog(path), before == after { return }
                try? FileManager.default.removeItem(atPath: copy)
            }
            _ = try await RegistryStores.with(.sqlite(path: path), access: .readOnly) { store in
                try await store.backup(to: URL(fileURLWithPath: copy))
            }
        }

        private static func hasLog(_ path: String) -> Bool {
            FileManager.default.fileExists(atPath: path + "-wal")
        }

        private static func copyFile(_ path: String, to copy: String) throws {
            do {
                try FileManager.default.copyItem(atPath: path, toPath: copy)
            } catch {
                throw RegistryError.cannotOpen(location: path, reason: (error as NSError).localizedDescription)
            }
        }
    }
}
