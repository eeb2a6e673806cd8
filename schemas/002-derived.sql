-- 002-derived.sql: derived data, computed from the sessions' digests and the
-- rules; `dreamd reconsolidate` empties these tables and computes them again.

-- What the extractors found, one row per piece of evidence, clustered by
-- what the curator groups on (extractor, key), so it reads them in order.
CREATE TABLE observations (
	extractor TEXT NOT NULL,
	key TEXT NOT NULL,
	session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	slot TEXT,
	subject TEXT,
	detail TEXT,
	fix TEXT,
	fixed INTEGER NOT NULL DEFAULT 0,
	value TEXT,
	excerpt TEXT,
	ts INTEGER,
	user TEXT NOT NULL,
	agent TEXT NOT NULL,
	project TEXT,
	user_authored INTEGER NOT NULL DEFAULT 0,
	behaviour INTEGER NOT NULL DEFAULT 0,
	count INTEGER NOT NULL DEFAULT 1,	-- occurrences in the session
	succeeded INTEGER NOT NULL DEFAULT 0,	-- workflows: ended in a call that worked
	PRIMARY KEY (extractor, key, session_id, seq)
) WITHOUT ROWID;
CREATE INDEX observations_session ON observations(session_id);

-- The current state of every memory; its published history is in
-- memory_versions (003-history.sql).
CREATE TABLE memories (
	id TEXT PRIMARY KEY,		-- m-xxxxxxxx, from the kind and key
	extractor TEXT NOT NULL,
	kind TEXT NOT NULL,
	key TEXT NOT NULL,
	slot TEXT,
	scope TEXT NOT NULL,
	status TEXT NOT NULL,
	version INTEGER NOT NULL,	-- the latest entry in memory_versions
	snapshot TEXT NOT NULL		-- the memory as export prints it (JSON)
);
