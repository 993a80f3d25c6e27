//! The only place with SQL. Opening a catalogue: refuse what is not one, refuse a newer schema,
//! migrate an older one step by step, and set the per-connection pragmas the design relies on.
//!
//! schema.sql is the full current schema and is applied as is by `init`. A catalogue made by an
//! older version is brought forward by the steps in MIGRATIONS, each run in one exclusive
//! transaction with its `user_version` bump, so a crash leaves either the old or the new version.

pub mod as_of;
pub mod check;
pub mod check_export_control;
pub mod classification;
pub mod correction;
pub mod dedup;
pub mod embargo;
pub mod entity_revision;
pub mod exchange;
pub mod exchange_supply;
pub mod export;
pub mod export_control;
pub mod export_supply;
pub mod import_batch;
pub mod ingest;
pub mod merge;
pub mod pages;
pub mod query;
pub mod refingerprint;
pub mod report;
pub mod revision;
pub mod route;
pub mod schema;
pub mod screening;
pub mod shipment;
pub mod show;
pub mod source_archive;
pub mod supply_check;
pub mod supply_facts;
pub mod supply_view;
pub mod trace;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::country;
use crate::dates::now;

/// An open catalogue: the store layer's handle. Everything above the store (use cases,
/// commands) holds one of these and hands it, or a transaction taken from it, to store
/// functions; none of them runs SQL itself (a test, `layers::sql_stays_in_the_store`, fails if
/// one does).
pub struct Catalogue {
    conn: Connection,
    /// The private copy the connection reads, when it reads one (see `snapshot`); declared
    /// after `conn`, so the connection closes before the copy is removed.
    _copy: Option<PrivateCopy>,
}

/// What store functions take: an open catalogue, or a transaction on one (both deref to it).
/// Layers above pass it along and never call it themselves.
pub type Store = Connection;

/// A write transaction, taken at once (`BEGIN IMMEDIATE`) so concurrent writers queue on the
/// busy timeout instead of failing half-way; dropped without `commit`, it rolls back.
pub struct Write<'c>(rusqlite::Transaction<'c>);

/// A read transaction: every query in it sees one state of the catalogue, so a report never
/// mixes two states of a catalogue that is being written.
pub struct Read<'c>(rusqlite::Transaction<'c>);

impl Catalogue {
    /// Opens an existing catalogue, migrating it if it is older (see `open`).
    pub fn open(path: &Path) -> Result<Catalogue> {
        Ok(Catalogue {
            conn: open(path)?,
            _copy: None,
        })
    }

    /// Opens an existing catalogue for a command that only reads. SQLite is asked for no
    /// write, so the command cannot change it, and a catalogue on read-only media answers:
    /// where SQLite cannot create its shared-memory file beside the catalogue (a read-only
    /// folder, drive or mount), the file is read as a snapshot (`snapshot`). An older
    /// catalogue is migrated first, as by `open`, which needs it writable.
    pub fn open_read_only(path: &Path) -> Result<Catalogue> {
        require_catalogue(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(as_file_name(path), flags)
            .with_context(|| format!("cannot open catalogue {}", path.display()))?;
        let version = configure(&conn)
            .map_err(|e| explain_open_error(e, path))
            .and_then(|()| schema_version(&conn, path));
        let (catalogue, version) = match version {
            Ok(v) => (Catalogue { conn, _copy: None }, v),
            Err(e) if cannot_open(&e) => {
                drop(conn);
                let snapshot = Catalogue::snapshot(path)?;
                let version = schema_version(&snapshot, path)?;
                if version < SCHEMA_VERSION {
                    bail!(
                        "{} has schema version {version} and needs migrating to {SCHEMA_VERSION}, which writes it, but its folder is read-only; copy it (with any {} beside it) to writable media and open the copy",
                        path.display(),
                        sibling(path, "-wal").display()
                    );
                }
                (snapshot, version)
            }
            Err(e) => return Err(e),
        };
        if version < SCHEMA_VERSION {
            drop(catalogue);
            return Catalogue::open(path);
        }
        schema::verify(&catalogue, version).map_err(|e| refused(e, path))?;
        Ok(catalogue)
    }

    /// Opens a catalogue file for reading without writing anything beside it (no `-wal`, no
    /// `-shm`, no lock), as `import-catalogue` reads another investigator's file and a reading
    /// command reads one on read-only media: SQLite opens it immutable. A non-empty `-wal`
    /// beside it holds changes the file does not (an immutable open would not see them), so
    /// then the file and its log are copied into a private folder and the copy is read.
    /// Nobody may be writing the file meanwhile: an immutable file is read without locks.
    /// The schema version is not checked here: callers say what they need.
    pub fn snapshot(path: &Path) -> Result<Catalogue> {
        if !path.is_file() {
            bail!("{}: no such catalogue file", path.display());
        }
        let wal = sibling(path, "-wal");
        let catalogue = if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            let copy = PrivateCopy::of(path, &wal)?;
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Catalogue {
                conn: Connection::open_with_flags(copy.file(), flags)
                    .with_context(|| format!("cannot open a copy of {}", path.display()))?,
                _copy: Some(copy),
            }
        } else {
            // the only URI this program builds: from a path, every special byte encoded
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI;
            Catalogue {
                conn: Connection::open_with_flags(immutable_uri(path)?, flags)
                    .with_context(|| format!("cannot open {}", path.display()))?,
                _copy: None,
            }
        };
        configure(&catalogue).map_err(|e| explain_open_error(e, path))?;
        Ok(catalogue)
    }

