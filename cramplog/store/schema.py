"""The store's SQLite schema, its version, and the steps that upgrade older stores."""

from __future__ import annotations

SCHEMA_VERSION = 5

# One cached analysis outcome per athlete (see store/outcomes.py): the key it was computed
# under and the zlib-compressed JSON of the outcome.
OUTCOMES_TABLE = """CREATE TABLE IF NOT EXISTS outcomes (
    athlete_id INTEGER PRIMARY KEY REFERENCES athletes(id),
    key TEXT NOT NULL,
    payload BLOB NOT NULL,
    written_at TEXT NOT NULL
)"""

# What a file looked like on disk when it was last read (store/filestats.py): a warm run
# trusts an unchanged (size, mtime, ctime, inode) and neither reads nor hashes the file.
FILE_STATS_TABLE = """CREATE TABLE IF NOT EXISTS file_stats (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (athlete_id, path)
)"""

# Steps that bring an older store up to date, by the version they upgrade from.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE cramps ADD COLUMN source TEXT",),  # which cramps.csv an event came from
    2: (OUTCOMES_TABLE,),  # the cached analysis outcome per athlete
    3: (FILE_STATS_TABLE,),  # how each file looked when read: warm runs skip reading it
    # streams may now be stored as CLS3 (store/streamcodec.py), which cramplog before 5 cannot
    # decode: the version tells it so in one line instead of failing on a stream
    4: (),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    profile TEXT
);
CREATE TABLE IF NOT EXISTS files (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT,
    size INTEGER,
    status TEXT NOT NULL,
    message TEXT,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (athlete_id, sha256)
);
CREATE TABLE IF NOT EXISTS activities (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    sport TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    start_epoch REAL NOT NULL,
    utc_offset_s INTEGER,
    elapsed_s REAL, moving_s REAL, distance_m REAL, ascent_m REAL, descent_m REAL,
    hr_avg REAL, hr_max REAL, temp_min_c REAL, temp_avg_c REAL, temp_max_c REAL,
    rpe REAL, title TEXT, is_race INTEGER NOT NULL DEFAULT 0, device TEXT,
    source_format TEXT NOT NULL,
    stream BLOB,
    features TEXT,
    features_key TEXT
);
CREATE INDEX IF NOT EXISTS activities_by_start ON activities (athlete_id, start_epoch);
CREATE TABLE IF NOT EXISTS activity_sources (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    PRIMARY KEY (activity_id, sha256, name)
);
CREATE TABLE IF NOT EXISTS cramps (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    when_local TEXT NOT NULL,
    when_utc TEXT NOT NULL,
    date_only INTEGER NOT NULL DEFAULT 0,
    muscle TEXT NOT NULL,
    side TEXT, severity INTEGER, timing TEXT, notes TEXT,
    source TEXT,
    UNIQUE (athlete_id, when_local, muscle)
);
"""

SCHEMA += OUTCOMES_TABLE + ";\n"
SCHEMA += FILE_STATS_TABLE + ";\n"
