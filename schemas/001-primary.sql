-- 001-primary.sql: primary data, what was ingested and what people decided.
-- Nothing here can be rebuilt from anything else; back it up.

-- The ingest ledger: every spool file seen, so an unchanged file is skipped
-- without being read and a grown one is ingested again.
CREATE TABLE files (
	path TEXT PRIMARY KEY,		-- absolute path of the spool file
	size INTEGER NOT NULL,
	mtime INTEGER NOT NULL,		-- ns since the epoch
	hash TEXT NOT NULL,		-- of the file's bytes
	session_id TEXT,		-- the session it belongs to; NULL if quarantined
	status TEXT NOT NULL CHECK (status IN ('ingested', 'quarantined')),
	run INTEGER NOT NULL
);
CREATE INDEX files_session ON files(session_id);

-- One row per session: its identity and its redacted, normalized events,
-- compressed (the digest), so memories can be rebuilt after the spool is gone.
CREATE TABLE sessions (
	id TEXT PRIMARY KEY,		-- the agent's session id
	user TEXT NOT NULL,
	agent TEXT NOT NULL,		-- claude-code, codex, ...
	agent_version TEXT,
	model TEXT,
	project TEXT,			-- the session's cwd
	started_at INTEGER,		-- ms since the epoch
	ended_at INTEGER,
	content_hash TEXT NOT NULL,	-- of the content of all its files
	files INTEGER NOT NULL,		-- how many spool files make it up
	events INTEGER NOT NULL,
	user_turns INTEGER NOT NULL,
	tool_calls INTEGER NOT NULL,
	tool_errors INTEGER NOT NULL,
	skipped_lines INTEGER NOT NULL DEFAULT 0,	-- unknown or dropped lines
	digest BLOB NOT NULL,		-- zstd of the events as dreamd JSONL (schemas/events.md)
	run INTEGER NOT NULL		-- the run that ingested it last
);

-- Inputs that could not be ingested, with why.
CREATE TABLE quarantine (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL,
	line INTEGER,			-- NULL when the file as a whole is bad
	kind TEXT NOT NULL,		-- truncated-zstd, invalid-utf8, ...
	reason TEXT NOT NULL,		-- the message that was printed
	run INTEGER NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX quarantine_path ON quarantine(path);

-- Reviewers' decisions, in order; they survive reconsolidation.
CREATE TABLE reviews (
	id INTEGER PRIMARY KEY,
	memory_id TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'pin', 'unpin', 'edit')),
	actor TEXT NOT NULL,
	at INTEGER NOT NULL,
	title TEXT,			-- edit: the new text
	body TEXT
);
CREATE INDEX reviews_memory ON reviews(memory_id);