    /// Creates a new, empty catalogue (see `create`).
    pub fn create(path: &Path) -> Result<Catalogue> {
        Ok(Catalogue {
            conn: create(path)?,
            _copy: None,
        })
    }

    /// How long a write waits for another writer's lock before it fails as busy (`is_busy`);
    /// 30 s unless changed. The web pages wait less and say so (`serve --lock-wait`).
    pub fn wait_for_lock(&self, wait: std::time::Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// SQLite's `PRAGMA data_version` on this connection: it changes whenever another
    /// connection, in this process or any other, has committed a change to the file since
    /// this connection last asked (its own writes do not move it). A connection kept open and
    /// never used to write therefore tells whether anything changed between two calls.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    pub fn write(&mut self) -> Result<Write<'_>> {
        Ok(Write(self.conn.transaction_with_behavior(
            rusqlite::TransactionBehavior::Immediate,
        )?))
    }

    pub fn read(&mut self) -> Result<Read<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
        // a deferred transaction takes its snapshot at its first read: take it now
        tx.query_row("SELECT count(*) FROM meta", [], |_| Ok(()))?;
        Ok(Read(tx))
    }
}

impl Write<'_> {
    pub fn commit(self) -> Result<()> {
        Ok(self.0.commit()?)
    }
}

impl std::ops::Deref for Catalogue {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl std::ops::DerefMut for Catalogue {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl std::ops::Deref for Read<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// Whether an error is SQLite's "busy": another connection held the lock past the busy
/// timeout, and nothing was written.
pub fn is_busy(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    })
}

/// Says plainly when SQLite could not write: a read-only catalogue or a full disk. Either way
/// the transaction was rolled back, so nothing changed.
pub fn explain_storage_error(e: anyhow::Error, db: &Path) -> anyhow::Error {
    use rusqlite::ErrorCode::{DiskFull, ReadOnly};
    let code = e
        .chain()
        .find_map(|c| match c.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        });
    match code {
        Some(ReadOnly) => e.context(format!(
            "the catalogue {} is read-only; nothing was changed",
            db.display()
        )),
        Some(DiskFull) => e.context(format!(
            "the disk holding {} is full; nothing was changed",
            db.display()
        )),
        _ => e,
    }
}

/// The schema every catalogue is migrated to; `PRAGMA user_version` holds it.
pub const SCHEMA_VERSION: i64 = 13;
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");
/// The schema of version 1, which the migrations start from: how `schema::reference` builds
/// the schema of each version from scratch.
pub const INITIAL_SQL: &str = include_str!("migrations/001_initial.sql");

