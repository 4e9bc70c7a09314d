import GRDB

extension Registry {
    /// The schema's migrations (``RegistryMigration``) as GRDB runs them, recorded in `grdb_migrations`.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in RegistryMigration.all {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sqlite) }
        }
        return migrator
    }()
}
