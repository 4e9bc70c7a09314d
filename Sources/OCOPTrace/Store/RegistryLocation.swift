import Foundation

/// Where a registry lives: an SQLite file (the default, no server) or a PostgreSQL database that
/// several machines share. `--db` and `OCOPTRACE_DB` take either: a `postgres://` URL names a
/// database, anything else a file.
public enum RegistryLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// The default location, used when neither `--db` nor `OCOPTRACE_DB` names another.
    public static let defaultPath = "output/registry.sqlite"

    /// An explicit location, else `OCOPTRACE_DB`, else ``defaultPath``.
    public static func resolve(_ explicit: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegistryLocation {
        if let explicit, !explicit.isEmpty { return try RegistryLocation(parsing: explicit) }
        if let fromEnvironment = environment["OCOPTRACE_DB"], !fromEnvironment.isEmpty {
            return try RegistryLocation(parsing: fromEnvironment)
        }
        return .sqlite(path: defaultPath)
    }

    public init(parsing text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The folder that reports and generated files go to by default: beside an SQLite file,
    /// `output/` for a server's database.
    public var outputFolder: URL {
        switch self {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres: URL(fileURLWithPath: "output")
        }
    }

    /// For messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}

/// A `postgres://user:password@host:port/database?sslmode=…` URL, as libpq and every PostgreSQL
/// tool write it.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw RegistryError.badLocation(text: PostgresURL.redacted(text), reason: "not a URL of the form postgres://user@host:5432/database")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw RegistryError.badLocation(text: PostgresURL.redacted(text), reason: "the URL names no database (postgres://user@host:5432/database)")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value ?? "" {
            case "disable": tls = .disable
            case "allow", "prefer": tls = .prefer
            case "require", "verify-ca", "verify-full": tls = .require
            default:
                throw RegistryError.badLocation(text: PostgresURL.redacted(text), reason: "unknown sslmode \(item.value ?? "")")
            }
        }
        let user = components.user?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres"
        self.init(user: user, password: components.password?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["PGPASSWORD"],
                  host: host, port: components.port ?? 5432, database: database, tls: tls)
    }

    /// The same server, another database (tests make one per test).
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL with its password, to pass on to another process.
    public var text: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        if tls != .prefer { components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)] }
        return components.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// Never prints the password.
    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}