/// One step from version `to - 1` to `to`: SQL, then an optional step in code (for what SQL
/// cannot compute, such as normalised keys). Append only: never edit a published step.
struct Migration {
    to: i64,
    sql: &'static str,
    then: Option<fn(&Connection) -> Result<()>>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 2,
        sql: include_str!("migrations/002_merges.sql"),
        then: Some(ingest::rekey),
    },
    Migration {
        to: 3,
        sql: include_str!("migrations/003_unit_labels.sql"),
        // weapon keys now come from the model a label names
        then: Some(ingest::rekey),
    },
    Migration {
        to: 4,
        sql: include_str!("migrations/004_views.sql"),
        then: None,
    },
    Migration {
        to: 5,
        sql: include_str!("migrations/005_checks_as_comparisons.sql"),
        then: None,
    },
    Migration {
        to: 6,
        sql: include_str!("migrations/006_stated_findings.sql"),
        then: Some(refingerprint::refingerprint),
    },
    Migration {
        to: 7,
        sql: include_str!("migrations/007_real_data.sql"),
        then: Some(real_data),
    },
    Migration {
        to: 8,
        sql: include_str!("migrations/008_corrections.sql"),
        then: None,
    },
    Migration {
        to: 9,
        sql: include_str!("migrations/009_corrections_record.sql"),
        then: None,
    },
    Migration {
        to: 10,
        sql: include_str!("migrations/010_export_control.sql"),
        then: None,
    },
    Migration {
        to: 11,
        sql: include_str!("migrations/011_supply_chain.sql"),
        // maker labels that name suppliers: the maker keyed apart, the suppliers as links
        then: Some(supply_chain),
    },
    Migration {
        to: 12,
        // entity corrections: a new, empty log (no row for the state before; see the file)
        sql: include_str!("migrations/012_entity_revision.sql"),
        then: None,
    },
    Migration {
        to: 13,
        // the key functions changed (issue 14): every spelling keyed again
        sql: include_str!("migrations/013_rekey.sql"),
        then: Some(ingest::rekey),
    },
];

/// Schema v7's step after its SQL: units from weapon labels read again by the dates they give,
/// and candidate date codes read from the texts already recorded.
fn real_data(conn: &Connection) -> Result<()> {
    ingest::relabel_units(conn)?;
    ingest::fill_marking_date_codes(conn)
}

/// Schema v9's step after its SQL: findings already recorded under a maker label that names
/// suppliers count under the maker, and the suppliers become links (docs/supply-chain.md).
fn supply_chain(conn: &Connection) -> Result<()> {
    ingest::split_maker_labels(conn, &now())
}

/// Where the catalogue is: `--db`, else COMPTRACE_DB (both read by cli.rs), else ./comptrace.db.
pub fn default_path() -> PathBuf {
    PathBuf::from("comptrace.db")
}

/// How a new file is opened: never with `SQLITE_OPEN_URI` (see `as_file_name`).
const CREATE_FLAGS: OpenFlags = OpenFlags::SQLITE_OPEN_READ_WRITE
    .union(OpenFlags::SQLITE_OPEN_CREATE)
    .union(OpenFlags::SQLITE_OPEN_NO_MUTEX);

