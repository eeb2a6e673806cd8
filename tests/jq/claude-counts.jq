# Independent counts for a Claude Code transcript (jq -s): user turns,
# tool calls, failing tool calls. Encodes the rules of schemas/events.md.
def trimmed: sub("^[ \n\t\r]+"; "");
def wrapper: test("^<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat|system-reminder|task-notification|bash-stdout|bash-stderr|user-prompt-submit-hook)>");
def result_text: if type == "string" then . elif type == "array" then [.[] | select(.text? | type == "string") | .text] | join("\n") else "" end;
def exitcode: (capture("^Exit code (?<n>[0-9]+)") | .n | tonumber) // null;

(map(select(.type == "user" and (.isMeta | not) and (.isCompactSummary | not))) ) as $users
| {
  user_turns: [$users[] | select(.isSidechain | not) | .message.content
	| (if type == "string" then [.] else [.[] | select(.type == "text") | .text] end)
	| map(trimmed | select(length > 0) | select(test("^\\[Request interrupted by user") | not) | select(wrapper | not))
	| select(length > 0)] | length,
  tool_calls: [.[] | select(.type == "assistant") | .message.content | arrays | .[] | select(.type == "tool_use")] | length,
  tool_errors: [$users[] | .message.content | arrays | .[] | select(.type == "tool_result")
	| (.content | result_text | trimmed) as $t
	| select($t | test("^(The user doesn't want to proceed with this tool use|\\[Request interrupted by user)") | not)
	| ($t | exitcode) as $code
	| select(if $code != null then $code != 0 else (.is_error == true or ($t | startswith("<tool_use_error>"))) end)] | length
}
