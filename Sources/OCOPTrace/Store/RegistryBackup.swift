import Foundation

/// A copy of the registry that `ocoptrace backup` wrote: one self-contained SQLite file.
public struct RegistryBackup: Sendable, Codable {
    /// Where the copy is.
    public var path: String
    /// Its size.
    public var bytes: Int64
    /// What it holds, counted in the same read as the copy.
    public var stamps: Int
    public var products: Int

    public init(path: String, bytes: Int64, stamps: Int, products: Int) {
        self.path = path
        self.bytes = bytes
        self.stamps = stamps
        self.products = products
    }
}

extension PostgresURL {
    /// The `pg_dump` command line that backs up this database to `file`, for the message that
    /// tells a PostgreSQL user to use it. The password is never in it: pg_dump asks for it, or
    /// reads `PGPASSWORD` or `~/.pgpass`.
    public func pgDumpCommand(to file: String) -> String {
        var withoutPassword = self
        withoutPassword.password = nil
        return ["pg_dump", "--format=custom", "--file=" + file, withoutPassword.text].map(Self.shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_=./:@,+".unicodeScalars.contains($0)) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