/// A path as SQLite must read it: a file name, never a URI. The bundled SQLite is built with
/// URI file names on for every connection (`SQLITE_USE_URI`), so `--db file:a.db` would open
/// `a.db` (and `file:x?mode=memory` no file at all) while `Path::exists` looked at `file:a.db`.
/// SQLite reads a name as a URI only when it starts with `file:`; a relative path is given as
/// `./path`, which never does, and an absolute one starts with `/`.
pub(crate) fn as_file_name(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// Creates a new, empty catalogue. Refuses to touch an existing file.
pub fn create(path: &Path) -> Result<Connection> {
    if path.exists() {
        bail!(
            "{} already exists; comptrace init never overwrites a file (choose another --db path)",
            path.display()
        );
    }
    let mut conn = Connection::open_with_flags(as_file_name(path), CREATE_FLAGS)
        .with_context(|| format!("cannot create catalogue {}", path.display()))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    configure(&conn)?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA_SQL)
        .context("applying schema.sql")?;
    insert_countries(&tx)?;
    let stamp = now();
    for (key, value) in [
        ("catalogue_uid", new_uid()),
        ("created_at", stamp.clone()),
        (
            "created_by",
            format!("comptrace {}", env!("CARGO_PKG_VERSION")),
        ),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(conn)
}

/// Refuses a path where there is no catalogue, saying how to make one.
fn require_catalogue(path: &Path) -> Result<()> {
    if !path.exists() {
        bail!(
            "no catalogue at {}; create one with `comptrace init --db {}` (or point --db / COMPTRACE_DB at an existing one)",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

/// Whether SQLite could not open a file it needs: beside a catalogue in a read-only folder,
/// the shared-memory file of its write-ahead log.
fn cannot_open(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(c.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly))
    })
}

/// A file beside `path` named after it: `-wal`, `-shm`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// `path` as an SQLite URI that opens it read-only and immutable, so SQLite takes no lock and
/// creates no `-wal` or `-shm` beside it. The path is made absolute and every byte but
/// unreserved ones and `/` is percent-encoded, so `?`, `#`, `%` and any other byte of a file
/// name stay part of the name and never become a parameter.
fn immutable_uri(path: &Path) -> Result<String> {
    use std::fmt::Write as _;
    let absolute = std::path::absolute(path)
        .with_context(|| format!("{}: cannot tell where it is", path.display()))?;
    let mut uri = String::from("file://");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            write!(uri, "%{b:02X}").expect("writing to a String");
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    Ok(uri)
}

/// A copy of a catalogue and its write-ahead log in a folder of this process's own under the
/// system's temporary folder (private to the user), removed when dropped.
struct PrivateCopy {
    dir: PathBuf,
}

impl PrivateCopy {
    fn of(path: &Path, wal: &Path) -> Result<PrivateCopy> {
        let dir = std::env::temp_dir().join(format!("comptrace-{}", new_uid()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .with_context(|| format!("cannot create a private folder {}", dir.display()))?;
        let copy = PrivateCopy { dir };
        let copied = std::fs::copy(path, copy.file())
            .and_then(|_| std::fs::copy(wal, sibling(&copy.file(), "-wal")));
        copied.with_context(|| {
            format!(
                "{} has changes in {} not yet written into it; copying both to {} to read them failed",
                path.display(),
                wal.display(),
                copy.dir.display()
            )
        })?;
        Ok(copy)
    }

    fn file(&self) -> PathBuf {
        self.dir.join("catalogue.db")
    }
}

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Opens an existing catalogue for reading and writing, migrating it if it is older.
pub fn open(path: &Path) -> Result<Connection> {
    require_catalogue(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(as_file_name(path), flags)
        .with_context(|| format!("cannot open catalogue {}", path.display()))?;
    let version = configure(&conn)
        .map_err(|e| explain_open_error(e, path))
        .and_then(|()| schema_version(&conn, path));
    let version = version.map_err(|e| {
        if cannot_open(&e) {
            e.context(format!(
                "cannot open {} for writing: SQLite could not create its journal beside it (a read-only folder or drive?); nothing was changed, and commands that only read it still work",
                path.display()
            ))
        } else {
            e
        }
    })?;
    schema::verify(&conn, version).map_err(|e| refused(e, path))?;
    migrate(&mut conn, version, path)?;
    Ok(conn)
}

/// Process-wide SQLite settings, applied once before the first connection opens (SQLite refuses
/// them afterwards, harmlessly). Memory statistics cost a global mutex on every allocation, and
/// nothing here reads them.
pub fn configure_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection exists, with the documented
        // argument (an int) for SQLITE_CONFIG_MEMSTATUS.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            );
        }
    });
}

/// What every connection this program opens is set to, before it reads anything: the file's
/// schema is not trusted (functions with side effects and virtual tables cannot run from its
/// views, triggers or defaults), and SQLite's defensive mode forbids the statements that can
/// corrupt a file on purpose (`writable_schema`, writes to `schema_version`, to sqlite_dbpage
/// and to shadow tables). See docs/reliability.md, "Threat model".
pub(crate) fn harden(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    harden(conn)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // statement journals and sorts in memory: they are small, and files for them cost writes
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // SQLite's default page cache (2 MB) for everything but bulk writes: a query reads each page
    // about once, and a larger cache only costs it fresh memory to fault in (a 64 MiB cache made
    // `parts --manufacturer` on a million findings 40% slower); `import` raises it for itself
    Ok(())
}

