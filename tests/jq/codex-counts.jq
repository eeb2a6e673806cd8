# Independent counts for a Codex rollout, wrapped or legacy (jq -s).
def items: map(if (.payload | type) == "object" and .type != null then .payload + {_wrap: .type} else . end);
def injected: test("^[ \n\t\r]*(<environment_context>|<user_instructions>|# AGENTS.md instructions|<INSTRUCTIONS>|<permissions instructions>|<user_shell_command>)");
def errtext: test("^(error:|tool call error:|failed in sandbox|execution error|Error:)");

items as $items
| ($items | map(select(._wrap == "event_msg" and .type == "user_message"))) as $um
| ($items | map(select(._wrap == "event_msg" and .type == "exec_command_end" and (.exit_code | type) == "number") | {key: .call_id, value: .exit_code}) | from_entries) as $ends
| ($items | map(select(.type == "function_call" or .type == "custom_tool_call") | {key: .call_id, value: .name}) | from_entries) as $names
| {
  user_turns: (if ($um | length) > 0 then [$um[] | select((.message // "") != "")] | length
	else [$items[] | select(._wrap != "event_msg" and .type == "message" and .role == "user") | .content[]?
		| .text? // empty | select(test("^[ \n\t\r]*$") | not) | select(injected | not)] | length end),
  tool_calls: [$items[] | select(._wrap != "event_msg") | select(.type == "function_call" or .type == "custom_tool_call" or .type == "local_shell_call" or .type == "web_search_call")] | length,
  tool_errors: [$items[] | select(.type == "function_call_output" or .type == "custom_tool_call_output")
	| (.output | if type == "string" then . elif type == "object" then (.content // "") else "" end) as $raw
	| (if ($raw | startswith("{")) then ($raw | try fromjson catch null) else null end) as $j
	| (($j | type) == "object" and ($j.output | type) == "string") as $inner
	| (if $inner then $j.output else $raw end) as $text
	| select($text | test("^(exec command rejected by user|patch rejected by user)") | not)
	| (if $inner then ($j.metadata.exit_code // -1 | if type == "number" then . else -1 end)
	   else (($text | capture("Process exited with code (?<n>[0-9]+)") | .n | tonumber) // -1) end) as $code
	| select(if $ends[.call_id] != null then $ends[.call_id] != 0
		else (($code > 0 and $names[.call_id] != "write_stdin")
		      or ((.output | type) == "object" and .output.success == false)
		      or ($text | errtext)) end)] | length
}
