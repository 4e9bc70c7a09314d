import Foundation
import GRDB
import Synchronization

/// The verification page's scans, made durable by one append to a file beside the registry
/// (`registry.sqlite-scans-{generation}`) and written into the registry in large transactions.
///
/// Why: a page is answered only once its scan would survive a crash of the server (`kill -9`).
/// Committing each group of scans to SQLite does that, but every commit rewrites an index page per
/// scan (a stamp's entries sit on their own page) and empties every reader's page cache, and under
/// load the pages paid for it with a third of their speed. One `write()` to this file is as durable
/// against a crash of the process (the kernel holds it, as it holds an SQLite commit made with
/// `synchronous = NORMAL`), costs a few microseconds for the whole group, and lets the registry take
/// the scans a thousand at a time.
///
/// Each file is one generation: ``seal()`` starts a new file, and applying the sealed one writes its
/// scans and its name (in `applied_scan_journals`) in one transaction, then removes the file. A file
/// whose name the registry holds was written already; any other file left behind (by a server that
/// was killed) is written by the next process that opens the registry for writing
/// (``recoverAbandoned(registryPath:pool:)``). The server holds an exclusive `flock` on its file, so
/// that a command run beside it leaves the file to its owner.
final class SQLiteScanJournal: WebScanJournal {
    fileprivate struct Generation: Sendable {
        var name: String
        var path: String
        var descriptor: Int32
        /// Scans appended to this generation's file and not yet in the registry.
        var scans: [WebScan] = []
        /// The file's length after the last whole append.
        var length: off_t
    }

    private struct State {
        /// The generation appends go to.
        var current: Generation?
        /// Sealed generations whose apply failed: the next seal takes them again.
        var unapplied: [Generation] = []
        /// Generations written into the registry whose files are gone: their names are deleted from
        /// the registry at the next apply.
        var forgettable: [String] = []
    }

    private let registryPath: String
    fileprivate let pool: DatabasePool
    private let state: Mutex<State>

    static let header = "ocoptrace scan journal 1\n"

    init(registryPath: String, pool: DatabasePool) throws {
        self.registryPath = registryPath
        self.pool = pool
        state = Mutex(State(current: try Self.newGeneration(registryPath: registryPath)))
    }

    deinit { close() }

    /// The file-name prefix of the journals of the registry at `registryPath`.
    static func prefix(registryPath: String) -> String { registryPath + "-scans-" }

