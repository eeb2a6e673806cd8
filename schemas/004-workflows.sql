-- 004-workflows.sql: a session's workflow n-grams in one row.
-- The workflows extractor finds ~90 runs of actions a session, nearly all of
-- them seen in that session only. As observation rows they were most of a
-- run's writes, scattered over the observations tree; packed one row a
-- session they are one insert. Derived data, like 002-derived.sql.
CREATE TABLE session_workflows (
	session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	extractor TEXT NOT NULL,
	-- One record per observation, each ended by RS (0x1e),
	-- its fields split by US (0x1f): key, seq, ts, count, succeeded.
	-- Keys holding RS or US stay in observations.
	grams TEXT NOT NULL,
	PRIMARY KEY (session_id, extractor)
);

INSERT INTO session_workflows (session_id, extractor, grams)
	SELECT session_id, extractor, group_concat(key || char(31) || seq || char(31) ||
		ts || char(31) || count || char(31) || succeeded || char(30), '')
	FROM (SELECT * FROM observations WHERE kind = 'workflow' AND subject = key
	      AND excerpt = key AND slot IS NULL AND detail IS NULL AND fix IS NULL
	      AND value IS NULL AND NOT fixed AND NOT user_authored AND behaviour
	      AND ts IS NOT NULL AND instr(key, char(30)) = 0 AND instr(key, char(31)) = 0
	      ORDER BY session_id, extractor, key, seq)
	GROUP BY session_id, extractor;
DELETE FROM observations WHERE kind = 'workflow' AND subject = key
	AND excerpt = key AND slot IS NULL AND detail IS NULL AND fix IS NULL
	AND value IS NULL AND NOT fixed AND NOT user_authored AND behaviour
	AND ts IS NOT NULL AND instr(key, char(30)) = 0 AND instr(key, char(31)) = 0;
