-- 005-shards.sql: a partial store's shards. `dreamd run --shard K/N` writes
-- the primary data and observations of its share of the spools and curates
-- nothing; `dreamd merge` takes a partial only when its rules are the
-- merging store's (and its schema is the same).
CREATE TABLE shards (
	run INTEGER PRIMARY KEY REFERENCES runs(id),
	shard INTEGER NOT NULL,		-- K, 0 to N - 1
	shards INTEGER NOT NULL,	-- N
	rules TEXT NOT NULL		-- config_fingerprint() of the run
);
