-- An OpenCode store (opencode.db) of our own, with the tables and columns
-- OpenCode's drizzle schema (session.sql.ts) gives them; the content is the
-- JSON in the data columns. Three sessions: one with a failing and a passing
-- bash call, a refused edit, a failed read and an aborted reply; a short one;
-- and one updated after the test's clock, so still being written.
CREATE TABLE project (id text PRIMARY KEY NOT NULL, worktree text NOT NULL,
	time_created integer NOT NULL, time_updated integer NOT NULL);
CREATE TABLE session (id text PRIMARY KEY NOT NULL, project_id text NOT NULL,
	parent_id text, slug text NOT NULL, directory text NOT NULL, title text NOT NULL,
	version text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL);
CREATE TABLE message (id text PRIMARY KEY NOT NULL, session_id text NOT NULL,
	time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
CREATE TABLE part (id text PRIMARY KEY NOT NULL, message_id text NOT NULL,
	session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL,
	data text NOT NULL);

INSERT INTO project VALUES ('p1', '/home/dev/webapp', 1772323200000, 1772323200000);
INSERT INTO session VALUES ('ses_a1', 'p1', NULL, 'fix-tests', '/home/dev/webapp', 'Fix tests',
	'1.1.0', 1772323200000, 1772323290000);
INSERT INTO session VALUES ('ses_b2', 'p1', NULL, 'lint', '/home/dev/webapp', 'Lint',
	'1.1.0', 1772409600000, 1772409610000);
INSERT INTO session VALUES ('ses_c3', 'p1', NULL, 'busy', '/home/dev/webapp', 'Busy',
	'1.1.0', 1796000000000, 1796000000000);

INSERT INTO message VALUES ('msg_001', 'ses_a1', 1772323200000, 1772323200000,
	'{"role":"user","time":{"created":1772323200000},"agent":"build","model":{"providerID":"anthropic","modelID":"claude-sonnet-4"}}');
INSERT INTO part VALUES ('prt_001', 'msg_001', 'ses_a1', 1772323200000, 1772323200000,
	'{"type":"text","text":"make the tests pass"}');
INSERT INTO part VALUES ('prt_002', 'msg_001', 'ses_a1', 1772323200000, 1772323200000,
	'{"type":"text","text":"Called the Read tool with the following input","synthetic":true}');
INSERT INTO message VALUES ('msg_002', 'ses_a1', 1772323210000, 1772323260000,
	'{"role":"assistant","time":{"created":1772323210000,"completed":1772323260000},"modelID":"claude-sonnet-4","providerID":"anthropic","mode":"build","path":{"cwd":"/home/dev/webapp","root":"/home/dev/webapp"},"cost":0.01,"tokens":{"input":10,"output":5,"reasoning":0,"cache":{"read":0,"write":0}}}');
INSERT INTO part VALUES ('prt_003', 'msg_002', 'ses_a1', 1772323210000, 1772323210000,
	'{"type":"step-start"}');
INSERT INTO part VALUES ('prt_004', 'msg_002', 'ses_a1', 1772323211000, 1772323211000,
	'{"type":"text","text":"Running the tests first."}');
INSERT INTO part VALUES ('prt_005', 'msg_002', 'ses_a1', 1772323212000, 1772323215000,
	'{"type":"tool","callID":"call_1","tool":"bash","state":{"status":"completed","input":{"command":"npm test","description":"Run tests"},"output":"Error: Cannot find module ''jest''","title":"Run tests","metadata":{"output":"Error: Cannot find module ''jest''","exit":1,"description":"Run tests"},"time":{"start":1772323212000,"end":1772323215000}}}');
INSERT INTO part VALUES ('prt_006', 'msg_002', 'ses_a1', 1772323216000, 1772323230000,
	'{"type":"tool","callID":"call_2","tool":"bash","state":{"status":"completed","input":{"command":"npm install && npm test","description":"Install, test"},"output":"ok","title":"Install, test","metadata":{"output":"ok","exit":0},"time":{"start":1772323216000,"end":1772323230000}}}');
INSERT INTO part VALUES ('prt_007', 'msg_002', 'ses_a1', 1772323231000, 1772323232000,
	'{"type":"tool","callID":"call_3","tool":"edit","state":{"status":"error","input":{"filePath":"/home/dev/webapp/package.json","oldString":"a","newString":"b"},"error":"The user rejected permission to use this specific tool call.","time":{"start":1772323231000,"end":1772323232000}}}');
INSERT INTO part VALUES ('prt_008', 'msg_002', 'ses_a1', 1772323233000, 1772323234000,
	'{"type":"tool","callID":"call_4","tool":"read","state":{"status":"error","input":{"filePath":"/home/dev/webapp/missing.js"},"error":"File not found: /home/dev/webapp/missing.js","time":{"start":1772323233000,"end":1772323234000}}}');
INSERT INTO part VALUES ('prt_009', 'msg_002', 'ses_a1', 1772323260000, 1772323260000,
	'{"type":"step-finish","reason":"stop","cost":0.01,"tokens":{"input":10,"output":5}}');
INSERT INTO message VALUES ('msg_003', 'ses_a1', 1772323280000, 1772323290000,
	'{"role":"assistant","time":{"created":1772323280000},"modelID":"claude-sonnet-4","providerID":"anthropic","path":{"cwd":"/home/dev/webapp","root":"/home/dev/webapp"},"error":{"name":"MessageAbortedError","data":{"message":"Aborted"}}}');

INSERT INTO message VALUES ('msg_101', 'ses_b2', 1772409600000, 1772409600000,
	'{"role":"user","time":{"created":1772409600000}}');
INSERT INTO part VALUES ('prt_101', 'msg_101', 'ses_b2', 1772409600000, 1772409600000,
	'{"type":"text","text":"run the linter"}');
INSERT INTO message VALUES ('msg_102', 'ses_b2', 1772409601000, 1772409610000,
	'{"role":"assistant","time":{"created":1772409601000},"modelID":"gpt-5","providerID":"openai","path":{"cwd":"/home/dev/webapp","root":"/home/dev/webapp"}}');
INSERT INTO part VALUES ('prt_102', 'msg_102', 'ses_b2', 1772409602000, 1772409605000,
	'{"type":"tool","callID":"call_9","tool":"bash","state":{"status":"completed","input":{"command":"npm run lint"},"output":"2 problems","metadata":{"exit":2},"time":{"start":1772409602000,"end":1772409605000}}}');

INSERT INTO message VALUES ('msg_201', 'ses_c3', 1796000000000, 1796000000000,
	'{"role":"user","time":{"created":1796000000000}}');
INSERT INTO part VALUES ('prt_201', 'msg_201', 'ses_c3', 1796000000000, 1796000000000,
	'{"type":"text","text":"still typing"}');