    private static func newGeneration(registryPath: String) throws -> Generation {
        let name = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let path = prefix(registryPath: registryPath) + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(path, "cannot create it") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = failure(path, "cannot lock it")
            Glibc.close(descriptor)
            throw error
        }
        let header = Array(SQLiteScanJournal.header.utf8)
        guard write(descriptor, header, header.count) == header.count else {
            let error = RegistryError.noSpace(location: path, reason: String(cString: strerror(errno)))
            Glibc.close(descriptor)
            unlink(path)
            throw error
        }
        return Generation(name: name, path: path, descriptor: descriptor, length: off_t(header.count))
    }

    private static func failure(_ path: String, _ what: String) -> RegistryError {
        RegistryError.cannotOpen(location: path, reason: "the scan journal: \(what) (\(String(cString: strerror(errno))))")
    }

    /// One line per scan; every field is digits, a timestamp, hex or a status word: no tab, no newline.
    static func line(_ scan: WebScan) -> String {
        "\(scan.stampID)\t\(scan.scannedAt)\t\(scan.network)\t\(scan.status.rawValue)\n"
    }

    static func scan(line: Substring) -> WebScan? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 4, let stampID = Int64(fields[0]), let status = VerificationStatus(rawValue: String(fields[3])) else { return nil }
        return WebScan(stampID: stampID, scannedAt: String(fields[1]), network: String(fields[2]), status: status)
    }

    func append(_ scans: [WebScan]) throws {
        guard !scans.isEmpty else { return }
        var text = ""
        text.reserveCapacity(scans.count * 64)
        for scan in scans { text += Self.line(scan) }
        let bytes = text.utf8.count
        try state.withLock { state in
            // In place: a copy of the generation would copy its scans at every append.
            guard state.current != nil else { throw RegistryError.cannotOpen(location: registryPath, reason: "the scan journal is closed") }
            let written = text.withCString { write(state.current!.descriptor, $0, bytes) }
            guard written == bytes else {
                // A short write (a full disk) leaves part of a line: the file is cut back to its last whole append.
                let reason = written < 0 ? String(cString: strerror(errno)) : "the disk took \(written) of \(bytes) bytes"
                _ = ftruncate(state.current!.descriptor, state.current!.length)
                throw RegistryError.noSpace(location: state.current!.path, reason: reason)
            }
            state.current!.length += off_t(written)
            state.current!.scans.append(contentsOf: scans)
        }
    }

    func seal() throws -> (any SealedScanJournal)? {
        try state.withLock { state in
            guard let open = state.current else { return nil }
            var generations = state.unapplied
            if !open.scans.isEmpty {
                state.current = try Self.newGeneration(registryPath: registryPath)
                generations.append(open)
            }
            guard !generations.isEmpty else { return nil }
            state.unapplied = []
            return Sealed(journal: self, generations: generations, forgettable: state.forgettable)
        }
    }

    fileprivate func applied(_ sealed: Sealed) {
        for generation in sealed.generations {
            unlink(generation.path)
            Glibc.close(generation.descriptor)
        }
        state.withLock { state in
            state.forgettable.removeAll { sealed.forgettable.contains($0) }
            state.forgettable += sealed.generations.map(\.name)
        }
    }

    fileprivate func notApplied(_ sealed: Sealed) {
        state.withLock { state in state.unapplied = sealed.generations + state.unapplied }
    }

    /// Closes the files (their scans stay in them for the next start when they were not applied).
    func close() {
        state.withLock { state in
            for generation in state.unapplied { Glibc.close(generation.descriptor) }
            state.unapplied = []
            guard let open = state.current else { return }
            if open.scans.isEmpty { unlink(open.path) }
            Glibc.close(open.descriptor)
            state.current = nil
        }
    }

    /// Writes into the registry the journals that a server left behind (killed before it could
    /// write them), and removes them; a journal still locked by a running server is its own.
    /// Returns how many scans were written.
    @discardableResult
    static func recoverAbandoned(registryPath: String, pool: DatabasePool) throws -> Int {
        let prefix = prefix(registryPath: registryPath)
        let folder = URL(fileURLWithPath: registryPath).deletingLastPathComponent().path
        let start = URL(fileURLWithPath: prefix).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasPrefix(start) }), !names.isEmpty else {
            return 0
        }
        var recovered = 0
        for name in names.sorted() {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            let generation = String(name.dropFirst(start.count))
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { Glibc.close(descriptor) }
            // Locked: a running server's journal.
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
                  text.hasPrefix(header) else {
                continue
            }
            // A last line without its newline was cut off by a crash of the machine: it was never whole.
            let lines = text.dropFirst(header.count).split(separator: "\n", omittingEmptySubsequences: true)
            let whole = text.hasSuffix("\n") ? lines[...] : lines.dropLast()
            let scans = whole.compactMap(scan(line:))
            // The scans and the generation's name in one transaction; the file goes after it, and
            // the name after the file: a crash anywhere between leaves nothing written twice.
            recovered += try pool.write { db in
                let applied = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM applied_scan_journals WHERE generation = ?)",
                                                arguments: [generation]) ?? false
                guard !applied else { return 0 }
                // Scans of stamps this registry does not hold (a journal copied from another) are left out.
                let known = try Set(Int64.fetchAll(db, sql: "SELECT id FROM stamps WHERE id IN (\(Set(scans.map(\.stampID)).map(String.init).joined(separator: ",")))"))
                let kept = scans.filter { known.contains($0.stampID) }
                try record(db, kept, from: [generation])
                return kept.count
            }
            unlink(path)
            try pool.write { db in try record(db, [], from: [], forgetting: [generation]) }
        }
        return recovered
    }

    /// Writes `scans` with the names of the journals they came from, and forgets the names of
    /// journals whose files are gone (no crash can bring those back).
    fileprivate static func record(_ db: Database, _ scans: [WebScan], from names: [String], forgetting forgettable: [String] = []) throws {
        try SQLiteStore.insertWebScans(db, scans)
        for name in names {
            try db.execute(sql: "INSERT INTO applied_scan_journals (generation) VALUES (?)", arguments: [name])
        }
        for name in forgettable {
            try db.execute(sql: "DELETE FROM applied_scan_journals WHERE generation = ?", arguments: [name])
        }
    }
}

/// Generations of a ``SQLiteScanJournal`` sealed for one transaction.
private struct Sealed: SealedScanJournal {
    let journal: SQLiteScanJournal
    let generations: [SQLiteScanJournal.Generation]
    /// Names of generations applied and removed before: no crash can bring their files back.
    let forgettable: [String]

    var scans: [WebScan] { generations.flatMap(\.scans) }

    func apply() async throws {
        let scans = scans
        let names = generations.map(\.name)
        let forgettable = forgettable
        do {
            try await journal.pool.write { db in try SQLiteScanJournal.record(db, scans, from: names, forgetting: forgettable) }
        } catch {
            journal.notApplied(self)
            throw error
        }
        journal.applied(self)
    }
}