/// Reads `user_version`, telling a non-SQLite file and a foreign SQLite file apart from a catalogue.
fn schema_version(conn: &Connection, path: &Path) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| explain_open_error(e.into(), path))?;
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    if version == 0 || !has_meta {
        bail!(
            "{} is an SQLite database but not a comptrace catalogue (no schema version)",
            path.display()
        );
    }
    if version > SCHEMA_VERSION {
        bail!(
            "{} has schema version {version}, newer than this comptrace understands ({SCHEMA_VERSION}); upgrade comptrace",
            path.display()
        );
    }
    Ok(version)
}

/// Says which file a schema check refused.
pub(crate) fn refused(e: anyhow::Error, path: &Path) -> anyhow::Error {
    e.context(format!("{} is refused as a catalogue", path.display()))
}

/// Turns SQLite's "file is not a database" into a message that says which file and why.
fn explain_open_error(e: anyhow::Error, path: &Path) -> anyhow::Error {
    let not_a_database = e.chain().any(|c| {
        matches!(c.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::NotADatabase)
    });
    if not_a_database {
        anyhow::anyhow!(
            "{} is not a comptrace catalogue (not an SQLite database)",
            path.display()
        )
    } else {
        e.context(format!("cannot read catalogue {}", path.display()))
    }
}

/// Copies a catalogue with SQLite's online backup API (safe while others write) to `dest`,
/// which must not exist.
pub fn copy_catalogue(src: &Connection, dest: &Path) -> Result<()> {
    let mut dst = Connection::open_with_flags(as_file_name(dest), CREATE_FLAGS)
        .with_context(|| format!("cannot create {}", dest.display()))?;
    harden(&dst)?;
    {
        let backup = rusqlite::backup::Backup::new(src, &mut dst)?;
        // copy in steps so writers elsewhere are not held up for the whole copy
        backup.run_to_completion(1024, std::time::Duration::from_millis(5), None)?;
    }
    dst.pragma_update(None, "journal_mode", "WAL")?;
    Ok(())
}

/// Where a catalogue is copied before it is migrated to `version`: `NAME.pre-vN.db` beside it
/// (`NAME.pre-vN-2.db` and so on when an earlier copy is there: no copy is ever overwritten).
pub fn pre_migration_path(path: &Path, version: i64) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "catalogue".into());
    let dir = path.parent().unwrap_or(Path::new(""));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.pre-v{version}.db")),
            n => dir.join(format!("{stem}.pre-v{version}-{n}.db")),
        })
        .find(|p| !p.exists())
        .expect("some numbered name is free")
}

fn migrate(conn: &mut Connection, from: i64, path: &Path) -> Result<()> {
    if from < SCHEMA_VERSION {
        // the evidence store is not touched by migrations, so the copy needs only the file
        let dest = pre_migration_path(path, SCHEMA_VERSION);
        copy_catalogue(conn, &dest).with_context(|| {
            format!(
                "{} needs migrating from schema version {from} to {SCHEMA_VERSION}, and a copy of it could not be written first to {}; nothing was changed",
                path.display(),
                dest.display()
            )
        })?;
        eprintln!(
            "migrating {} from schema version {from} to {SCHEMA_VERSION}; the catalogue as it was is kept in {}",
            path.display(),
            dest.display()
        );
    }
    run_migrations(conn, from).with_context(|| format!("migrating {}", path.display()))
}

/// Builds the schema of `version` from scratch in an empty database: version 1, then the SQL
/// of each migration to `version`. Their steps in code are left out: they change rows, never
/// the schema (a catalogue migrated with them passes the schema check on its next open, in
/// `catalogue::a_version_1_catalogue_migrates_to_the_current_schema_keeping_its_data`), and an
/// empty database has no rows.
fn build_schema(conn: &Connection, version: i64) -> Result<()> {
    conn.execute_batch(INITIAL_SQL)?;
    for m in MIGRATIONS.iter().filter(|m| m.to <= version) {
        conn.execute_batch(m.sql)
            .with_context(|| format!("building schema version {}", m.to))?;
    }
    Ok(())
}

