import GRDB

extension Registry {
    /// The schema, one migration per released change. A released migration is never edited:
    /// later changes are new migrations appended here.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: producers, products, stamp orders, jobs") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    file TEXT,
                    checksum TEXT,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'partial', 'rejected', 'failed')),
                    rows_read INTEGER NOT NULL DEFAULT 0,
                    inserted INTEGER NOT NULL DEFAULT 0,
                    updated INTEGER NOT NULL DEFAULT 0,
                    unchanged INTEGER NOT NULL DEFAULT 0,
                    invalid INTEGER NOT NULL DEFAULT 0,
                    message TEXT
                );
                CREATE INDEX jobs_by_checksum ON jobs(checksum);

                CREATE TABLE producers (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    identity_key TEXT NOT NULL UNIQUE,
                    type TEXT CHECK (type IN ('cooperative', 'company', 'cooperative_group', 'household')),
                    tax_id TEXT,
                    commune TEXT,
                    district TEXT,
                    province TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );

                CREATE TABLE products (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    producer_id INTEGER NOT NULL REFERENCES producers(id) ON DELETE RESTRICT,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    gtin TEXT UNIQUE CHECK (gtin IS NULL OR length(gtin) = 14),
                    ocop_group INTEGER CHECK (ocop_group BETWEEN 1 AND 6),
                    ocop_stars INTEGER CHECK (ocop_stars BETWEEN 3 AND 5),
                    ocop_decision TEXT,
                    ocop_recognized_on TEXT,
                    price_vnd INTEGER NOT NULL CHECK (price_vnd > 0),
                    unit TEXT,
                    weight_g INTEGER CHECK (weight_g > 0),
                    shelf_life_days INTEGER CHECK (shelf_life_days > 0),
                    description TEXT,
                    images TEXT NOT NULL DEFAULT '[]',
                    stock INTEGER CHECK (stock >= 0),
                    fingerprint TEXT NOT NULL,
                    job_id INTEGER REFERENCES jobs(id),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    UNIQUE (producer_id, code)
                );
                CREATE INDEX products_by_code ON products(code);

                CREATE TABLE stamp_orders (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE RESTRICT,
                    lot TEXT NOT NULL,
                    lot_label TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    produced_on TEXT NOT NULL,
                    expires_on TEXT,
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'issuing', 'issued')),
                    job_id INTEGER REFERENCES jobs(id),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    UNIQUE (product_id, lot),
                    CHECK (expires_on IS NULL OR expires_on >= produced_on)
                );
                """)
        }
        migrator.registerMigration("v2: signing keys, stamp batches, stamps") { db in
            try db.execute(sql: """
                CREATE TABLE signing_keys (
                    key_id TEXT PRIMARY KEY,
                    public_key TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    retired_at TEXT
                );

                CREATE TABLE stamp_batches (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE RESTRICT,
                    order_id INTEGER REFERENCES stamp_orders(id),
                    lot TEXT NOT NULL,
                    lot_label TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    produced_on TEXT,
                    expires_on TEXT,
                    resolver TEXT NOT NULL,
                    key_id TEXT REFERENCES signing_keys(key_id),
                    status TEXT NOT NULL CHECK (status IN ('issuing', 'issued')),
                    folder TEXT NOT NULL,
                    job_id INTEGER REFERENCES jobs(id),
                    created_at TEXT NOT NULL,
                    completed_at TEXT,
                    UNIQUE (product_id, lot)
                );

                CREATE TABLE stamps (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    batch_id INTEGER NOT NULL REFERENCES stamp_batches(id) ON DELETE RESTRICT,
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    serial TEXT NOT NULL UNIQUE,
                    signature TEXT,
                    UNIQUE (batch_id, sequence)
                );

                ALTER TABLE products ADD COLUMN embed_signature INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v3: revocations and scans") { db in
            try db.execute(sql: """
                CREATE TABLE revocations (
                    stamp_id INTEGER PRIMARY KEY REFERENCES stamps(id) ON DELETE RESTRICT,
                    reason TEXT NOT NULL,
                    revoked_at TEXT NOT NULL,
                    job_id INTEGER REFERENCES jobs(id)
                );

                CREATE TABLE scans (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    stamp_id INTEGER NOT NULL REFERENCES stamps(id) ON DELETE RESTRICT,
                    scanned_at TEXT NOT NULL,
                    inspector TEXT,
                    location TEXT,
                    status TEXT NOT NULL
                );
                CREATE INDEX scans_by_stamp ON scans(stamp_id, scanned_at);
                """)
        }
        migrator.registerMigration("v4: package size") { db in
            try db.execute(sql: """
                ALTER TABLE products ADD COLUMN length_cm REAL CHECK (length_cm > 0);
                ALTER TABLE products ADD COLUMN width_cm REAL CHECK (width_cm > 0);
                ALTER TABLE products ADD COLUMN height_cm REAL CHECK (height_cm > 0);
                """)
        }
        migrator.registerMigration("v5: imported category trees") { db in
            // A seller centre's tree as the shop imported it from the platform (categories --import):
            // export checks ids against it instead of the tree shipped with ocoptrace.
            try db.execute(sql: """
                CREATE TABLE category_trees (
                    platform TEXT PRIMARY KEY,
                    file TEXT NOT NULL,
                    format TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    nodes INTEGER NOT NULL
                );

                CREATE TABLE category_nodes (
                    platform TEXT NOT NULL REFERENCES category_trees(platform) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    parent_id TEXT,
                    name TEXT NOT NULL,
                    is_leaf INTEGER CHECK (is_leaf IN (0, 1)),
                    PRIMARY KEY (platform, id)
                );
                """)
        }
        migrator.registerMigration("v6: web scans") { db in
            // A scan from the verification page keeps the salted hash of the client's network (never
            // the address), so that a reload is counted once and copies show up across networks.
            try db.execute(sql: """
                ALTER TABLE scans ADD COLUMN channel TEXT NOT NULL DEFAULT 'cli' CHECK (channel IN ('cli', 'web'));
                ALTER TABLE scans ADD COLUMN client_network TEXT;

                CREATE TABLE registry_secrets (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7: producer GLN") { db in
            // The producer's Global Location Number: EPCIS events name where they happened by it.
            try db.execute(sql: """
                ALTER TABLE producers ADD COLUMN gln TEXT CHECK (gln IS NULL OR length(gln) = 13);
                """)
        }
        return migrator
    }()
}
