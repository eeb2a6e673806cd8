-- 003-history.sql: the append-only record of runs and published generations.
-- Rows are only ever added; reconsolidation adds a generation like any run.

CREATE TABLE runs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,		-- run, reconsolidate, review, rollback
	actor TEXT NOT NULL,
	started_at INTEGER NOT NULL,
	finished_at INTEGER,		-- NULL: it died; the next run finishes the job
	gen INTEGER,			-- the generation it published, if any
	status INTEGER,			-- its exit code
	summary TEXT,			-- the one-line summary it printed
	curated TEXT			-- the rules and settings it curated with
					-- (a fingerprint); NULL: it did not curate
);

-- A generation is a complete memory set, published atomically.
-- Generation 0 is the empty set and has no row.
CREATE TABLE generations (
	gen INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES runs(id),
	published_at INTEGER NOT NULL,
	summary TEXT NOT NULL
);

-- Every change to a memory: added, updated, retired, restored, reviewed.
CREATE TABLE memory_versions (
	memory_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	gen INTEGER NOT NULL,
	change TEXT NOT NULL,
	actor TEXT NOT NULL,
	reason TEXT NOT NULL,
	snapshot TEXT NOT NULL,		-- the memory as export prints it (JSON)
	PRIMARY KEY (memory_id, version)
);

-- Which version of which memory each generation holds (every status).
CREATE TABLE generation_members (
	gen INTEGER NOT NULL,
	memory_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (gen, memory_id)
) WITHOUT ROWID;