/// Runs the steps from version `from` to the current one, each in one exclusive transaction
/// with its `user_version` bump. Foreign keys are off meanwhile, as SQLite requires for
/// rebuilding a table (migrations 5 and 7): each step checks them itself before it commits.
fn run_migrations(conn: &mut Connection, from: i64) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = MIGRATIONS
        .iter()
        .filter(|m| m.to > from)
        .try_for_each(|m| run_migration(conn, m));
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

fn run_migration(conn: &mut Connection, m: &Migration) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let context = || format!("to schema version {}", m.to);
    tx.execute_batch(m.sql).with_context(context)?;
    if let Some(step) = m.then {
        step(&tx).with_context(context)?;
    }
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        bail!(
            "{}: {broken} rows would point at rows that are not there; nothing was changed",
            context()
        );
    }
    tx.pragma_update(None, "user_version", m.to)?;
    tx.commit()?;
    Ok(())
}

/// Adds the spellings written since the last call to the full-text index. Call it inside the
/// transaction that wrote them. The high-water mark of each spelling table is kept in meta.
pub fn refresh_search_index(conn: &Connection) -> Result<()> {
    for (table, kind) in [
        ("part_spelling", "part"),
        ("organisation_spelling", "manufacturer"),
        ("weapon_spelling", "weapon"),
    ] {
        let mark = format!("search_indexed_{table}");
        let done: i64 = conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [&mark], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // table and kind come from the constant list above, never from input
        conn.execute(
            &format!("INSERT INTO name_search (text, kind, ref) SELECT text, '{kind}', id FROM {table} WHERE id > ?1 ORDER BY id"),
            [done],
        )?;
        let last: i64 = conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![mark, last.to_string()],
        )?;
    }
    Ok(())
}

fn insert_countries(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO country (code, alpha3, numeric, name, alt_names) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in country::all() {
        stmt.execute(params![
            c.alpha2,
            c.alpha3,
            c.numeric,
            c.name,
            c.alt_names.join("|")
        ])?;
    }
    Ok(())
}

/// A new stable id: UUID v7, so ids sort by creation time and index inserts stay local.
pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_applies_and_countries_load() {
        let dir = tempfile::tempdir().unwrap();
        let conn = create(&dir.path().join("c.db")).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM country", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 249);
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn a_snapshot_opens_the_file_its_path_names_whatever_bytes_the_name_holds() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a?mode=rwc&immutable=0#x.db", "100% sure é.db", "file:b.db"] {
            let path = dir.path().join(name);
            create(&path).unwrap();
            let snapshot = Catalogue::snapshot(&path).unwrap();
            let countries: i64 = snapshot
                .query_row("SELECT count(*) FROM country", [], |r| r.get(0))
                .unwrap();
            assert_eq!(countries, 249, "{name}");
        }
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["100% sure é.db", "a?mode=rwc&immutable=0#x.db", "file:b.db"],
            "no other file opened or made, and nothing beside them"
        );
    }

    /// Whether a connection runs with the file's schema untrusted and in defensive mode.
    fn hardened(conn: &Connection) -> (bool, i64) {
        let defensive = conn
            .db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE)
            .unwrap();
        let trusted: i64 = conn
            .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
            .unwrap();
        (defensive, trusted)
    }

    #[test]
    fn every_connection_distrusts_the_files_schema_and_is_defensive() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let created = Catalogue::create(&path).unwrap();
        let opened = [
            ("create", created),
            ("open", Catalogue::open(&path).unwrap()),
            ("open_read_only", Catalogue::open_read_only(&path).unwrap()),
            ("snapshot", Catalogue::snapshot(&path).unwrap()),
        ];
        for (how, conn) in &opened {
            assert_eq!(hardened(conn), (true, 0), "{how}");
            // defensive mode: the schema cannot be edited in place, even on purpose
            conn.pragma_update(None, "writable_schema", "ON").unwrap();
            let editable: i64 = conn
                .query_row("PRAGMA writable_schema", [], |r| r.get(0))
                .unwrap();
            assert_eq!(editable, 0, "{how}");
        }
    }

    #[test]
    fn migrations_are_in_order_and_end_at_the_current_version() {
        let mut last = 1;
        for m in MIGRATIONS {
            assert_eq!(m.to, last + 1);
            last = m.to;
        }
        assert_eq!(last, SCHEMA_VERSION);
    }
}
